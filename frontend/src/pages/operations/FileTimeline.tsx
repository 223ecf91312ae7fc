import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Execution, FileTrace } from '../../api/client';
import { describe } from '../../api/errors';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatDate } from '../../components/format';
import { isFileStatus, StatusBadge } from '../../components/StatusBadge';
import { useApp } from '../app-context';
import { Cause, ExecutionBadge, ExecutionFacts } from './ExecutionSummary';
import { RedriveButton, RedriveDialog, redrivenSentence } from './RedriveDialog';
import { canRedrive, formatDuration, newestFirst, statusWords, toTimeline } from './timeline';
import { useSessionEnded } from '../useSessionEnded';

/** While a run is under way the timeline reloads this often. */
const POLL_MS = 2000;

function fileText(file: FileTrace['file'], key: string): string | undefined {
  const value = (file as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/** One file's runs, each step in order with its duration, retries, error and cause. */
export function FileTimeline({ fileId }: { fileId: string }) {
  const { api } = useApp();
  const sessionEnded = useSessionEnded();
  const [trace, setTrace] = useState<FileTrace | null>(null);
  const [loadError, setLoadError] = useState('');
  const [redriving, setRedriving] = useState<Execution | null>(null);
  const [outcome, setOutcome] = useState('');

  const load = useCallback(async () => {
    setLoadError('');
    try {
      setTrace(await api.traceFile(fileId));
    } catch (error) {
      if (!sessionEnded(error)) setLoadError(describe(error));
    }
  }, [api, fileId, sessionEnded]);

  useEffect(() => {
    setTrace(null);
    void load();
  }, [load]);

  // Follow a run under way (a redrive, or an upload still being checked) until it ends.
  const underWay = trace?.file.status === 'PROCESSING' || trace?.executions.some((e) => e.status === 'RUNNING');
  useEffect(() => {
    if (!underWay || loadError) return undefined;
    const timer = setTimeout(() => void load(), POLL_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [trace, underWay, loadError, load]);

  const name = trace ? (fileText(trace.file, 'originalName') ?? fileText(trace.file, 'name')) : undefined;
  return (
    <section aria-labelledby="timeline-heading">
      <p>
        <a href="/operations">← All workflow runs</a>
      </p>
      <h1 id="timeline-heading">File timeline</h1>
      {loadError && <ErrorNotice message={loadError} onRetry={() => void load()} />}
      {!trace && !loadError && (
        <p class="spinner" role="status">
          Loading the file’s runs…
        </p>
      )}
      {trace && (
        <>
          <dl class="ops-facts">
            <dt>Name</dt>
            <dd class="file-name">{name ?? '—'}</dd>
            <dt>File id</dt>
            <dd class="ops-id">{trace.file.fileId}</dd>
            <dt>Status</dt>
            <dd>
              {isFileStatus(trace.file.status) ? (
                <StatusBadge status={trace.file.status} />
              ) : (
                <span class="badge">{trace.file.status}</span>
              )}
            </dd>
            <dt>Uploaded</dt>
            <dd>{formatDate(fileText(trace.file, 'createdAt'))}</dd>
            {fileText(trace.file, 'reason') && (
              <>
                <dt>Reason</dt>
                <dd>{fileText(trace.file, 'reason')}</dd>
              </>
            )}
          </dl>
          <div role="status" aria-live="polite" class={outcome ? 'notice info' : 'visually-hidden'}>
            {outcome}
          </div>
          {trace.executions.length === 0 && <p class="muted">No workflow run touched this file.</p>}
          {newestFirst(trace.executions).map((run) => (
            <article key={run.executionArn} class="card ops-run" aria-label={`${run.workflow} run ${run.name}`}>
              <div class="file-title">
                <h2 class="file-name">
                  {run.workflow} <span class="ops-id">{run.name}</span>
                </h2>
                <ExecutionBadge status={run.status} />
              </div>
              <ExecutionFacts execution={run} />
              {canRedrive(run) && (
                <div class="file-actions">
                  <RedriveButton
                    execution={run}
                    onClick={() => {
                      setOutcome('');
                      setRedriving(run);
                    }}
                  />
                </div>
              )}
              {toTimeline(run).map((attempt) => (
                <div key={attempt.label} class="ops-attempt">
                  <h3>{attempt.label}</h3>
                  <ol class="timeline" aria-label={`Steps of the ${attempt.label.toLowerCase()}`}>
                    {attempt.rows.map(({ step, bar }) => (
                      <li key={`${step.name}-${step.enteredAt}`} class={`step run-${step.status.toLowerCase()}`}>
                        <div class="step-head">
                          <span class="step-name">{step.name}</span>
                          <span class="muted">{step.type}</span>
                          <span class="step-status">{statusWords(step.status)}</span>
                          <span class="step-duration">{formatDuration(step.durationMs)}</span>
                        </div>
                        <span class={`bar ${bar}`} aria-hidden="true" />
                        {step.retries > 0 && (
                          <p class="muted step-note">
                            Retried {step.retries} {step.retries === 1 ? 'time' : 'times'}
                          </p>
                        )}
                        {step.error && <p class="file-reason status-failed step-note">Error: {step.error}</p>}
                        {step.cause && <Cause cause={step.cause} />}
                      </li>
                    ))}
                  </ol>
                </div>
              ))}
            </article>
          ))}
        </>
      )}
      {redriving && (
        <RedriveDialog
          execution={redriving}
          onRedriven={(now) => {
            setOutcome(redrivenSentence(now));
            setRedriving(null);
            void load();
          }}
          onClose={() => {
            setRedriving(null);
          }}
        />
      )}
    </section>
  );
}
