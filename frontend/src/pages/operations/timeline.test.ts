import { describe, expect, it } from 'vitest';
import type { Execution, Step } from '../../api/client';
import { canRedrive, causeSummary, formatDuration, sinceFor, toTimeline } from './timeline';

function step(name: string, attempt: number, enteredAt: string, durationMs: number | null, extra: Partial<Step> = {}): Step {
  return { name, type: 'Task', attempt, status: 'SUCCEEDED', enteredAt, durationMs, input: {}, retries: 0, ...extra };
}

function execution(steps: Step[], status: Execution['status'] = 'FAILED'): Execution {
  return {
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:process-upload:run-1',
    workflow: 'process-upload',
    name: 'run-1',
    status,
    startedAt: '2026-11-29T10:00:00Z',
    fileId: '0123456789abcdef0123456789abcdef',
    redriveCount: 1,
    steps,
  };
}

describe('formatDuration', () => {
  it('reads as people say durations', () => {
    expect(formatDuration(350)).toBe('350 ms');
    expect(formatDuration(2400)).toBe('2.4 s');
    expect(formatDuration(3000)).toBe('3 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(3_720_000)).toBe('1 h 2 min');
  });

  it('shows a dash for a step still running', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(undefined)).toBe('—');
  });
});

describe('toTimeline', () => {
  it('puts the steps in the order they ran, the first run before each redrive', () => {
    const run = execution([
      step('MintShareToken', 1, '2026-11-29T10:05:00Z', 40),
      step('Register', 0, '2026-11-29T10:00:02Z', 100),
      step('MintShareToken', 0, '2026-11-29T10:00:03Z', 400, { status: 'FAILED', error: 'NotFoundException', retries: 2 }),
      step('DescribeUpload', 0, '2026-11-29T10:00:00Z', 200),
    ]);
    const attempts = toTimeline(run);
    expect(attempts.map((a) => a.label)).toEqual(['First run', 'Redrive 1']);
    expect(attempts[0]?.rows.map((r) => r.step.name)).toEqual(['DescribeUpload', 'Register', 'MintShareToken']);
    expect(attempts[0]?.rows[2]?.step.error).toBe('NotFoundException');
    expect(attempts[1]?.rows.map((r) => r.step.name)).toEqual(['MintShareToken']);
  });

  it('sizes each bar against the longest step, never hiding a short one', () => {
    const attempts = toTimeline(
      execution([
        step('A', 0, '2026-11-29T10:00:00Z', 400),
        step('B', 0, '2026-11-29T10:00:01Z', 100),
        step('C', 0, '2026-11-29T10:00:02Z', 1),
        step('D', 0, '2026-11-29T10:00:03Z', null, { status: 'RUNNING' }),
      ]),
    );
    expect(attempts[0]?.rows.map((r) => r.bar)).toEqual(['bar-20', 'bar-5', 'bar-1', 'bar-0']);
  });

  it('is empty for a run without steps', () => {
    expect(toTimeline(execution([]))).toEqual([]);
  });
});

describe('canRedrive', () => {
  it('offers a redrive only for runs that stopped without finishing', () => {
    expect(canRedrive(execution([], 'FAILED'))).toBe(true);
    expect(canRedrive(execution([], 'TIMED_OUT'))).toBe(true);
    expect(canRedrive(execution([], 'ABORTED'))).toBe(true);
    expect(canRedrive(execution([], 'SUCCEEDED'))).toBe(false);
    expect(canRedrive(execution([], 'RUNNING'))).toBe(false);
  });
});

describe('sinceFor', () => {
  it('is the start of the window in UTC, to the second', () => {
    expect(sinceFor('1h', Date.parse('2026-11-29T10:30:15.123Z'))).toBe('2026-11-29T09:30:15Z');
    expect(sinceFor('7d', Date.parse('2026-11-29T10:30:15Z'))).toBe('2026-11-22T10:30:15Z');
  });
});

describe('causeSummary', () => {
  it('reads a Lambda error\'s message out of its JSON cause, without the stack trace', () => {
    const cause = JSON.stringify({
      errorType: 'NotFoundException',
      errorMessage: 'Key does not exist',
      stackTrace: ['Traceback (most recent call last):'],
    });
    expect(causeSummary(cause)).toBe('Key does not exist');
  });

  it('keeps any other cause as it is', () => {
    expect(causeSummary('States.Timeout after 300 s')).toBe('States.Timeout after 300 s');
    expect(causeSummary('{"other": 1}')).toBe('{"other": 1}');
  });
});
