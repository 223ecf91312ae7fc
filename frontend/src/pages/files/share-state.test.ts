import { describe, expect, it } from 'vitest';
import type { Share } from '../../api/client';
import { linkRequest, shareState } from './share-state';

const now = Date.parse('2026-11-29T12:00:00Z');
const share = (extra: Partial<Share> = {}): Share => ({
  shareId: '0123456789abcdef',
  token: 'x'.repeat(43),
  url: `http://app/s/${'x'.repeat(43)}`,
  createdAt: '2026-11-29T11:00:00Z',
  expiresAt: '2026-12-06T11:00:00Z',
  downloads: 0,
  revoked: false,
  passwordProtected: false,
  ...extra,
});

describe('shareState', () => {
  it('tells the owner what became of each link', () => {
    expect(shareState(share(), now)).toBe('active');
    expect(shareState(share({ revoked: true }), now)).toBe('revoked');
    expect(shareState(share({ expiresAt: '2026-11-29T11:59:00Z' }), now)).toBe('expired');
    expect(shareState(share({ maxDownloads: 1, downloads: 1 }), now)).toBe('used-up');
    expect(shareState(share({ lockedUntil: '2026-11-29T12:10:00Z' }), now)).toBe('locked');
  });
});

describe('linkRequest', () => {
  it('sends only the options chosen', () => {
    expect(linkRequest({ expiresInSeconds: 3600, maxDownloads: '', password: '' })).toEqual({
      ok: true,
      body: { expiresInSeconds: 3600 },
    });
    expect(linkRequest({ expiresInSeconds: 3600, maxDownloads: '1', password: 'longenough' })).toEqual({
      ok: true,
      body: { expiresInSeconds: 3600, maxDownloads: 1, password: 'longenough' },
    });
  });

  it('refuses a short password or a bad limit with a sentence', () => {
    expect(linkRequest({ expiresInSeconds: 3600, maxDownloads: '', password: 'short' })).toEqual({
      ok: false,
      problem: 'The password must have at least 8 characters.',
    });
    expect(linkRequest({ expiresInSeconds: 3600, maxDownloads: '0', password: '' }).ok).toBe(false);
    expect(linkRequest({ expiresInSeconds: 3600, maxDownloads: '1.5', password: '' }).ok).toBe(false);
  });
});
