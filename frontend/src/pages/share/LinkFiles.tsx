import type { PublicLink } from '../../api/client';
import { formatBytes, formatDate, formatRelative, formatType } from '../../components/format';

export type ZipProgress = { kind: 'idle' } | { kind: 'zipping'; file: number; total: number } | { kind: 'saved' };

/** A link to several files: each file with its own download, and "Download all" as one zip. */
export function LinkFiles({
  link,
  granted,
  busy,
  zip,
  onDownload,
  onDownloadAll,
}: {
  link: PublicLink;
  /** This visit's download is still usable: its files can be saved again without counting another. */
  granted: boolean;
  busy: boolean;
  zip: ZipProgress;
  onDownload: (fileId: string) => void;
  onDownloadAll: () => void;
}) {
  const total = link.files.reduce((sum, file) => sum + file.size, 0);
  const usedUp = link.downloadsLeft === 0 && !granted;
  return (
    <>
      <dl class="share-details">
        <div>
          <dt>Files</dt>
          <dd>
            {link.files.length} ({formatBytes(total)})
          </dd>
        </div>
        <div>
          <dt>Available until</dt>
          <dd>
            {formatDate(link.expiresAt)} ({formatRelative(link.expiresAt)})
          </dd>
        </div>
        {link.downloadsLeft !== undefined && (
          <div>
            <dt>Downloads left</dt>
            <dd>{link.downloadsLeft}</dd>
          </div>
        )}
      </dl>
      {link.downloadsLeft !== undefined && (
        <p class="muted small">One download gives you every file, for a few minutes.</p>
      )}
      <ul class="link-files" aria-label="Files">
        {link.files.map((file) => (
          <li key={file.fileId} class="link-file">
            <div class="link-file-text">
              <span class="file-name">{file.name}</span>
              <span class="muted small">
                {formatBytes(file.size)} · {formatType(file.contentType)}
              </span>
            </div>
            <button
              type="button"
              class="button small secondary"
              disabled={busy || usedUp}
              aria-label={`Download ${file.name}`}
              onClick={() => {
                onDownload(file.fileId);
              }}
            >
              Download
            </button>
          </li>
        ))}
      </ul>
      <p role="status" aria-live="polite" class={zip.kind === 'idle' ? 'visually-hidden' : 'notice info'}>
        {zip.kind === 'zipping' && `Adding file ${String(zip.file + 1)} of ${String(zip.total)} to the zip…`}
        {zip.kind === 'saved' && 'The zip is saved.'}
      </p>
      {granted && (
        <p class="muted small">Your download is ready: save each file, or all of them, in the next few minutes.</p>
      )}
      {usedUp ? (
        <p>This link has no downloads left.</p>
      ) : (
        <button type="button" class="button full download" disabled={busy} onClick={onDownloadAll}>
          {zip.kind === 'zipping' ? 'Zipping…' : 'Download all (.zip)'}
        </button>
      )}
    </>
  );
}
