import { describe, expect, it } from 'vitest';
import type { FileRequest } from '../../api/client';
import { newRequest, requestState } from './request-state';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const open: FileRequest = {
  requestId: '0123456789abcdef',
  title: 'Receipts',
  createdAt: '2026-11-29T11:00:00.000Z',
  expiresAt: '2026-11-30T11:00:00.000Z',
  maxBytes: 1000,
  filesAccepted: 0,
  filesReceived: 0,
  closed: false,
  accepting: true,
  passwordProtected: false,
  files: [],
};

describe('a file request as its owner sees it', () => {
  it('is closed, expired, full or locked before it is open', () => {
    expect(requestState(open, NOW)).toBe('open');
    expect(requestState({ ...open, closed: true, expiresAt: '2020-01-01T00:00:00Z' }, NOW)).toBe('closed');
    expect(requestState({ ...open, expiresAt: '2026-11-29T12:00:00.000Z' }, NOW)).toBe('expired');
    expect(requestState({ ...open, maxFiles: 2, filesAccepted: 2 }, NOW)).toBe('full');
    expect(requestState({ ...open, lockedUntil: '2026-11-29T12:10:00.000Z' }, NOW)).toBe('locked');
  });

  it('needs a title, a whole number of files and a long enough password', () => {
    const base = { title: ' Receipts ', expiresInSeconds: 86_400, maxFiles: '', password: '' };
    expect(newRequest(base)).toEqual({ ok: true, body: { title: 'Receipts', expiresInSeconds: 86_400 } });
    expect(newRequest({ ...base, maxFiles: '3', password: 'open sesame' })).toEqual({
      ok: true,
      body: { title: 'Receipts', expiresInSeconds: 86_400, maxFiles: 3, password: 'open sesame' },
    });
    expect(newRequest({ ...base, title: '  ' }).ok).toBe(false);
    expect(newRequest({ ...base, maxFiles: '1.5' }).ok).toBe(false);
    expect(newRequest({ ...base, maxFiles: '0' }).ok).toBe(false);
    expect(newRequest({ ...base, password: 'short' })).toEqual({
      ok: false,
      problem: 'The password must have at least 8 characters.',
    });
  });
});
