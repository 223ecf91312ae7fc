import { useLocation } from 'preact-iso';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Execution, ExecutionStatus, Workflow } from '../../api/client';
import { describe } from '../../api/errors';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { useApp } from '../app-context';
import { ExecutionBadge, ExecutionFacts } from './ExecutionSummary';
import { RedriveButton, RedriveDialog, redrivenSentence } from './RedriveDialog';
import { canRedrive, sinceFor, statusWords, type TimeWindow, WINDOWS } from './timeline';
import { useSessionEnded } from '../useSessionEnded';

const PAGE_SIZE = 20;
const STATUSES: ExecutionStatus[] = ['FAILED', 'TIMED_OUT', 'ABORTED', 'RUNNING', 'SUCCEEDED'];
const WORKFLOWS: NonNullable<Workflow>[] = ['process-upload', 'sweep', 'record-upload-failure'];
const FILE_ID = /^[0-9a-f]{32}$/;

/** The workflow runs, failures first by default, with a filter; each opens its file's timeline. */
export function RunsView() {
  const { api } = useApp();
  const { route } = useLocation();
  const sessionEnded = useSessionEnded();
  const [status, setStatus] = useState<ExecutionStatus | ''>('FAILED');
  const [workflow, setWorkflow] = useState<NonNullable<Workflow> | ''>('');
  const [span, setSpan] = useState<TimeWindow>('24h');
  const [runs, setRuns] = useState<Execution[]>([]);
  const [nextToken, setNextToken] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState('');
  const [redriving, setRedriving] = useState<Execution | null>(null);
  const [outcome, setOutcome] = useState('');
  const [fileId, setFileId] = useState('');
  const [fileIdError, setFileIdError] = useState('');

  // Filters change faster than answers come: only the latest request's answer is shown.
  const latest = useRef(0);
  const load = useCallback(
    async (token?: string) => {
      const request = ++latest.current;
      setLoading(true);
      setLoadError('');
      try {
        const filter = { status: status || undefined, workflow: workflow || undefined, since: sinceFor(span) };
        const page = await api.listExecutions(filter, token, PAGE_SIZE);
        if (request !== latest.current) return;
        setRuns((current) => (token ? [...current, ...page.items] : page.items));
        setNextToken(page.nextToken);
      } catch (error) {
        if (request === latest.current && !sessionEnded(error)) setLoadError(describe(error));
      } finally {
        if (request === latest.current) setLoading(false);
      }
    },
    [api, sessionEnded, status, workflow, span],
  );

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <section aria-labelledby="runs-heading">
        <h1 id="runs-heading">Workflow runs</h1>
        <p class="muted">
          Runs of the upload, sweep and failure-recording workflows. Owner commands are not kept here.
        </p>
        <form
          class="ops-filter"
          aria-label="Filter runs"
          onSubmit={(event) => {
            event.preventDefault();
            void load();
          }}
        >
          <div class="field">
            <label for="run-status">Status</label>
            <select
              id="run-status"
              value={status}
              onChange={(event) => {
                setStatus(event.currentTarget.value as ExecutionStatus | '');
              }}
            >
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusWords(s)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="run-workflow">Workflow</label>
            <select
              id="run-workflow"
              value={workflow}
              onChange={(event) => {
                setWorkflow(event.currentTarget.value as NonNullable<Workflow> | '');
              }}
            >
              <option value="">Any workflow</option>
              {WORKFLOWS.map((w) => (
                <option key={w} value={w}>
                  {w}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="run-window">Started</label>
            <select
              id="run-window"
              value={span}
              onChange={(event) => {
                setSpan(event.currentTarget.value as TimeWindow);
              }}
            >
              {(Object.keys(WINDOWS) as TimeWindow[]).map((w) => (
                <option key={w} value={w}>
                  {WINDOWS[w].label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button secondary">
            Refresh
          </button>
        </form>
        <div role="status" aria-live="polite" class={outcome ? 'notice info' : 'visually-hidden'}>
          {outcome}
        </div>
        {loadError && <ErrorNotice message={loadError} onRetry={() => void load(nextToken)} />}
        {!loading && !loadError && runs.length === 0 && <p class="muted">No run matches this filter.</p>}
        <ul class="file-list" aria-label="Workflow runs">
          {runs.map((run) => (
            <li key={run.executionArn} class="file-item card">
              <div class="file-title">
                <h2 class="file-name">
                  {run.workflow} <span class="ops-id">{run.name}</span>
                </h2>
                <ExecutionBadge status={run.status} />
              </div>
              <ExecutionFacts execution={run} />
              <div class="file-actions">
                {run.fileId && (
                  <a class="button small" href={`/operations?file=${run.fileId}`}>
                    Timeline<span class="visually-hidden"> of {run.name}</span>
                  </a>
                )}
                {canRedrive(run) && (
                  <RedriveButton
                    execution={run}
                    secondary
                    onClick={() => {
                      setOutcome('');
                      setRedriving(run);
                    }}
                  />
                )}
              </div>
            </li>
          ))}
        </ul>
        {loading && (
          <p class="spinner" role="status">
            Loading runs…
          </p>
        )}
        {nextToken && !loading && (
          <button type="button" class="button secondary" onClick={() => void load(nextToken)}>
            Load more
          </button>
        )}
      </section>

      <section aria-labelledby="find-heading">
        <h2 id="find-heading">Find a file</h2>
        <form
          class="ops-filter"
          onSubmit={(event) => {
            event.preventDefault();
            const id = fileId.trim().toLowerCase();
            if (!FILE_ID.test(id)) {
              setFileIdError('A file id is 32 characters, digits 0–9 and letters a–f.');
              return;
            }
            setFileIdError('');
            route(`/operations?file=${id}`);
          }}
        >
          <Field
            label="File id"
            hint="32 characters, from a run above or from the owner."
            value={fileId}
            onValue={setFileId}
            autocomplete="off"
            spellcheck={false}
          />
          <button type="submit" class="button secondary">
            Show timeline
          </button>
        </form>
        {fileIdError && <ErrorNotice message={fileIdError} />}
      </section>

      {redriving && (
        <RedriveDialog
          execution={redriving}
          onRedriven={(now) => {
            setRuns((current) => current.map((run) => (run.executionArn === now.executionArn ? now : run)));
            setOutcome(redrivenSentence(now));
            setRedriving(null);
          }}
          onClose={() => {
            setRedriving(null);
          }}
        />
      )}
    </>
  );
}
