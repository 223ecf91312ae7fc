/**
 * The files an uploader sent through a request, as their page lists them: newest first, each with
 * its verdict in words (the API tells them nothing else about a file, and nothing of the owner).
 */
import type { SentFile } from '../../api/client';

export type SentStatus = SentFile['status'];

export const VERDICTS: Record<SentStatus, string> = {
  PROCESSING: 'Checking…',
  READY: 'Received',
  REJECTED: 'Not accepted',
  INFECTED: 'Not accepted: malware',
  FAILED: 'Could not be checked',
  EXPIRED: 'Expired',
};

export const EXPLANATIONS: Partial<Record<SentStatus, string>> = {
  PROCESSING: 'Checking for malware and file type…',
  READY: 'Checked and delivered.',
  REJECTED: 'This kind of file, or this file, cannot be accepted here.',
  INFECTED: 'Malware was found in this file. It was not delivered.',
  FAILED: 'Something went wrong while checking it. Send it again later.',
};

/** Adds a file, or replaces the one with its id; the newest stays first. */
export function upsertSent(files: readonly SentFile[], file: SentFile): SentFile[] {
  const index = files.findIndex((f) => f.fileId === file.fileId);
  if (index === -1) return [file, ...files];
  const next = [...files];
  next[index] = file;
  return next;
}

/** A file just sent, before the workflow has registered it. */
export function justSent(upload: { fileId: string; name: string; size: number }, at = new Date()): SentFile {
  return { fileId: upload.fileId, name: upload.name, size: upload.size, status: 'PROCESSING', createdAt: at.toISOString() };
}
