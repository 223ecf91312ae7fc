/**
 * Every failure the HTTP client can meet, as one error type whose message is a sentence for
 * people. The API's `{"error": {"code", "message"}}` codes are turned into words here and nowhere
 * else; a code is never shown.
 */
export type FailureKind = 'refused' | 'server' | 'timeout' | 'network' | 'session';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth a "try again" button: the same request may well succeed later. */
  get retryable(): boolean {
    return this.kind === 'server' || this.kind === 'timeout' || this.kind === 'network' || this.status === 429;
  }
}

const SENTENCES: Record<string, string> = {
  upload_too_large: 'This file is larger than the largest upload allowed.',
  name_too_long: 'The file name is too long. Rename the file and try again.',
  not_found: 'This file no longer exists.',
  unauthorized: 'Your session has ended. Sign in again.',
  forbidden: 'You are not allowed to do this.',
  password_required: 'This link needs a password.',
  wrong_password: 'That password is not right. Check it and try again.',
  too_many_attempts: 'Too many wrong passwords. Try again later.',
  file_not_ready: 'This file is still being checked. Links can be made once it is ready.',
  file_processing: 'This file is still being checked. Try again when it is done.',
  conflict: 'Something changed meanwhile. Reload and try again.',
  not_redrivable:
    'This run cannot be redriven: it is still running, it has succeeded, or it stopped in a Fail state on purpose.',
};

/** A server's own message, made into a sentence (it is written for people, but lower-case). */
function asSentence(message: string): string {
  const text = message.trim();
  if (!text) return '';
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

function errorBody(body: unknown): { code?: string; message?: string } {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = body.error;
    if (typeof error === 'object' && error !== null) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      return {
        ...(typeof code === 'string' ? { code } : {}),
        ...(typeof message === 'string' ? { message } : {}),
      };
    }
  }
  return {};
}

/** The error for an HTTP answer that was not a success. */
export function fromResponse(status: number, body: unknown): ApiError {
  const { code, message } = errorBody(body);
  if (status === 401) return new ApiError(SENTENCES.unauthorized ?? '', 'session', status, code ?? 'unauthorized');
  if (status >= 500) {
    return new ApiError('The service had a problem and could not finish. Try again in a moment.', 'server', status, code);
  }
  const known = code !== undefined ? SENTENCES[code] : undefined;
  const sentence = known ?? (message ? asSentence(message) : 'The request was refused.');
  return new ApiError(sentence, 'refused', status, code);
}

export function timedOut(): ApiError {
  return new ApiError('The service did not answer in time. Try again in a moment.', 'timeout', 0, undefined);
}

export function unreachable(): ApiError {
  return new ApiError('The service cannot be reached. Check your connection and try again.', 'network', 0, undefined);
}

/** Any thrown value as a sentence for people. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Try again in a moment.';
}

/** Any thrown value as an ApiError: itself, or a server failure described for people. */
export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(describe(error), 'server', 0, undefined);
}
