/**
 * The upload area: Uppy's Dashboard (drag and drop, file picker, paste, a progress bar per file
 * and one for all with speed and time left, cancel and retry per file) and its AwsS3 uploader,
 * fed with the API's plans: a presigned POST, or multipart with parallel parts, each retried,
 * resumed after a network drop and aborted on cancel. Loaded lazily: the first screen does not
 * need it.
 */
import Uppy, { type UppyFile } from '@uppy/core';
import Dashboard from '@uppy/dashboard';
import AwsS3 from '@uppy/aws-s3';
import '@uppy/core/css/style.min.css';
import '@uppy/dashboard/css/style.min.css';
import type { UploadPlan, UploadRequest } from '../api/client';
import { describe as describeError } from '../api/errors';
import { formatBytes } from '../components/format';
import { completeMultipartXml, UploadPlans, uploadRequest } from './plans';
import { postForm } from './post-form';

type Meta = { fileId?: string };
type Body = Record<string, unknown>;
type File = UppyFile<Meta, Body>;

export interface Uploaded {
  fileId: string;
  name: string;
  size: number;
  contentType: string;
}

export interface UploaderOptions {
  target: HTMLElement;
  /** Asks the API for a file's plan: `POST /uploads`, or a file request's upload ticket. */
  plan: (request: UploadRequest) => Promise<UploadPlan>;
  maxUploadBytes: number;
  /** The line under the drop area (default: any number of files, up to the limit each). */
  note?: string;
  /** At most this many files (a file request's files left). */
  maxFiles?: number;
  onUploaded: (file: Uploaded) => void;
  /** Connection state in words, for the page's live region ('' when all is well). */
  onConnection: (sentence: string) => void;
  /** A file refused before any byte moved (too large), in words; '' when files are accepted again. */
  onRefused: (sentence: string) => void;
}

/** Parallel requests to S3 (parts of one file, or several files). */
const PARALLEL = 4;
/** Every part request is retried after these waits before its file fails. */
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10_000];

