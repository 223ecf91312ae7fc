/**
 * The API's upload plans, one per file in the upload area. `POST /uploads` decides: a presigned
 * POST up to the single-request limit, presigned multipart above it (every part URL signed up
 * front, plus complete and abort URLs). The uploader follows the plan, so the browser always
 * chooses exactly what the API chose, and part boundaries match the plan's part size.
 */
import type { MultipartPlan, UploadPlan, UploadRequest } from '../api/client';

export interface UploadedPart {
  PartNumber: number;
  ETag: string;
}

interface Entry {
  plan?: UploadPlan;
  /** Why the API refused to plan this file (a sentence); the upload fails with it. */
  refusal?: Error;
  /** Parts S3 has acknowledged, so a resumed upload sends only the others. */
  parts: Map<number, string>;
}

/** The declared type the API accepts: a bare media type, else the generic binary type. */
export function declaredType(browserType: string | undefined): string {
  const bare = (browserType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return /^[a-z0-9][a-z0-9!#&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#&^_.+-]{0,126}$/.test(bare)
    ? bare
    : 'application/octet-stream';
}

export function uploadRequest(file: { name: string; size: number; type?: string | undefined }): UploadRequest {
  return { name: file.name, size: file.size, contentType: declaredType(file.type) };
}

/** The body of S3's CompleteMultipartUpload. */
export function completeMultipartXml(parts: readonly UploadedPart[]): string {
  const escape = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = [...parts]
    .sort((a, b) => a.PartNumber - b.PartNumber)
    .map((p) => `<Part><PartNumber>${p.PartNumber}</PartNumber><ETag>${escape(p.ETag)}</ETag></Part>`)
    .join('');
  return `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</CompleteMultipartUpload>`;
}

export class UploadPlans {
  private readonly entries = new Map<string, Entry>();
  private readonly byBlob = new WeakMap<Blob, string>();

  /**
   * Files that need a (new) plan: all but multipart uploads, which Uppy resumes with the same
   * upload id on a retry (sending only the parts S3 has not acknowledged).
   */
  needsPlan(id: string): boolean {
    return this.entries.get(id)?.plan?.method !== 'MULTIPART';
  }

  set(id: string, data: Blob, plan: UploadPlan): void {
    this.entries.set(id, { plan, parts: new Map() });
    this.byBlob.set(data, id);
  }

  refuse(id: string, data: Blob, refusal: Error): void {
    this.entries.set(id, { refusal, parts: new Map() });
    this.byBlob.set(data, id);
  }

  forget(id: string): void {
    this.entries.delete(id);
  }

  /**
   * The abort URL of a multipart upload still under way, once: removing a file and Uppy's own
   * abort call may both ask, and S3 needs only one DELETE.
   */
  takeAbortUrl(id: string): string | undefined {
    const entry = this.entries.get(id);
    if (entry?.plan?.method !== 'MULTIPART') return undefined;
    const url = entry.plan.abortUrl;
    this.entries.delete(id);
    return url;
  }

  /** The plan, or the API's refusal thrown as the file's upload error. */
  plan(id: string): UploadPlan {
    const entry = this.entries.get(id);
    if (entry?.refusal) throw entry.refusal;
    if (!entry?.plan) throw new Error('This file has no upload plan. Retry it.');
    return entry.plan;
  }

  usesMultipart(id: string): boolean {
    return this.entries.get(id)?.plan?.method === 'MULTIPART';
  }

  multipart(id: string): MultipartPlan {
    const plan = this.plan(id);
    if (plan.method !== 'MULTIPART') throw new Error('This file is uploaded in one request.');
    return plan;
  }

  /** The plan's part size, looked up by the file's bytes (Uppy asks with the Blob). */
  partSize(data: Blob): number {
    const id = this.byBlob.get(data);
    const plan = id !== undefined ? this.entries.get(id)?.plan : undefined;
    return plan?.method === 'MULTIPART' ? plan.partSize : data.size;
  }

  partUrl(id: string, partNumber: number): string {
    const part = this.multipart(id).parts.find((p) => p.partNumber === partNumber);
    if (!part) throw new Error(`The upload plan has no part ${partNumber}.`);
    return part.url;
  }

  recordPart(id: string, part: UploadedPart): void {
    this.entries.get(id)?.parts.set(part.PartNumber, part.ETag);
  }

  uploadedParts(id: string): UploadedPart[] {
    const parts = this.entries.get(id)?.parts ?? new Map<number, string>();
    return [...parts].map(([PartNumber, ETag]) => ({ PartNumber, ETag }));
  }
}
