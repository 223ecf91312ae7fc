/** How an operator reads executions: durations in words, steps grouped by run, bars to compare. */
import type { Execution, ExecutionStatus, Step } from '../../api/client';

/** 350 → "350 ms", 2400 → "2.4 s", 185000 → "3 min 5 s", 3720000 → "1 h 2 min"; unknown → "—". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) {
    const rest = seconds % 60;
    return rest ? `${Math.floor(seconds / 60)} min ${rest} s` : `${seconds / 60} min`;
  }
  const minutes = Math.round(seconds / 60);
  const rest = minutes % 60;
  return rest ? `${Math.floor(minutes / 60)} h ${rest} min` : `${minutes / 60} h`;
}

const STATUS_WORDS: Record<ExecutionStatus, string> = {
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  TIMED_OUT: 'Timed out',
  ABORTED: 'Aborted',
};

export function statusWords(status: ExecutionStatus): string {
  return STATUS_WORDS[status];
}

/** Only a run that stopped without finishing can continue (the API answers 409 otherwise). */
export function canRedrive(execution: Execution): boolean {
  return execution.status === 'FAILED' || execution.status === 'TIMED_OUT' || execution.status === 'ABORTED';
}

/** A Lambda failure's cause is JSON with a stack trace: its `errorMessage` is what people read
 * first; any other cause is shown as it is. */
export function causeSummary(cause: string): string {
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed) {
      const message = parsed.errorMessage;
      if (typeof message === 'string' && message.trim()) return message.trim();
    }
  } catch {
    // not JSON: the cause is already words
  }
  return cause;
}

export interface TimelineRow {
  step: Step;
  /** `bar-0` … `bar-20`: the step's duration against the run's longest step, in 5 % classes
   * (the page's CSP allows no inline style). */
  bar: string;
}

export interface Attempt {
  /** "First run", "Redrive 1", … */
  label: string;
  rows: TimelineRow[];
}

function entered(step: Step): number {
  const time = Date.parse(step.enteredAt);
  return Number.isNaN(time) ? 0 : time;
}

/** The execution's steps in the order they ran, grouped by the run (first, then each redrive). */
export function toTimeline(execution: Execution): Attempt[] {
  const steps = [...(execution.steps ?? [])].sort((a, b) => a.attempt - b.attempt || entered(a) - entered(b));
  const longest = Math.max(0, ...steps.map((s) => s.durationMs ?? 0));
  const attempts: Attempt[] = [];
  for (const step of steps) {
    const label = step.attempt === 0 ? 'First run' : `Redrive ${step.attempt}`;
    let attempt = attempts.at(-1);
    if (attempt?.label !== label) {
      attempt = { label, rows: [] };
      attempts.push(attempt);
    }
    const share = longest > 0 ? (step.durationMs ?? 0) / longest : 0;
    attempt.rows.push({ step, bar: `bar-${Math.min(20, Math.max(step.durationMs ? 1 : 0, Math.round(share * 20)))}` });
  }
  return attempts;
}

/** Executions newest first, as the list shows them. */
export function newestFirst(executions: Execution[]): Execution[] {
  return [...executions].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
}

export const WINDOWS = {
  '1h': { label: 'Last hour', ms: 3_600_000 },
  '24h': { label: 'Last 24 hours', ms: 86_400_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 86_400_000 },
} as const;
export type TimeWindow = keyof typeof WINDOWS;

/** The `since` of a time window ending now, to the second, in UTC. */
export function sinceFor(window: TimeWindow, now: number = Date.now()): string {
  return new Date(now - WINDOWS[window].ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
