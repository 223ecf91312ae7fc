import { useLocation } from 'preact-iso';
import { signOutEverywhere } from '../auth/session';
import { useApp } from '../pages/app-context';

/** The signed-in header: the brand, the pages this person may use, who is signed in, sign out. */
export function TopBar() {
  const { email, operator, setEmail } = useApp();
  const { path, route } = useLocation();
  return (
    <header class="topbar">
      <span class="brand">
        <span class="brand-mark" aria-hidden="true">
          ⇪
        </span>{' '}
        Fileshare
      </span>
      <nav class="pages" aria-label="Pages">
        <a href="/" aria-current={path === '/' ? 'page' : undefined}>
          Your files
        </a>
        <a href="/links" aria-current={path === '/links' ? 'page' : undefined}>
          Links
        </a>
        <a href="/requests" aria-current={path === '/requests' ? 'page' : undefined}>
          Requests
        </a>
        {operator && (
          <a href="/operations" aria-current={path === '/operations' ? 'page' : undefined}>
            Operations
          </a>
        )}
      </nav>
      <span class="account">
        <span class="muted signed-in-as">{email}</span>
        <button
          type="button"
          class="button small secondary"
          onClick={() => {
            void signOutEverywhere().then(() => {
              setEmail(null);
              route('/sign-in');
            });
          }}
        >
          Sign out
        </button>
      </span>
    </header>
  );
}
