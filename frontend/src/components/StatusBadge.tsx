import type { FileStatus } from '../api/client';

const LABELS: Record<FileStatus, string> = {
  PROCESSING: 'Checking…',
  READY: 'Ready',
  REJECTED: 'Rejected',
  INFECTED: 'Infected',
  FAILED: 'Failed',
  DELETED: 'Deleted',
  EXPIRED: 'Expired',
};

export function isFileStatus(status: string): status is FileStatus {
  return Object.hasOwn(LABELS, status);
}

/** The status in words (never only a colour). */
export function StatusBadge({ status }: { status: FileStatus }) {
  return <span class={`badge status-${status.toLowerCase()}`}>{LABELS[status]}</span>;
}
