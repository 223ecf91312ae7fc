import type { Share } from '../../api/client';

export type ShareState = 'active' | 'revoked' | 'expired' | 'used-up' | 'locked';

/** What a link's owner needs to know about it now. */
export function shareState(share: Share, now: number = Date.now()): ShareState {
  if (share.revoked) return 'revoked';
  if (Date.parse(share.expiresAt) <= now) return 'expired';
  if (share.maxDownloads !== undefined && share.downloads >= share.maxDownloads) return 'used-up';
  if (share.lockedUntil && Date.parse(share.lockedUntil) > now) return 'locked';
  return 'active';
}

export const STATE_LABELS: Record<ShareState, string> = {
  active: 'Active',
  revoked: 'Revoked',
  expired: 'Expired',
  'used-up': 'Used up',
  locked: 'Locked for now (too many wrong passwords)',
};

export const EXPIRY_CHOICES: { label: string; seconds: number }[] = [
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86_400 },
  { label: '7 days', seconds: 604_800 },
  { label: '30 days', seconds: 2_592_000 },
];

export const MIN_PASSWORD = 8;

export interface LinkOptions {
  expiresInSeconds: number;
  maxDownloads: string;
  password: string;
}

/** The request for a new link, or a sentence saying what to fix. */
export function linkRequest(
  options: LinkOptions,
): { ok: true; body: { expiresInSeconds: number; maxDownloads?: number; password?: string } } | { ok: false; problem: string } {
  const body: { expiresInSeconds: number; maxDownloads?: number; password?: string } = {
    expiresInSeconds: options.expiresInSeconds,
  };
  const limit = options.maxDownloads.trim();
  if (limit) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
      return { ok: false, problem: 'The download limit must be a whole number from 1 to 1,000,000.' };
    }
    body.maxDownloads = n;
  }
  if (options.password) {
    if (options.password.length < MIN_PASSWORD) {
      return { ok: false, problem: `The password must have at least ${MIN_PASSWORD} characters.` };
    }
    body.password = options.password;
  }
  return { ok: true, body };
}

export const MAX_RECIPIENTS = 10;
export const MAX_NOTE = 1000;

/** The addresses typed into "Send this link to…" (commas, semicolons, spaces or new lines between
 * them), or a sentence saying what to fix. The API checks each address again and names a bad one. */
export function emailRequest(
  addresses: string,
  note: string,
): { ok: true; body: { to: string[]; message?: string } } | { ok: false; problem: string } {
  const to = addresses.split(/[\s,;]+/).filter((a) => a !== '');
  if (to.length === 0) return { ok: false, problem: 'Enter at least one email address.' };
  if (to.length > MAX_RECIPIENTS) {
    return { ok: false, problem: `Send to at most ${MAX_RECIPIENTS} addresses at a time.` };
  }
  const bad = to.find((a) => !/^[^@]+@[^@]+$/.test(a));
  if (bad !== undefined) return { ok: false, problem: `“${bad}” is not an email address.` };
  const message = note.trim();
  if (message.length > MAX_NOTE) return { ok: false, problem: `The message may have at most ${MAX_NOTE} characters.` };
  return { ok: true, body: message ? { to, message } : { to } };
}
