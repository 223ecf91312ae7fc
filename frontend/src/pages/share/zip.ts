/**
 * "Download all": the files of a link zipped in the browser as they stream from S3, so no byte passes
 * through our API. client-zip (stored, not compressed) loads only when asked, outside the share
 * page's first bundle. The finished zip is a Blob saved through an <a download>: it is held by the
 * browser until saved (as large as the files together; Chromium keeps large Blobs on disk).
 */

export interface ZipSource {
  name: string;
  url: string;
  size: number;
}

/** Names for the zip's entries: the files' own names, a second "a.txt" becoming "a (2).txt". */
export function zipEntryNames(names: string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    const dot = name.lastIndexOf('.');
    const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    for (let n = 2; taken.has(candidate.toLowerCase()); n += 1) candidate = `${stem} (${n})${extension}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}

export class FetchFailed extends Error {}

/** Fetches each file in turn and streams it into one zip; `onFile` says which file is being added. */
export async function zipFiles(
  files: ZipSource[],
  onFile: (index: number) => void,
  fetchImpl: typeof fetch = fetch.bind(globalThis),
): Promise<Blob> {
  const { downloadZip } = await import('client-zip');
  const names = zipEntryNames(files.map((f) => f.name));
  async function* entries() {
    for (const [index, file] of files.entries()) {
      onFile(index);
      const response = await fetchImpl(file.url);
      if (!response.ok) throw new FetchFailed(`${file.name} could not be fetched (${String(response.status)}).`);
      yield { name: names[index], input: response, size: file.size };
    }
  }
  return downloadZip(entries()).blob();
}

/** Saves a Blob under a name, as a download. */
export function saveBlob(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.download = filename;
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The download has started from the Blob; let it go once the browser has its copy.
  setTimeout(() => {
    URL.revokeObjectURL(href);
  }, 60_000);
}