export function createUploader(options: UploaderOptions): { close: () => void } {
  const plans = new UploadPlans();

  const uppy = new Uppy<Meta, Body>({
    autoProceed: true,
    restrictions: {
      maxFileSize: options.maxUploadBytes,
      ...(options.maxFiles !== undefined ? { maxNumberOfFiles: options.maxFiles } : {}),
    },
    locale: {
      strings: {
        exceedsSize: '%{file} is too large: the largest file you can upload is %{size}.',
        youCanOnlyUploadX: {
          0: 'You can send only %{smart_count} file here.',
          1: 'You can send only %{smart_count} files here.',
        },
        noInternetConnection: 'The connection dropped. Uploads are retrying and go on when it is back.',
        connectedToInternet: 'The connection is back. Uploads go on.',
      },
      pluralize: (n: number) => (n === 1 ? 0 : 1),
    },
  });

  // Plan every file with the API before any byte moves. A refusal fails that file with the
  // API's reason in words; the others go on.
  async function abortUpload(id: string): Promise<void> {
    const abortUrl = plans.takeAbortUrl(id);
    if (abortUrl) await fetch(abortUrl, { method: 'DELETE' }).catch(() => undefined);
  }

  uppy.addPreProcessor(async (ids: string[]) => {
    await Promise.all(
      ids.map(async (id) => {
        const file = uppy.getFile(id);
        if (!plans.needsPlan(id)) return;
        try {
          const plan = await options.plan(uploadRequest({ name: file.name, size: file.size ?? 0, type: file.type }));
          plans.set(id, file.data as Blob, plan);
          // Removed while its plan was on the way: give the multipart upload up at once.
          if (!(uppy.getFiles() as File[]).some((f) => f.id === id)) {
            await abortUpload(id);
            return;
          }
          uppy.setFileMeta(id, { fileId: plan.fileId });
        } catch (error) {
          plans.refuse(id, file.data as Blob, new Error(describeError(error)));
        }
      }),
    );
  });

  uppy.use(Dashboard, {
    target: options.target,
    inline: true,
    width: '100%',
    height: 320,
    theme: 'auto',
    proudlyDisplayPoweredByUppy: false,
    hideProgressDetails: false,
    note: options.note ?? `Any number of files, up to ${formatBytes(options.maxUploadBytes)} each.`,
    doneButtonHandler: () => {
      uppy.clear();
    },
  });

  uppy.use(AwsS3, {
    limit: PARALLEL,
    retryDelays: RETRY_DELAYS_MS,
    allowedMetaFields: [],
    shouldUseMultipart: (file: File) => plans.usesMultipart(file.id),
    uploadPartBytes: (request) =>
      request.signature.method === 'POST' && request.body instanceof FormData
        ? postForm({
            url: request.signature.url,
            body: request.body,
            size: request.size ?? 0,
            onProgress: request.onProgress as (event: { loaded: number; lengthComputable: boolean }) => void,
            onComplete: request.onComplete as (etag: string) => void,
            signal: request.signal,
          })
        : AwsS3.uploadPartBytes(request),
    getChunkSize: (data: { size: number }) => plans.partSize(data as Blob),
    getUploadParameters: (file: File) => {
      const plan = plans.plan(file.id);
      if (plan.method !== 'POST') throw new Error('This file is uploaded in parts.');
      return { method: 'POST' as const, url: plan.url, fields: plan.fields, headers: {} };
    },
    createMultipartUpload: (file: File) => {
      const plan = plans.multipart(file.id);
      return { uploadId: plan.uploadId, key: plan.fileId };
    },
    signPart: (file: File, { partNumber }: { partNumber: number }) => ({
      method: 'PUT' as const,
      url: plans.partUrl(file.id, partNumber),
      headers: {},
    }),
    listParts: (file: File) => plans.uploadedParts(file.id),
    completeMultipartUpload: async (file: File, { parts, signal }: { parts: { PartNumber?: number; ETag?: string }[]; signal: AbortSignal }) => {
      const plan = plans.multipart(file.id);
      const body = completeMultipartXml(
        parts.map((p) => ({ PartNumber: p.PartNumber ?? 0, ETag: p.ETag ?? '' })),
      );
      const response = await fetch(plan.completeUrl, { method: 'POST', body, signal });
      const text = await response.text();
      // S3 may answer 200 with an <Error> body when completing fails late.
      if (!response.ok || text.includes('<Error>')) {
        throw new Error('The storage service could not put the parts together. Retry the file.');
      }
      return {};
    },
    abortMultipartUpload: (file: File) => abortUpload(file.id),
  });

  uppy.on('s3-multipart:part-uploaded', (file, part) => {
    plans.recordPart(file.id, part);
  });
  // A removed (cancelled) file's multipart upload is aborted in S3, so no parts are left behind.
  uppy.on('file-removed', (file) => {
    void abortUpload(file.id);
    plans.forget(file.id);
  });
  uppy.on('upload-success', (file) => {
    const fileId = file?.meta.fileId;
    if (!file || !fileId) return;
    options.onUploaded({
      fileId,
      name: file.name,
      size: file.size ?? 0,
      contentType: uploadRequest({ name: '', size: 0, type: file.type }).contentType,
    });
    plans.forget(file.id);
  });
  uppy.on('restriction-failed', (_file, error) => {
    options.onRefused(error.message);
  });
  uppy.on('files-added', () => {
    options.onRefused('');
  });
  uppy.on('is-offline', () => {
    options.onConnection('The connection dropped. Uploads are retrying and go on when it is back.');
  });
  uppy.on('is-online', () => {
    options.onConnection('');
  });

  // Uppy's Dashboard shows a single file as a listitem with no list around it
  // (axe: aria-required-parent); give its container the list role it has with several files.
  const listRole = new MutationObserver(() => {
    for (const files of options.target.querySelectorAll('.uppy-Dashboard-files:not([role])')) {
      files.setAttribute('role', 'list');
    }
  });
  listRole.observe(options.target, { childList: true, subtree: true });

  return {
    close: () => {
      listRole.disconnect();
      uppy.destroy();
    },
  };
}
