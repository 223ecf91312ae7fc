import { useState } from 'preact/hooks';
import type { FileView, Share } from '../../api/client';
import { describe } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatBytes } from '../../components/format';
import { useApp } from '../app-context';
import { NewLinkForm, ShareItem } from './LinksDialog';

/** One link to several selected files, with a file's link options; then the link, to copy or scan. */
export function SelectionLinkDialog({ files, onClose }: { files: FileView[]; onClose: () => void }) {
  const { api } = useApp();
  const [link, setLink] = useState<Share | null>(null);
  const [error, setError] = useState('');
  return (
    <Dialog title={`Share ${String(files.length)} files`} onClose={onClose} wide>
      {error && <ErrorNotice message={error} />}
      <ul class="selection-list" aria-label="Files in the link">
        {files.map((file) => (
          <li key={file.fileId}>
            <span class="file-name">{file.originalName ?? file.name}</span>{' '}
            <span class="muted">{formatBytes(file.size)}</span>
          </li>
        ))}
      </ul>
      <p class="muted">
        One link for all of them. A download through it gives every file, and counts once toward its download limit.
      </p>
      {link ? (
        <section aria-labelledby="selection-link-heading">
          <h3 id="selection-link-heading">Your link</h3>
          <ul class="share-list">
            <ShareItem
              share={link}
              onRevoke={async () => {
                setError('');
                try {
                  await api.revokeLink(link.shareId);
                  const page = await api.listLinks();
                  setLink(page.items.find((l) => l.shareId === link.shareId) ?? null);
                } catch (failure) {
                  setError(describe(failure));
                }
              }}
            />
          </ul>
          <p class="muted">
            Your links to several files are listed under <a href="/links">Links</a>.
          </p>
        </section>
      ) : (
        <NewLinkForm
          onCreate={async (body) => {
            setLink(await api.createLink({ fileIds: files.map((f) => f.fileId), ...body }));
          }}
        />
      )}
    </Dialog>
  );
}
