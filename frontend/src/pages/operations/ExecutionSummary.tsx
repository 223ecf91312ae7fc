import type { Execution } from '../../api/client';
import { formatDate } from '../../components/format';
import { causeSummary, formatDuration, statusWords } from './timeline';

/** Why a run or step stopped: the message first, the whole cause (a stack trace, say) on demand. */
export function Cause({ cause }: { cause: string }) {
  const summary = causeSummary(cause);
  return (
    <>
      <p class="ops-cause">{summary}</p>
      {summary !== cause && (
        <details class="ops-details">
          <summary>Full cause</summary>
          <pre class="ops-cause">{cause}</pre>
        </details>
      )}
    </>
  );
}

export function ExecutionBadge({ status }: { status: Execution['status'] }) {
  return <span class={`badge run-${status.toLowerCase()}`}>{statusWords(status)}</span>;
}

/** When a run started, how long it took, how often it was redriven, and why it stopped. */
export function ExecutionFacts({ execution }: { execution: Execution }) {
  return (
    <>
      <p class="file-meta muted">
        {execution.fileId && (
          <span>
            File <span class="ops-id">{execution.fileId}</span>
          </span>
        )}
        <span>Started {formatDate(execution.startedAt)}</span>
        <span>Took {formatDuration(execution.durationMs)}</span>
        {execution.redriveCount > 0 && (
          <span>
            Redriven {execution.redriveCount} {execution.redriveCount === 1 ? 'time' : 'times'}
          </span>
        )}
      </p>
      {execution.error && (
        <p class="file-reason status-failed">
          Stopped in {execution.failedState ?? 'an unknown state'}: {execution.error}
        </p>
      )}
      {execution.cause && <Cause cause={execution.cause} />}
    </>
  );
}
