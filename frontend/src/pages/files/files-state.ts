/** The owner's file list as the page holds it: newest first, one entry per file id. */
import type { FileView } from '../../api/client';
import type { Uploaded } from '../../upload/uploader';

/** A file just uploaded, shown at once while the workflow has not registered it yet. */
export function justUploaded(upload: Uploaded, now: Date = new Date()): FileView {
  return {
    fileId: upload.fileId,
    name: upload.name,
    size: upload.size,
    contentType: upload.contentType,
    status: 'PROCESSING',
    createdAt: now.toISOString(),
    downloads: 0,
    shares: [],
  };
}

/** Puts a file in (replacing the entry with its id) and keeps newest first. */
export function upsert(files: readonly FileView[], file: FileView): FileView[] {
  const others = files.filter((f) => f.fileId !== file.fileId);
  return [...others, file].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Appends a page, skipping files already shown (a just-uploaded file may be on both). */
export function appendPage(files: readonly FileView[], page: readonly FileView[]): FileView[] {
  const seen = new Set(files.map((f) => f.fileId));
  return [...files, ...page.filter((f) => !seen.has(f.fileId))];
}

export function matchesFilter(file: FileView, filter: string): boolean {
  const needle = filter.trim().toLocaleLowerCase();
  if (!needle) return true;
  return [file.name, file.originalName ?? ''].some((name) => name.toLocaleLowerCase().includes(needle));
}
