import type { FileView } from '../../api/client';
import { formatBytes, formatDate, formatType } from '../../components/format';
import { StatusBadge } from '../../components/StatusBadge';

function sentence(text: string): string {
  const trimmed = text.trim();
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

const WHY: Partial<Record<FileView['status'], string>> = {
  INFECTED: 'Malware was found in this file. It cannot be shared.',
  REJECTED: 'This file was refused.',
  FAILED: 'Checking this file failed.',
};

export function FileItem({
  file,
  selected,
  onSelect,
  onLinks,
  onDelete,
}: {
  file: FileView;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  onLinks: () => void;
  onDelete: () => void;
}) {
  const why = WHY[file.status];
  const shownName = file.originalName ?? file.name;
  return (
    <li class={selected ? 'file-item card selected' : 'file-item card'}>
      <div class="file-title">
        {file.status === 'READY' && (
          <input
            type="checkbox"
            class="select-file"
            checked={selected}
            aria-label={`Select ${shownName}`}
            onChange={(event) => {
              onSelect(event.currentTarget.checked);
            }}
          />
        )}
        <h3 class="file-name">{shownName}</h3>
        <StatusBadge status={file.status} />
      </div>
      <p class="file-meta muted">
        <span>{formatBytes(file.size)}</span>
        <span>{formatType(file.contentType)}</span>
        <span>Uploaded {formatDate(file.createdAt)}</span>
        {file.expiresAt && <span>Expires {formatDate(file.expiresAt)}</span>}
        {file.requestId && <span>Sent through a request{file.uploaderName ? ` by ${file.uploaderName}` : ''}</span>}
      </p>
      {why && (
        <p class={`file-reason status-${file.status.toLowerCase()}`}>
          {why} {file.reason ? sentence(file.reason) : ''}
        </p>
      )}
      {file.status === 'PROCESSING' && <p class="muted file-reason">Checking for malware and file type…</p>}
      <div class="file-actions">
        {file.status === 'READY' && (
          <button type="button" class="button small" onClick={onLinks} aria-label={`Share ${shownName}`}>
            Share
          </button>
        )}
        {file.status !== 'PROCESSING' && (
          <button type="button" class="button small secondary" onClick={onDelete} aria-label={`Delete ${shownName}`}>
            Delete
          </button>
        )}
      </div>
    </li>
  );
}
