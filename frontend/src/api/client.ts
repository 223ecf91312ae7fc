/**
 * The one HTTP client of the app. Bodies are typed from the contract (schema.d.ts, generated from
 * schemas/api/openapi.yaml); every failure becomes an ApiError whose message is a sentence.
 * Owner calls ask `getToken` for a token right before each request, so a session refreshed during
 * a long upload is used at once.
 */
import { ApiError, fromResponse, timedOut, unreachable } from './errors';
import type { components, operations } from './schema';

type Schemas = components['schemas'];
export type FileView = Schemas['file'];
export type FileStatus = FileView['status'];
export type Share = Schemas['share'];
export type FileList = Schemas['file-list.response'];
export type UploadRequest = Schemas['create-upload.request'];
export type PostPlan = Schemas['post'];
export type MultipartPlan = Schemas['multipart'];
export type UploadPlan = PostPlan | MultipartPlan;
export type CreateShareRequest = Schemas['create-share.request'];
export type ShareEmailRequest = Schemas['share-email.request'];
export type ShareEmailAnswer = Schemas['share-email.response'];
export type Notifications = Schemas['notifications'];
export type Me = Schemas['me.response'];
/** A link to several files: the same options, and the files. */
export type CreateLinkRequest = Schemas['create-link.request'];
export type LinkList = Schemas['link-list.response'];
export type LinkFile = Schemas['link-file'];
export type Download = Schemas['downloads.response']['items'][number];
/** What a recipient sees of a live link: a file's details, or the files of a link to several. */
export type PublicShare = Schemas['public-share-details'] | Schemas['public-link-details'];
export type PublicLink = Schemas['public-link-details'];
/** GET's answer: the details, or, for a password link, only that it needs one. */
export type ShareAnswer = Schemas['public-share.response'];
/** A redemption: one presigned GET, or one per file of a link to several files. */
export type DownloadGrant = Schemas['download.response'] | Schemas['link-download.response'];
export type LinkGrant = Schemas['link-download.response'];
/** File requests: the owner's view (with the files received), and what uploaders see. */
export type FileRequest = Schemas['request'];
export type RequestFile = Schemas['request-file'];
export type RequestList = Schemas['request-list.response'];
export type CreateRequestBody = Schemas['create-request.request'];
export type PublicRequest = Schemas['public-request-details'];
export type RequestAnswer = Schemas['public-request.response'];
export type RequestUploadBody = Schemas['request-upload.request'];
export type SentFile = Schemas['request-upload-status'];
/** Operators: a Standard workflow's execution, its steps, and a file with every execution of it. */
export type Execution = Schemas['ops-execution'];
export type ExecutionStatus = Execution['status'];
export type Step = Schemas['ops-step'];
export type ExecutionList = Schemas['ops-executions.response'];
export type FileTrace = Schemas['ops-file.response'];
export type Workflow = NonNullable<operations['listExecutions']['parameters']['query']>['workflow'];
export interface ExecutionFilter {
  status?: ExecutionStatus | undefined;
  workflow?: Workflow | undefined;
  /** ISO 8601 with a zone. */
  since?: string | undefined;
}

const TIMEOUT_MS = 20_000;

export interface ClientOptions {
  apiUrl: string;
  /** A fresh ID token (refreshed when needed) for owner routes; absent on the share page. */
  getToken?: () => Promise<string>;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export class ApiClient {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.fetchImpl = options.fetchImpl ?? fetch.bind(globalThis);
  }

  private async send<T>(method: Method, path: string, body?: unknown, owner = true): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (owner) {
      if (!this.options.getToken) throw new Error('owner routes need getToken');
      headers.authorization = `Bearer ${await this.options.getToken()}`;
    }
    let response: Response;
    try {
      response = await this.fetchImpl(this.options.apiUrl.replace(/\/$/, '') + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? TIMEOUT_MS),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') throw timedOut();
      throw unreachable();
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (!response.ok) throw fromResponse(response.status, parsed);
    return parsed as T;
  }

