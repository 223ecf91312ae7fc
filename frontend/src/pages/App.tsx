import { lazy, LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient } from '../api/client';
import type { AppConfig } from '../api/config';
import { currentEmail, idToken, isOperator } from '../auth/session';
import { TopBar } from '../components/TopBar';
import { AppContext, type AppServices, useApp } from './app-context';
import { FilesPage } from './files/FilesPage';
import { ForgotPasswordPage } from './ForgotPasswordPage';
import { SignInPage } from './SignInPage';
import { SignUpPage } from './SignUpPage';

// Only operators load the operations page: the owners' first screen does not carry it.
const OperationsPage = lazy(() => import('./operations/OperationsPage').then((module) => module.OperationsPage));
// File requests and links to several files load when opened: the first screen is the files view.
const RequestsPage = lazy(() => import('./requests/RequestsPage').then((module) => module.RequestsPage));
const LinksPage = lazy(() => import('./links/LinksPage').then((module) => module.LinksPage));

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
      <Route path="/links" component={LinksPage} />
      <Route path="/requests" component={RequestsPage} />
      <Route path="/operations" component={Operations} />
      <Route path="/sign-in" component={SignInPage} />
      <Route path="/sign-up" component={SignUpPage} />
      <Route path="/forgot-password" component={ForgotPasswordPage} />
      <Route default component={NotFound} />
    </Router>
  );
}

/** The operations page for operators; for anyone else, a sentence saying whom it is for. */
function Operations() {
  const { operator } = useApp();
  if (operator === undefined) return <p class="spinner">Loading…</p>;
  if (operator) return <OperationsPage />;
  return (
    <div class="app">
      <TopBar />
      <main id="main" class="card auth-card">
        <h1>For operators only</h1>
        <p>This page is for operators, who look after the service. Your account is not an operator's.</p>
        <p>
          <a href="/">Go to your files</a>
        </p>
      </main>
    </div>
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
  const [operator, setOperator] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    setOperator(undefined);
    if (email) void isOperator().then(setOperator);
    else setOperator(false);
  }, [email]);
  const api = useMemo(() => new ApiClient({ apiUrl: config.apiUrl, getToken: idToken }), [config.apiUrl]);
  if (email === undefined) return <p class="spinner">Loading…</p>;
  const services: AppServices = { config, api, email, setEmail, operator };
  return (
    <AppContext.Provider value={services}>
      <LocationProvider>
        <Gate email={email} />
      </LocationProvider>
    </AppContext.Provider>
  );
}
