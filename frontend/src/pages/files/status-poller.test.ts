import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FileView } from '../../api/client';
import { delayFor, StatusPoller, type Visibility } from './status-poller';

function file(status: FileView['status']): FileView {
  return {
    fileId: 'a'.repeat(32),
    name: 'a.txt',
    size: 3,
    contentType: 'text/plain',
    status,
    createdAt: '2026-11-29T12:00:00Z',
    downloads: 0,
    shares: [],
  };
}

class FakeVisibility implements Visibility {
  isHidden = false;
  private listener: (() => void) | undefined;
  hidden = () => this.isHidden;
  subscribe(onChange: () => void) {
    this.listener = onChange;
    return () => (this.listener = undefined);
  }
  set(hidden: boolean) {
    this.isHidden = hidden;
    this.listener?.();
  }
}

const backoff = { firstMs: 1000, factor: 2, maxMs: 8000 };

describe('delayFor', () => {
  it('grows exponentially up to the ceiling', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => delayFor(n, backoff))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });
});

describe('StatusPoller', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks with backoff while the file is unknown (404) or PROCESSING, and stops when it is finished', async () => {
    const answers: (FileView | null)[] = [null, file('PROCESSING'), file('READY')];
    const fetchFile = vi.fn(() => Promise.resolve(answers.shift() ?? null));
    const updates: string[] = [];
    const poller = new StatusPoller(fetchFile, (f) => updates.push(f.status), new FakeVisibility(), backoff);
    poller.watch('f1');

    await vi.advanceTimersByTimeAsync(999);
    expect(fetchFile).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1); // t=1000: 404
    expect(fetchFile).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1999); // the next question waits 2000
    expect(fetchFile).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1); // t=3000: PROCESSING
    await vi.advanceTimersByTimeAsync(4000); // t=7000: READY
    expect(fetchFile).toHaveBeenCalledTimes(3);
    expect(updates).toEqual(['PROCESSING', 'READY']);
    expect(poller.watching()).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetchFile).toHaveBeenCalledTimes(3);
  });

  it('keeps asking after a failed question', async () => {
    const fetchFile = vi
      .fn<(id: string) => Promise<FileView | null>>()
      .mockRejectedValueOnce(new Error('offline'))
      .mockResolvedValueOnce(file('INFECTED'));
    const updates: string[] = [];
    const poller = new StatusPoller(fetchFile, (f) => updates.push(f.status), new FakeVisibility(), backoff);
    poller.watch('f1');
    await vi.advanceTimersByTimeAsync(3000);
    expect(updates).toEqual(['INFECTED']);
  });

  it('asks nothing while the tab is hidden, and asks at once when it shows again', async () => {
    const visibility = new FakeVisibility();
    const fetchFile = vi.fn(() => Promise.resolve(file('PROCESSING')));
    const poller = new StatusPoller(fetchFile, () => undefined, visibility, backoff);
    poller.watch('f1');
    visibility.set(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetchFile).toHaveBeenCalledTimes(0);
    visibility.set(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchFile).toHaveBeenCalledTimes(1);
    poller.stop();
  });
});
