import { useState } from 'preact/hooks';
import type { Execution } from '../../api/client';
import { describe } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApp } from '../app-context';

/** The button that opens the redrive dialog for one run; its accessible name says which run. */
export function RedriveButton({ execution, secondary, onClick }: { execution: Execution; secondary?: boolean; onClick: () => void }) {
  return (
    <button type="button" class={secondary ? 'button small secondary' : 'button small'} onClick={onClick}>
      Redrive<span class="visually-hidden"> {execution.name}</span>
    </button>
  );
}

/** Asks before a redrive; a refusal (409 and the rest) stays in the dialog as a sentence. */
export function RedriveDialog({
  execution,
  onRedriven,
  onClose,
}: {
  execution: Execution;
  onRedriven: (now: Execution) => void;
  onClose: () => void;
}) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  return (
    <Dialog title="Redrive this run?" onClose={onClose}>
      <p>
        The <strong>{execution.workflow}</strong> run <span class="ops-id">{execution.name}</span> continues from{' '}
        <strong>{execution.failedState ?? 'the state it stopped in'}</strong>. Steps that succeeded are not run again.
        Fix the cause first, or it fails the same way.
      </p>
      {error && <ErrorNotice message={error} />}
      <div class="dialog-actions">
        <button type="button" class="button secondary" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          class="button"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            setError('');
            api
              .redrive(execution.executionArn)
              .then(onRedriven)
              .catch((failure: unknown) => {
                setError(describe(failure));
                setBusy(false);
              });
          }}
        >
          {busy ? 'Redriving…' : 'Redrive'}
        </button>
      </div>
    </Dialog>
  );
}

/** What a redrive did, in words. */
export function redrivenSentence(now: Execution): string {
  const from = now.redrivenFrom ?? now.failedState;
  return from ? `Redriven: the run continues from ${from}.` : 'Redriven: the run continues.';
}
