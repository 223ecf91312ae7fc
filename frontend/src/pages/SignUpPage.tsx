import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { confirmRegistration, currentEmail, register, resendCode, signInWithPassword } from '../auth/session';
import { ErrorNotice } from '../components/ErrorNotice';
import { Field } from '../components/Field';
import { useApp } from './app-context';
import { AuthLayout } from './AuthLayout';

const PASSWORD_RULE = 'At least 10 characters, with upper and lower case letters and a digit.';

export function SignUpPage() {
  const { route, query } = useLocation();
  const { setEmail } = useApp();
  const [step, setStep] = useState<'details' | 'code'>(query.confirm === '1' ? 'code' : 'details');
  const [email, setEmailField] = useState(query.email ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [info, setInfo] = useState('');
  const [busy, setBusy] = useState(false);

  async function finish() {
    if (password) {
      await signInWithPassword(email.trim(), password);
      setEmail(await currentEmail());
      route('/');
    } else {
      route(`/sign-in?email=${encodeURIComponent(email.trim())}`);
    }
  }

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError('');
    setInfo('');
    try {
      await action();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'That did not work.');
    } finally {
      setBusy(false);
    }
  }

  if (step === 'code') {
    return (
      <AuthLayout title="Confirm your email">
        <p>We sent a code to {email || 'your email'}. Type it here to finish creating your account.</p>
        {error && <ErrorNotice message={error} />}
        {info && (
          <div class="notice info" role="status">
            <p>{info}</p>
          </div>
        )}
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void run(async () => {
              await confirmRegistration(email.trim(), code.trim());
              await finish();
            });
          }}
        >
          {!query.email && !email && (
            <Field label="Email" type="email" autocomplete="username" required value={email} onValue={setEmailField} />
          )}
          <Field
            label="Code"
            inputMode="numeric"
            autocomplete="one-time-code"
            required
            value={code}
            onValue={setCode}
          />
          <button type="submit" class="button full" disabled={busy}>
            Confirm
          </button>
        </form>
        <p class="auth-links">
          <button
            type="button"
            class="link-button"
            onClick={() =>
              void run(async () => {
                await resendCode(email.trim());
                setInfo('A new code is on its way.');
              })
            }
          >
            Send a new code
          </button>
        </p>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Create an account">
      {error && <ErrorNotice message={error} />}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void run(async () => {
            const confirmed = await register(email.trim(), password);
            if (confirmed) await finish();
            else setStep('code');
          });
        }}
      >
        <Field label="Email" type="email" autocomplete="username" required value={email} onValue={setEmailField} />
        <Field
          label="Password"
          type="password"
          autocomplete="new-password"
          required
          hint={PASSWORD_RULE}
          value={password}
          onValue={setPassword}
        />
        <button type="submit" class="button full" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p class="auth-links">
        <span>
          Have an account? <a href="/sign-in">Sign in</a>
        </span>
      </p>
    </AuthLayout>
  );
}
