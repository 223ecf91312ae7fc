import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { FileView } from '../../api/client';
import { ApiError, asApiError } from '../../api/errors';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatBytes } from '../../components/format';
import { SignedInPage } from '../../components/SignedInPage';
import type { Uploaded } from '../../upload/uploader';
import { useApp } from '../app-context';
import { useSessionEnded } from '../useSessionEnded';
import { DeleteDialog } from './DeleteDialog';
import { FileItem } from './FileItem';
import { appendPage, justUploaded, matchesFilter, upsert } from './files-state';
import { LinksDialog } from './LinksDialog';
import { NotificationsToggle } from './NotificationsToggle';
import { SelectionLinkDialog } from './SelectionLinkDialog';
import { isFinished, StatusPoller } from './status-poller';

const PAGE_SIZE = 20;
/** The most files one link may hold (the API's limit, create-link.request.json). */
const MAX_FILES_PER_LINK = 50;

export function FilesPage() {
  const { api, config } = useApp();
  const [files, setFiles] = useState<FileView[]>([]);
  const [nextToken, setNextToken] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [filter, setFilter] = useState('');
  const [linksFor, setLinksFor] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<FileView | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [sharingSelection, setSharingSelection] = useState(false);
  const [selectionProblem, setSelectionProblem] = useState('');
  const [connection, setConnection] = useState('');
  const [uploaderError, setUploaderError] = useState('');
  const [refusal, setRefusal] = useState('');
  const uploadTarget = useRef<HTMLDivElement>(null);

  const sessionEnded = useSessionEnded();

  const poller = useMemo(
    () =>
      new StatusPoller(
        (fileId) => api.getFile(fileId),
        (file) => {
          setFiles((current) => upsert(current, file));
        },
      ),
    [api],
  );
  useEffect(
    () => () => {
      poller.stop();
    },
    [poller],
  );

  const loadPage = useCallback(
    async (token?: string) => {
      setLoading(true);
      setLoadError(null);
      try {
        const page = await api.listFiles(token, PAGE_SIZE);
        setFiles((current) => (token ? appendPage(current, page.items) : appendPage([], page.items)));
        setNextToken(page.nextToken);
        for (const file of page.items) if (!isFinished(file.status)) poller.watch(file.fileId);
      } catch (error) {
        if (!sessionEnded(error)) {
          setLoadError(asApiError(error));
        }
      } finally {
        setLoading(false);
      }
    },
    [api, poller, sessionEnded],
  );

  useEffect(() => {
    void loadPage();
  }, [loadPage]);

  // The upload area loads after the list: the first screen does not wait for Uppy.
  useEffect(() => {
    let closed = false;
    let close: (() => void) | undefined;
    void import('../../upload/uploader')
      .then(({ createUploader }) => {
        if (closed || !uploadTarget.current) return;
        close = createUploader({
          target: uploadTarget.current,
          plan: (request) => api.createUpload(request),
          maxUploadBytes: config.maxUploadBytes,
          onUploaded: (upload: Uploaded) => {
            setFiles((current) => upsert(current, justUploaded(upload)));
            poller.watch(upload.fileId);
          },
          onConnection: setConnection,
          onRefused: setRefusal,
        }).close;
      })
      .catch(() => {
        setUploaderError('The upload area could not be loaded. Reload the page to try again.');
      });
    return () => {
      closed = true;
      close?.();
    };
  }, [api, config.maxUploadBytes, poller]);

  const shown = files.filter((file) => matchesFilter(file, filter));
  const linksFile = files.find((f) => f.fileId === linksFor) ?? null;
  // Only files still READY stay selected (a file deleted or refused meanwhile drops out).
  const selectedFiles = files.filter((f) => f.status === 'READY' && selected.has(f.fileId));

  function select(fileId: string, on: boolean) {
    setSelectionProblem('');
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(fileId);
      else next.delete(fileId);
      return next;
    });
  }

  function shareSelected() {
    if (selectedFiles.length > MAX_FILES_PER_LINK) {
      setSelectionProblem(`One link holds at most ${String(MAX_FILES_PER_LINK)} files. Select fewer.`);
    } else if (selectedFiles.length === 1 && selectedFiles[0]) {
      setLinksFor(selectedFiles[0].fileId);
    } else {
      setSharingSelection(true);
    }
  }

  return (
    <SignedInPage
      skipTo="Skip to your files"
      dialogs={
        <>
          {linksFile && (
            <LinksDialog
              file={linksFile}
              onChanged={(file) => {
                setFiles((current) => upsert(current, file));
              }}
              onClose={() => {
                setLinksFor(null);
              }}
            />
          )}
          {sharingSelection && (
            <SelectionLinkDialog
              files={selectedFiles}
              onClose={() => {
                setSharingSelection(false);
              }}
            />
          )}
          {deleting && (
            <DeleteDialog
              file={deleting}
              onDeleted={() => {
                poller.unwatch(deleting.fileId);
                setFiles((current) => current.filter((f) => f.fileId !== deleting.fileId));
                setDeleting(null);
              }}
              onClose={() => {
                setDeleting(null);
              }}
            />
          )}
        </>
      }
    >
      <section aria-labelledby="upload-heading" class="upload-section">
        <h1 id="upload-heading">Upload files</h1>
        <p class="muted">
          Drop files here, paste them, or browse. Each file is checked for malware before it can be shared. Up to{' '}
          {formatBytes(config.maxUploadBytes)} per file.
        </p>
        <div role="status" aria-live="polite" class={connection ? 'notice info' : 'visually-hidden'}>
          {connection}
        </div>
        {uploaderError && <ErrorNotice message={uploaderError} />}
        {refusal && <ErrorNotice message={refusal} />}
        <div ref={uploadTarget} class="upload-area" />
        <NotificationsToggle />
      </section>

      <section aria-labelledby="files-heading" class="files-section">
        <div class="files-head">
          <h2 id="files-heading">Your files</h2>
          <div class="field filter">
            <label for="filter">Filter by name</label>
            <input
              id="filter"
              type="search"
              value={filter}
              onInput={(event) => {
                setFilter(event.currentTarget.value);
              }}
            />
          </div>
        </div>
        {selectedFiles.length > 0 && (
          <div class="selection-bar" role="group" aria-label="Selected files">
            <span>
              {selectedFiles.length} {selectedFiles.length === 1 ? 'file' : 'files'} selected
            </span>
            <button type="button" class="button small" onClick={shareSelected}>
              Share selected
            </button>
            <button
              type="button"
              class="button small secondary"
              onClick={() => {
                setSelected(new Set());
                setSelectionProblem('');
              }}
            >
              Clear selection
            </button>
          </div>
        )}
        {selectionProblem && <ErrorNotice message={selectionProblem} />}
        {loadError && <ErrorNotice message={loadError.message} onRetry={() => void loadPage(nextToken)} />}
        {!loading && !loadError && files.length === 0 && <p class="muted">No files yet. Upload one above.</p>}
        {files.length > 0 && shown.length === 0 && <p class="muted">No file name matches “{filter}”.</p>}
        <ul class="file-list" aria-label="Your files">
          {shown.map((file) => (
            <FileItem
              key={file.fileId}
              file={file}
              selected={selected.has(file.fileId)}
              onSelect={(on) => {
                select(file.fileId, on);
              }}
              onLinks={() => {
                setLinksFor(file.fileId);
              }}
              onDelete={() => {
                setDeleting(file);
              }}
            />
          ))}
        </ul>
        {loading && (
          <p class="spinner" role="status">
            Loading files…
          </p>
        )}
        {nextToken && !loading && (
          <button type="button" class="button secondary" onClick={() => void loadPage(nextToken)}>
            Load more
          </button>
        )}
      </section>
    </SignedInPage>
  );
}
