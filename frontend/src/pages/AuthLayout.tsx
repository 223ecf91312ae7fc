import type { ComponentChildren } from 'preact';

/** The frame of the account pages: the app's name and one card. */
export function AuthLayout({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <div class="auth-page">
      <header class="brand">
        <span class="brand-mark" aria-hidden="true">
          ⇪
        </span>{' '}
        Fileshare
      </header>
      <main id="main" class="card auth-card">
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
