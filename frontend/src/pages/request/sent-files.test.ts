import { describe, expect, it } from 'vitest';
import { justSent, upsertSent, VERDICTS } from './sent-files';

describe('the files an uploader sent', () => {
  it('lists a new file first and replaces a known one in place with its verdict', () => {
    const first = justSent({ fileId: 'a', name: 'a.txt', size: 1 });
    const second = justSent({ fileId: 'b', name: 'b.txt', size: 2 });
    const listed = upsertSent(upsertSent([], first), second);
    expect(listed.map((f) => f.fileId)).toEqual(['b', 'a']);
    const judged = upsertSent(listed, { ...first, status: 'INFECTED' });
    expect(judged.map((f) => [f.fileId, f.status])).toEqual([
      ['b', 'PROCESSING'],
      ['a', 'INFECTED'],
    ]);
    expect(VERDICTS[judged[1]?.status ?? 'PROCESSING']).toBe('Not accepted: malware');
  });
});
