import { useState } from 'preact/hooks';
import type { FileView } from '../../api/client';
import { describe } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApp } from '../app-context';

export function DeleteDialog({ file, onDeleted, onClose }: { file: FileView; onDeleted: () => void; onClose: () => void }) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const links = file.shares.filter((s) => !s.revoked).length;
  return (
    <Dialog title="Delete this file?" onClose={onClose}>
      <p>
        <strong class="file-name">{file.originalName ?? file.name}</strong> will be deleted for good
        {links > 0 ? `, and its ${links === 1 ? 'link stops' : `${links} links stop`} working at once` : ''}.
      </p>
      {error && <ErrorNotice message={error} />}
      <div class="dialog-actions">
        <button type="button" class="button secondary" onClick={onClose}>
          Keep it
        </button>
        <button
          type="button"
          class="button danger"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            setError('');
            api
              .deleteFile(file.fileId)
              .then(onDeleted)
              .catch((failure: unknown) => {
                setError(describe(failure));
                setBusy(false);
              });
          }}
        >
          {busy ? 'Deleting…' : 'Delete file'}
        </button>
      </div>
    </Dialog>
  );
}
