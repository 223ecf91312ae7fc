import { useEffect, useState } from 'preact/hooks';
import type { ApiClient, PublicShare, ShareAnswer } from '../../api/client';
import { ApiError, describe } from '../../api/errors';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatBytes, formatDate, formatRelative, formatType } from '../../components/format';
import { PasswordForm } from '../../components/PasswordForm';

type View =
  | { kind: 'loading' }
  | { kind: 'dead' }
  | { kind: 'failed'; message: string }
  | { kind: 'locked'; expiresAt: string }
  | { kind: 'open'; share: PublicShare; password?: string };

function hasDetails(answer: ShareAnswer): answer is PublicShare {
  return 'name' in answer;
}

function DeadLink() {
  return (
    <>
      <h1>This link does not work</h1>
      <p>
        It may have expired, been used up or switched off by the person who shared it, or it was copied incompletely.
        Ask them for a new link.
      </p>
    </>
  );
}

function Details({ share }: { share: PublicShare }) {
  return (
    <dl class="share-details">
      <div>
        <dt>Size</dt>
        <dd>{formatBytes(share.size)}</dd>
      </div>
      <div>
        <dt>Type</dt>
        <dd>{formatType(share.contentType)}</dd>
      </div>
      <div>
        <dt>Available until</dt>
        <dd>
          {formatDate(share.expiresAt)} ({formatRelative(share.expiresAt)})
        </dd>
      </div>
      {share.downloadsLeft !== undefined && (
        <div>
          <dt>Downloads left</dt>
          <dd>{share.downloadsLeft}</dd>
        </div>
      )}
    </dl>
  );
}

export function SharePage({ api, token }: { api: ApiClient; token: string | null }) {
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [downloadError, setDownloadError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!token) {
      setView({ kind: 'dead' });
      return;
    }
    setView({ kind: 'loading' });
    api
      .describeShare(token)
      .then((share) => {
        setView(hasDetails(share) ? { kind: 'open', share } : { kind: 'locked', expiresAt: share.expiresAt });
      })
      .catch((failure: unknown) => {
        if (failure instanceof ApiError && failure.status === 404) setView({ kind: 'dead' });
        else setView({ kind: 'failed', message: describe(failure) });
      });
  }, [api, token, attempt]);

  /** Wrong passwords and lockouts are said in words; a dead link turns the page into the dead-link page. */
  function deadOr(failure: unknown): never {
    if (failure instanceof ApiError && failure.status === 404) setView({ kind: 'dead' });
    throw failure;
  }

  async function download(share: PublicShare, password?: string) {
    if (!token) return;
    setBusy(true);
    setDownloadError(null);
    try {
      const grant = await api.redeemDownload(token, password);
      if (share.downloadsLeft !== undefined) {
        setView({
          kind: 'open',
          share: { ...share, downloadsLeft: Math.max(0, share.downloadsLeft - 1) },
          ...(password !== undefined ? { password } : {}),
        });
      }
      window.location.assign(grant.url);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) setView({ kind: 'dead' });
      else setDownloadError(failure instanceof ApiError ? failure : new ApiError(describe(failure), 'server', 0, undefined));
    } finally {
      setBusy(false);
    }
  }

  let body;
  switch (view.kind) {
    case 'loading':
      body = <p class="spinner" role="status">Opening the link…</p>;
      break;
    case 'dead':
      body = <DeadLink />;
      break;
    case 'failed':
      body = (
        <>
          <h1>A file shared with you</h1>
          <ErrorNotice
            message={view.message}
            onRetry={() => {
              setAttempt(attempt + 1);
            }}
          />
        </>
      );
      break;
    case 'locked':
      body = (
        <>
          <p class="muted eyebrow">A file shared with you</p>
          <h1>This file needs a password</h1>
          <p>Type the password you were given to see the file and download it.</p>
          <PasswordForm
            label="Unlock"
            onSubmit={async (password) => {
              if (!token) return;
              const share = await api.unlockShare(token, password).catch(deadOr);
              setView({ kind: 'open', share, password });
            }}
          />
          <p class="muted">This link works until {formatDate(view.expiresAt)}.</p>
        </>
      );
      break;
    case 'open':
      body = (
        <>
          <p class="muted eyebrow">A file shared with you</p>
          <h1 class="file-name">{view.share.name}</h1>
          <Details share={view.share} />
          {downloadError && (
            <ErrorNotice
              message={downloadError.message}
              onRetry={downloadError.retryable && downloadError.status !== 429 ? () => void download(view.share, view.password) : undefined}
            />
          )}
          {view.share.downloadsLeft === 0 ? (
            <p>This link has no downloads left.</p>
          ) : (
            <button
              type="button"
              class="button full download"
              disabled={busy}
              onClick={() => void download(view.share, view.password)}
            >
              {busy ? 'Starting the download…' : 'Download'}
            </button>
          )}
          <p class="muted small">Files are checked for malware before they can be shared.</p>
        </>
      );
      break;
  }
  return (
    <div class="share-page">
      <header class="brand">
        <span class="brand-mark" aria-hidden="true">
          ⇪
        </span>{' '}
        Fileshare
      </header>
      <main id="main" class="card share-card">
        {body}
      </main>
    </div>
  );
}
