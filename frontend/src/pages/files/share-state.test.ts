import { describe, expect, it } from 'vitest';
import type { Share } from '../../api/client';
import { emailRequest, linkRequest, shareState } from './share-state';

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

describe('emailRequest', () => {
  it('reads addresses separated any usual way and sends the note only when there is one', () => {
    expect(emailRequest('a@x.example, b@x.example;\nc@x.example', '  ')).toEqual({
      ok: true,
      body: { to: ['a@x.example', 'b@x.example', 'c@x.example'] },
    });
    expect(emailRequest('a@x.example', ' See you ')).toEqual({ ok: true, body: { to: ['a@x.example'], message: 'See you' } });
  });

  it('names what to fix: no address, too many, one that is not an address, a long note', () => {
    expect(emailRequest(' ', '')).toEqual({ ok: false, problem: 'Enter at least one email address.' });
    const eleven = Array.from({ length: 11 }, (_, i) => `r${String(i)}@x.example`).join(' ');
    expect(emailRequest(eleven, '')).toEqual({ ok: false, problem: 'Send to at most 10 addresses at a time.' });
    expect(emailRequest('a@x.example bob', '')).toEqual({ ok: false, problem: '“bob” is not an email address.' });
    expect(emailRequest('a@x.example', 'x'.repeat(1001))).toEqual({
      ok: false,
      problem: 'The message may have at most 1000 characters.',
    });
  });
});
