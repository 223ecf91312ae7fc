import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { currentEmail, signInWithPassword } from '../auth/session';
import { ErrorNotice } from '../components/ErrorNotice';
import { Field } from '../components/Field';
import { useApp } from './app-context';
import { AuthLayout } from './AuthLayout';

export function SignInPage() {
  const { route, query } = useLocation();
  const { setEmail } = useApp();
  const [email, setEmailField] = useState(query.email ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const result = await signInWithPassword(email.trim(), password);
      if (result === 'needs-confirmation') {
        route(`/sign-up?confirm=1&email=${encodeURIComponent(email.trim())}`);
        return;
      }
      setEmail(await currentEmail());
      route('/');
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'Signing in did not work.');
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Sign in">
      {query.reset === '1' && (
        <div class="notice success" role="status">
          <p>Your password is changed. Sign in with the new one.</p>
        </div>
      )}
      {error && <ErrorNotice message={error} />}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field label="Email" type="email" autocomplete="username" required value={email} onValue={setEmailField} />
        <Field
          label="Password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onValue={setPassword}
        />
        <button type="submit" class="button full" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="auth-links">
        <a href="/forgot-password">Forgot your password?</a>
        <span>
          New here? <a href="/sign-up">Create an account</a>
        </span>
      </p>
    </AuthLayout>
  );
}
