import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient } from '../api/client';
import type { AppConfig } from '../api/config';
import { currentEmail, idToken } from '../auth/session';
import { AppContext, type AppServices } from './app-context';
import { FilesPage } from './files/FilesPage';
import { ForgotPasswordPage } from './ForgotPasswordPage';
import { SignInPage } from './SignInPage';
import { SignUpPage } from './SignUpPage';

const PUBLIC_ROUTES = ['/sign-in', '/sign-up', '/forgot-password'];

/** Sends signed-out people to sign in, and signed-in people away from the account pages. */
function Gate({ email }: { email: string | null }) {
  const { path, route } = useLocation();
  const isPublic = PUBLIC_ROUTES.includes(path);
  useEffect(() => {
    if (!email && !isPublic) route('/sign-in', true);
    if (email && isPublic) route('/', true);
  }, [email, isPublic, route]);
  if (!email && !isPublic) return null;
  if (email && isPublic) return null;
  return (
    <Router>
      <Route path="/" component={FilesPage} />
      <Route path="/sign-in" component={SignInPage} />
      <Route path="/sign-up" component={SignUpPage} />
      <Route path="/forgot-password" component={ForgotPasswordPage} />
      <Route default component={NotFound} />
    </Router>
  );
}

function NotFound() {
  return (
    <main id="main" class="card auth-card">
      <h1>Page not found</h1>
      <p>
        <a href="/">Go to your files</a>
      </p>
    </main>
  );
}

export function App({ config }: { config: AppConfig }) {
  const [email, setEmail] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    void currentEmail().then(setEmail);
  }, []);
  const api = useMemo(() => new ApiClient({ apiUrl: config.apiUrl, getToken: idToken }), [config.apiUrl]);
  if (email === undefined) return <p class="spinner">Loading…</p>;
  const services: AppServices = { config, api, email, setEmail };
  return (
    <AppContext.Provider value={services}>
      <LocationProvider>
        <Gate email={email} />
      </LocationProvider>
    </AppContext.Provider>
  );
}
