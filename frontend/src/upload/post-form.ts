/**
 * Sends a presigned POST (a multipart/form-data body) with upload progress. Uppy's own sender
 * insists on reading the answer's ETag, which a POST upload does not need (there is no completion
 * step) and which a bucket need not expose to the browser; this one only needs a 2xx.
 */
export interface PostFormOptions {
  url: string;
  body: FormData;
  size: number;
  onProgress: (event: { loaded: number; lengthComputable: boolean }) => void;
  onComplete: (etag: string) => void;
  signal?: AbortSignal | undefined;
}

/** Shaped as Uppy's errors are, so its retry rules see the HTTP status (0: no answer). */
export class UploadRequestError extends Error {
  constructor(
    message: string,
    readonly source: { status: number },
  ) {
    super(message);
  }
}

export function postForm(options: PostFormOptions): Promise<{ ETag: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const abort = () => {
      xhr.abort();
    };
    options.signal?.addEventListener('abort', abort);
    const done = () => options.signal?.removeEventListener('abort', abort);
    xhr.open('POST', options.url, true);
    xhr.upload.addEventListener('progress', (event) => {
      options.onProgress(event);
    });
    xhr.addEventListener('load', () => {
      done();
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(new UploadRequestError('The storage service refused the file. Retry it.', { status: xhr.status }));
        return;
      }
      options.onProgress({ loaded: options.size, lengthComputable: true });
      // Only the headers the bucket exposes are listed; asking for another one logs an error.
      const headers = new Map(
        xhr
          .getAllResponseHeaders()
          .trim()
          .split(/[\r\n]+/)
          .map((line) => [line.split(': ', 1)[0]?.toLowerCase() ?? '', line.slice(line.indexOf(': ') + 2)]),
      );
      const etag = headers.get('etag') ?? '';
      options.onComplete(etag);
      const location = headers.get('location');
      resolve({ ETag: etag, ...(location ? { location } : {}) });
    });
    xhr.addEventListener('error', () => {
      done();
      reject(new UploadRequestError('The connection dropped during the upload.', { status: 0 }));
    });
    xhr.addEventListener('abort', () => {
      done();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    });
    xhr.send(options.body);
  });
}
