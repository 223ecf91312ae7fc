import { useEffect, useState } from 'preact/hooks';
import { describe } from '../../api/errors';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApp } from '../app-context';

/** The owner's one email setting: be told when an upload ends rejected or infected (off by default). */
export function NotificationsToggle() {
  const { api } = useApp();
  const [on, setOn] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  useEffect(() => {
    api
      .getMe()
      .then((me) => {
        setOn(me.notifications.uploadProblems);
      })
      .catch((failure: unknown) => {
        setProblem(describe(failure));
      });
  }, [api]);
  return (
    <div>
      {problem && <ErrorNotice message={problem} />}
      <div class="notifications">
        <input
          id="notify-upload-problems"
          type="checkbox"
          checked={on ?? false}
          disabled={on === null || busy}
          aria-describedby="notify-upload-problems-hint"
          onChange={(event) => {
            const wanted = event.currentTarget.checked;
            setOn(wanted); // shown at once, put back if it could not be saved
            setBusy(true);
            setProblem('');
            api
              .putNotifications({ uploadProblems: wanted })
              .then((saved) => {
                setOn(saved.uploadProblems);
              })
              .catch((failure: unknown) => {
                setOn(!wanted);
                setProblem(describe(failure));
              })
              .finally(() => {
                setBusy(false);
              });
          }}
        />
        <label for="notify-upload-problems">
          Email me when an upload is rejected or infected
          <span id="notify-upload-problems-hint" class="hint muted">
            {' '}
            (sent to the address you sign in with)
          </span>
        </label>
      </div>
    </div>
  );
}
