import { describe, expect, it } from 'vitest';
import type { FileView } from '../../api/client';
import { appendPage, justUploaded, matchesFilter, upsert } from './files-state';

const at = (fileId: string, createdAt: string, name = `${fileId}.txt`): FileView => ({
  fileId,
  name,
  size: 1,
  contentType: 'text/plain',
  status: 'READY',
  createdAt,
  downloads: 0,
  shares: [],
});

describe('the file list', () => {
  it('shows a just-uploaded file at once, on top, as being checked', () => {
    const files = [at('a', '2026-11-29T10:00:00Z')];
    const uploaded = justUploaded(
      { fileId: 'b', name: 'new.txt', size: 3, contentType: 'text/plain' },
      new Date('2026-11-29T11:00:00Z'),
    );
    const list = upsert(files, uploaded);
    expect(list.map((f) => [f.fileId, f.status])).toEqual([
      ['b', 'PROCESSING'],
      ['a', 'READY'],
    ]);
  });

  it("replaces a file's entry when its status arrives", () => {
    const list = upsert([at('a', '2026-11-29T10:00:00Z')], { ...at('a', '2026-11-29T10:00:00Z'), status: 'INFECTED' });
    expect(list).toHaveLength(1);
    expect(list[0]?.status).toBe('INFECTED');
  });

  it('does not show a file twice when a page repeats it', () => {
    const list = appendPage([at('a', '2026-11-29T10:00:00Z')], [at('a', '2026-11-29T10:00:00Z'), at('c', '2026-11-28T10:00:00Z')]);
    expect(list.map((f) => f.fileId)).toEqual(['a', 'c']);
  });

  it('filters by name, ignoring case', () => {
    const file = at('a', '2026-11-29T10:00:00Z', 'Quarterly Report.PDF');
    expect(matchesFilter(file, 'report')).toBe(true);
    expect(matchesFilter(file, 'invoice')).toBe(false);
    expect(matchesFilter(file, '  ')).toBe(true);
  });
});
