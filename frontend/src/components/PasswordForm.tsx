import { useId, useState } from 'preact/hooks';
import { describe } from '../api/errors';
import { ErrorNotice } from './ErrorNotice';

/** The password of a link page (a share, a file request): a refusal is said in words. */
export function PasswordForm({
  label,
  onSubmit,
}: {
  label: string;
  onSubmit: (password: string) => Promise<void>;
}) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!password) {
          setError('Type the password you were given.');
          return;
        }
        setBusy(true);
        setError('');
        onSubmit(password)
          .catch((failure: unknown) => {
            setError(describe(failure));
          })
          .finally(() => {
            setBusy(false);
          });
      }}
    >
      {error && <ErrorNotice message={error} />}
      <div class="field">
        <label for={id}>Password</label>
        <input
          id={id}
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={(event) => {
            setPassword(event.currentTarget.value);
          }}
        />
      </div>
      <button type="submit" class="button full" disabled={busy}>
        {busy ? 'Checking…' : label}
      </button>
    </form>
  );
}
