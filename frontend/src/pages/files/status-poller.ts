/**
 * Watches files that are not finished yet (PROCESSING, or not even registered: 404) until the
 * workflow settles them, asking again with exponential backoff. Nothing is asked while the tab is
 * hidden; when it shows again, every watched file is asked at once.
 */
import type { FileStatus, FileView } from '../../api/client';

const FINISHED: ReadonlySet<FileStatus> = new Set(['READY', 'REJECTED', 'INFECTED', 'FAILED', 'DELETED', 'EXPIRED']);

export function isFinished(status: FileStatus): boolean {
  return FINISHED.has(status);
}

export interface Backoff {
  firstMs: number;
  factor: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { firstMs: 1000, factor: 1.6, maxMs: 15_000 };

/** The wait before the n-th question (0-based). */
export function delayFor(attempt: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  return Math.min(backoff.maxMs, Math.round(backoff.firstMs * backoff.factor ** attempt));
}

export interface Visibility {
  hidden(): boolean;
  /** Calls back when the tab is shown or hidden; returns the unsubscribe function. */
  subscribe(onChange: () => void): () => void;
}

export const documentVisibility: Visibility = {
  hidden: () => document.visibilityState === 'hidden',
  subscribe(onChange) {
    document.addEventListener('visibilitychange', onChange);
    return () => {
      document.removeEventListener('visibilitychange', onChange);
    };
  },
};

interface Watch {
  attempt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  waitingForVisible: boolean;
}

/** Anything with a file id and a status: an owner's file, or a file an uploader sent. */
export interface Watched {
  fileId: string;
  status: FileStatus;
}

export class StatusPoller<T extends Watched = FileView> {
  private readonly watched = new Map<string, Watch>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly fetchFile: (fileId: string) => Promise<T | null>,
    private readonly onUpdate: (file: T) => void,
    private readonly visibility: Visibility = documentVisibility,
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
  ) {
    this.unsubscribe = visibility.subscribe(() => {
      if (this.visibility.hidden()) return;
      for (const [fileId, watch] of this.watched) {
        if (watch.waitingForVisible) {
          watch.waitingForVisible = false;
          void this.ask(fileId);
        }
      }
    });
  }

  /** Start watching a file (again); the first question comes after the first delay. */
  watch(fileId: string): void {
    if (this.watched.has(fileId)) return;
    const watch: Watch = { attempt: 0, timer: undefined, waitingForVisible: false };
    this.watched.set(fileId, watch);
    this.schedule(fileId, watch);
  }

  unwatch(fileId: string): void {
    const watch = this.watched.get(fileId);
    if (watch?.timer !== undefined) clearTimeout(watch.timer);
    this.watched.delete(fileId);
  }

  watching(): string[] {
    return [...this.watched.keys()];
  }

  stop(): void {
    for (const fileId of [...this.watched.keys()]) this.unwatch(fileId);
    this.unsubscribe();
  }

  private schedule(fileId: string, watch: Watch): void {
    watch.timer = setTimeout(() => {
      watch.timer = undefined;
      void this.ask(fileId);
    }, delayFor(watch.attempt, this.backoff));
    watch.attempt += 1;
  }

  private async ask(fileId: string): Promise<void> {
    const watch = this.watched.get(fileId);
    if (!watch) return;
    if (this.visibility.hidden()) {
      watch.waitingForVisible = true;
      return;
    }
    let file: T | null;
    try {
      file = await this.fetchFile(fileId);
    } catch {
      file = null; // a failed question is asked again later, with the same backoff
    }
    if (!this.watched.has(fileId)) return;
    if (file) this.onUpdate(file);
    if (file && isFinished(file.status)) {
      this.unwatch(fileId);
      return;
    }
    this.schedule(fileId, watch);
  }
}
