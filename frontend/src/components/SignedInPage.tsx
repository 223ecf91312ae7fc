import type { ComponentChildren } from 'preact';
import { TopBar } from './TopBar';

/**
 * A signed-in page: the link that skips to its content, the top bar, the content, then any dialogs
 * the page has open (outside its main landmark).
 */
export function SignedInPage({
  skipTo,
  children,
  dialogs,
}: {
  skipTo: string;
  children: ComponentChildren;
  dialogs?: ComponentChildren;
}) {
  return (
    <div class="app">
      <a class="skip-link" href="#main">
        {skipTo}
      </a>
      <TopBar />
      <main id="main" class="files-main">
        {children}
      </main>
      {dialogs}
    </div>
  );
}
