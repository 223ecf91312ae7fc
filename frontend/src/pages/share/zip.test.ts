import { describe, expect, it } from 'vitest';
import { FetchFailed, zipEntryNames, zipFiles } from './zip';

/** The central directory's file names of a stored zip, read the plain way. */
async function entries(blob: Blob): Promise<{ name: string; data: string }[]> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const view = new DataView(bytes.buffer);
  const found = [];
  for (let at = 0; at + 30 <= bytes.length; ) {
    if (view.getUint32(at, true) !== 0x04034b50) break;
    const nameLength = view.getUint16(at + 26, true);
    const extra = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 30, at + 30 + nameLength));
    const start = at + 30 + nameLength + extra;
    // client-zip streams: sizes follow the data in a data descriptor; find the next header instead.
    let end = start;
    while (end + 4 <= bytes.length && ![0x08074b50, 0x04034b50, 0x02014b50].includes(view.getUint32(end, true))) end += 1;
    found.push({ name, data: new TextDecoder().decode(bytes.subarray(start, end)) });
    at = view.getUint32(end, true) === 0x08074b50 ? end + 16 : end;
  }
  return found;
}

describe('download all', () => {
  it('keeps names apart that would collide in the zip', () => {
    expect(zipEntryNames(['a.txt', 'b.txt', 'a.txt', 'A.TXT', 'notes'])).toEqual([
      'a.txt',
      'b.txt',
      'a (2).txt',
      'A (3).TXT',
      'notes',
    ]);
  });

  it('streams each file into the zip in order, fetching one after another', async () => {
    const bodies: Record<string, string> = { 'https://s3/a': 'first file\n', 'https://s3/b': 'second\n' };
    const fetched: string[] = [];
    const fake = (url: string) => {
      fetched.push(url);
      return Promise.resolve(new Response(bodies[url]));
    };
    const added: number[] = [];
    const blob = await zipFiles(
      [
        { name: 'a.txt', url: 'https://s3/a', size: 11 },
        { name: 'a.txt', url: 'https://s3/b', size: 7 },
      ],
      (index) => added.push(index),
      fake as unknown as typeof fetch,
    );
    expect(await entries(blob)).toEqual([
      { name: 'a.txt', data: 'first file\n' },
      { name: 'a (2).txt', data: 'second\n' },
    ]);
    expect(fetched).toEqual(['https://s3/a', 'https://s3/b']);
    expect(added).toEqual([0, 1]);
  });

  it('fails in words when a file cannot be fetched', async () => {
    const fake = () => Promise.resolve(new Response('', { status: 403 }));
    await expect(zipFiles([{ name: 'gone.pdf', url: 'https://s3/x', size: 1 }], () => undefined, fake)).rejects.toThrow(
      FetchFailed,
    );
  });
});
