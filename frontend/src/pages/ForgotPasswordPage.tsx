import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { finishPasswordReset, startPasswordReset } from '../auth/session';
import { ErrorNotice } from '../components/ErrorNotice';
import { Field } from '../components/Field';
import { AuthLayout } from './AuthLayout';

export function ForgotPasswordPage() {
  const { route } = useLocation();
  const [step, setStep] = useState<'email' | 'code'>('email');
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError('');
    try {
      await action();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'That did not work.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Reset your password">
      {error && <ErrorNotice message={error} />}
      {step === 'email' ? (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void run(async () => {
              await startPasswordReset(email.trim());
              setStep('code');
            });
          }}
        >
          <p>Type your email and we will send you a code to choose a new password.</p>
          <Field label="Email" type="email" autocomplete="username" required value={email} onValue={setEmail} />
          <button type="submit" class="button full" disabled={busy}>
            Send code
          </button>
        </form>
      ) : (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void run(async () => {
              await finishPasswordReset(email.trim(), code.trim(), password);
              route(`/sign-in?reset=1&email=${encodeURIComponent(email.trim())}`);
            });
          }}
        >
          <p>If an account uses {email}, a code is on its way there.</p>
          <Field label="Code" inputMode="numeric" autocomplete="one-time-code" required value={code} onValue={setCode} />
          <Field
            label="New password"
            type="password"
            autocomplete="new-password"
            required
            hint="At least 10 characters, with upper and lower case letters and a digit."
            value={password}
            onValue={setPassword}
          />
          <button type="submit" class="button full" disabled={busy}>
            Set new password
          </button>
        </form>
      )}
      <p class="auth-links">
        <a href="/sign-in">Back to sign in</a>
      </p>
    </AuthLayout>
  );
}
