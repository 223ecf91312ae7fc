import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type AppConfig, loadConfig } from '../api/config';
import { ErrorNotice } from '../components/ErrorNotice';

/** Reads /config.json, then shows the app; a failure is a sentence and a retry button. */
export function Boot({ children }: { children: (config: AppConfig) => ComponentChildren }) {
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setFailed(false);
    loadConfig()
      .then(setConfig)
      .catch(() => {
        setFailed(true);
      });
  }, [attempt]);
  if (failed) {
    return (
      <main id="main" class="card auth-card">
        <h1>Fileshare</h1>
        <ErrorNotice
          message="The app could not load its settings. Check your connection and try again."
          onRetry={() => {
            setAttempt(attempt + 1);
          }}
        />
      </main>
    );
  }
  if (!config) return <p class="spinner">Loading…</p>;
  return <>{children(config)}</>;
}
