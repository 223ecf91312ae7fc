import { describe, expect, it } from 'vitest';
import { formatBytes, formatRelative, formatType } from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [999, '999 bytes'],
    [1000, '1 KB'],
    [1536, '1.5 KB'],
    [1_048_576, '1 MB'],
    [11 * 1_048_576, '12 MB'],
    [10_737_418_240, '11 GB'],
  ])('%d bytes read as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('refuses nonsense quietly', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatRelative', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  it('says how far away a date is, in the largest whole unit', () => {
    expect(formatRelative('2026-12-06T12:00:00Z', now)).toMatch(/7 days/);
    expect(formatRelative('2026-11-29T15:00:00Z', now)).toMatch(/3 hours/);
    expect(formatRelative('2026-11-29T11:58:00Z', now)).toMatch(/2 minutes ago/);
  });
});

describe('formatType', () => {
  it('names common types and shows others as they are', () => {
    expect(formatType('text/plain')).toBe('Text');
    expect(formatType('application/x-thing')).toBe('application/x-thing');
  });
});