  // ------------------------------------------------------------------ owners
  listFiles(nextToken?: string, limit = 20): Promise<FileList> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (nextToken) query.set('nextToken', nextToken);
    return this.send('GET', `/files?${query.toString()}`);
  }

  /** The file, or null while the workflow has not registered it yet (404 for a moment). */
  async getFile(fileId: string): Promise<FileView | null> {
    try {
      return await this.send<FileView>('GET', `/files/${encodeURIComponent(fileId)}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }

  deleteFile(fileId: string): Promise<void> {
    return this.send('DELETE', `/files/${encodeURIComponent(fileId)}`);
  }

  createUpload(request: UploadRequest): Promise<UploadPlan> {
    return this.send('POST', '/uploads', request);
  }

  createShare(fileId: string, request: CreateShareRequest): Promise<Share> {
    return this.send('POST', `/files/${encodeURIComponent(fileId)}/shares`, request);
  }

  revokeShare(fileId: string, shareId: string): Promise<void> {
    return this.send('DELETE', `/files/${encodeURIComponent(fileId)}/shares/${encodeURIComponent(shareId)}`);
  }

  /** Sends the link to each address (the mailer writes one message per address). */
  emailShare(fileId: string, shareId: string, request: ShareEmailRequest): Promise<ShareEmailAnswer> {
    return this.send(
      'POST',
      `/files/${encodeURIComponent(fileId)}/shares/${encodeURIComponent(shareId)}/emails`,
      request,
    );
  }

  getMe(): Promise<Me> {
    return this.send('GET', '/me');
  }

  putNotifications(settings: Notifications): Promise<Notifications> {
    return this.send('PUT', '/me/notifications', settings);
  }

  /** One link to several files; its download limit counts per link. */
  createLink(request: CreateLinkRequest): Promise<Share> {
    return this.send('POST', '/shares', request);
  }

  listLinks(nextToken?: string, limit = 20): Promise<LinkList> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (nextToken) query.set('nextToken', nextToken);
    return this.send('GET', `/shares?${query.toString()}`);
  }

  revokeLink(shareId: string): Promise<void> {
    return this.send('DELETE', `/shares/${encodeURIComponent(shareId)}`);
  }

  async listDownloads(fileId: string): Promise<Download[]> {
    const answer = await this.send<Schemas['downloads.response']>(
      'GET',
      `/files/${encodeURIComponent(fileId)}/downloads`,
    );
    return answer.items;
  }

  listRequests(limit = 50): Promise<RequestList> {
    return this.send('GET', `/requests?limit=${String(limit)}`);
  }

  createRequest(body: CreateRequestBody): Promise<FileRequest> {
    return this.send('POST', '/requests', body);
  }

  closeRequest(requestId: string): Promise<void> {
    return this.send('DELETE', `/requests/${encodeURIComponent(requestId)}`);
  }

  // ------------------------------------------------------------------ operators (the API checks the group)
  listExecutions(filter: ExecutionFilter, nextToken?: string, limit = 20): Promise<ExecutionList> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (filter.status) query.set('status', filter.status);
    if (filter.workflow) query.set('workflow', filter.workflow);
    if (filter.since) query.set('since', filter.since);
    if (nextToken) query.set('nextToken', nextToken);
    return this.send('GET', `/ops/executions?${query.toString()}`);
  }

  traceFile(fileId: string): Promise<FileTrace> {
    return this.send('GET', `/ops/files/${encodeURIComponent(fileId)}`);
  }

  /** Continues a failed run from the state it stopped in; answers the run as it is now. */
  redrive(executionArn: string): Promise<Execution> {
    return this.send('POST', `/ops/executions/${encodeURIComponent(executionArn)}/redrive`);
  }

  // ------------------------------------------------------------------ recipients (no account)
  describeShare(token: string): Promise<ShareAnswer> {
    return this.send('GET', `/public/shares/${encodeURIComponent(token)}`, undefined, false);
  }

  unlockShare(token: string, password: string): Promise<PublicShare> {
    const body: Schemas['unlock.request'] = { password };
    return this.send('POST', `/public/shares/${encodeURIComponent(token)}/unlock`, body, false);
  }

  // ------------------------------------------------------------------ uploaders to a file request (no account)
  describeRequest(token: string): Promise<RequestAnswer> {
    return this.send('GET', `/public/requests/${encodeURIComponent(token)}`, undefined, false);
  }

  unlockRequest(token: string, password: string): Promise<PublicRequest> {
    const body: Schemas['unlock.request'] = { password };
    return this.send('POST', `/public/requests/${encodeURIComponent(token)}/unlock`, body, false);
  }

  /** An upload ticket: the same plan as createUpload, for a file of the request's owner. */
  requestUpload(token: string, body: RequestUploadBody): Promise<UploadPlan> {
    return this.send('POST', `/public/requests/${encodeURIComponent(token)}/uploads`, body, false);
  }

  /** The verdict on a file sent through the request, or null until the workflow registers it. */
  async sentFile(token: string, fileId: string): Promise<SentFile | null> {
    try {
      return await this.send<SentFile>(
        'GET',
        `/public/requests/${encodeURIComponent(token)}/uploads/${encodeURIComponent(fileId)}`,
        undefined,
        false,
      );
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }

  redeemDownload(token: string, password?: string): Promise<DownloadGrant> {
    const body: Schemas['download.request'] = password !== undefined ? { password } : {};
    return this.send('POST', `/public/shares/${encodeURIComponent(token)}/download`, body, false);
  }
}
