/**
 * The owner's links to several files (made from a selection in "Your files"): each with the files
 * it still serves, its state, downloads and expiry, to copy, show as a QR code or revoke. Loaded
 * lazily: the files view, the first screen, does not carry it.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Share } from '../../api/client';
import { ApiError, asApiError, describe } from '../../api/errors';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatBytes } from '../../components/format';
import { SignedInPage } from '../../components/SignedInPage';
import { useApp } from '../app-context';
import { ShareItem } from '../files/LinksDialog';
import { useSessionEnded } from '../useSessionEnded';

const PAGE = 20;

function LinkEntry({ link, onRevoke }: { link: Share; onRevoke: () => Promise<void> }) {
  const files = link.files ?? [];
  return (
    <li class="card link-entry">
      <ul class="selection-list" aria-label={`Files in the link ${link.shareId}`}>
        {files.map((file) => (
          <li key={file.fileId}>
            <span class="file-name">{file.name}</span> <span class="muted">{formatBytes(file.size)}</span>
          </li>
        ))}
      </ul>
      {files.length === 0 && <p class="muted">None of its files is left: the link no longer works.</p>}
      <ul class="share-list">
        <ShareItem share={link} onRevoke={onRevoke} />
      </ul>
    </li>
  );
}

export function LinksPage() {
  const { api } = useApp();
  const [links, setLinks] = useState<Share[]>([]);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [actionError, setActionError] = useState('');
  const sessionEnded = useSessionEnded();

  /** The first page again (after a revocation, or on load); ``more`` appends the next one. */
  const load = useCallback(
    async (more?: string) => {
      setLoading(true);
      try {
        const page = await api.listLinks(more, PAGE);
        setLinks((current) => (more ? [...current, ...page.items] : page.items));
        setNext(page.nextToken);
        setLoadError(null);
      } catch (error) {
        if (!sessionEnded(error)) {
          setLoadError(asApiError(error));
        }
      } finally {
        setLoading(false);
      }
    },
    [api, sessionEnded],
  );

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <SignedInPage skipTo="Skip to your links">
      <section aria-labelledby="links-heading" class="files-section">
        <h1 id="links-heading">Links to several files</h1>
        <p class="muted">
          Made by selecting files in <a href="/">Your files</a>. A download through one gives every file still
          present, and counts once toward its limit.
        </p>
        {loadError && <ErrorNotice message={loadError.message} onRetry={() => void load()} />}
        {actionError && <ErrorNotice message={actionError} />}
        {!loading && !loadError && links.length === 0 && (
          <p class="muted">No links to several files yet.</p>
        )}
        <ul class="file-list" aria-label="Your links to several files">
          {links.map((link) => (
            <LinkEntry
              key={link.shareId}
              link={link}
              onRevoke={async () => {
                setActionError('');
                try {
                  await api.revokeLink(link.shareId);
                  await load();
                } catch (failure) {
                  if (!sessionEnded(failure)) setActionError(describe(failure));
                }
              }}
            />
          ))}
        </ul>
        {loading && (
          <p class="spinner" role="status">
            Loading links…
          </p>
        )}
        {!loading && next && (
          <button
            type="button"
            class="button secondary"
            onClick={() => {
              void load(next);
            }}
          >
            Show more
          </button>
        )}
      </section>
    </SignedInPage>
  );
}
