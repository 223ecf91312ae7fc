/** What an owner needs to know about a file request, and the body of a new one. */
import type { CreateRequestBody, FileRequest } from '../../api/client';
import { MIN_PASSWORD } from '../files/share-state';

export type RequestState = 'open' | 'closed' | 'expired' | 'full' | 'locked';

export function requestState(request: FileRequest, now: number = Date.now()): RequestState {
  if (request.closed) return 'closed';
  if (Date.parse(request.expiresAt) <= now) return 'expired';
  if (request.maxFiles !== undefined && request.filesAccepted >= request.maxFiles) return 'full';
  if (request.lockedUntil && Date.parse(request.lockedUntil) > now) return 'locked';
  return 'open';
}

export const REQUEST_LABELS: Record<RequestState, string> = {
  open: 'Open',
  closed: 'Closed',
  expired: 'Expired',
  full: 'Has all its files',
  locked: 'Locked for now (too many wrong passwords)',
};

export interface RequestOptions {
  title: string;
  expiresInSeconds: number;
  maxFiles: string;
  password: string;
}

/** The body of `POST /requests`, or a sentence saying what to fix. */
export function newRequest(options: RequestOptions): { ok: true; body: CreateRequestBody } | { ok: false; problem: string } {
  const title = options.title.trim();
  if (!title) return { ok: false, problem: 'Say what you are asking for: the title is shown to the people you send the link to.' };
  if (title.length > 200) return { ok: false, problem: 'The title can have at most 200 characters.' };
  const body: CreateRequestBody = { title, expiresInSeconds: options.expiresInSeconds };
  const count = options.maxFiles.trim();
  if (count) {
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      return { ok: false, problem: 'The number of files must be a whole number from 1 to 1,000.' };
    }
    body.maxFiles = n;
  }
  if (options.password) {
    if (options.password.length < MIN_PASSWORD) {
      return { ok: false, problem: `The password must have at least ${String(MIN_PASSWORD)} characters.` };
    }
    body.password = options.password;
  }
  return { ok: true, body };
}
