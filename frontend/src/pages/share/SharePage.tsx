import { useEffect, useState } from 'preact/hooks';
import type { ApiClient, LinkGrant, PublicShare, ShareAnswer } from '../../api/client';
import { ApiError, asApiError, describe } from '../../api/errors';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatBytes, formatDate, formatRelative, formatType } from '../../components/format';
import { LinkFiles, type ZipProgress } from './LinkFiles';
import { PasswordForm } from '../../components/PasswordForm';

type View =
  | { kind: 'loading' }
  | { kind: 'dead' }
  | { kind: 'failed'; message: string }
  | { kind: 'locked'; expiresAt: string }
  | { kind: 'open'; share: PublicShare; password?: string };

function hasDetails(answer: ShareAnswer): answer is PublicShare {
  return 'name' in answer || 'files' in answer;
}

/** A redemption's URLs stay usable this long before they expire; after that, redeem again. */
const GRANT_MARGIN_MS = 20_000;

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

function Details({ share }: { share: Extract<PublicShare, { name: string }> }) {
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
  // A link to several files: one redemption gives every file's URL for a few minutes; each file's
  // button and "Download all" use them, so one visit counts one download.
  const [grant, setGrant] = useState<LinkGrant | null>(null);
  const [zip, setZip] = useState<ZipProgress>({ kind: 'idle' });

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

  /** Redeems the link once (one download counted) and shows one download fewer. */
  async function redeem(share: PublicShare, password?: string) {
    if (!token) throw new Error('no link');
    const answer = await api.redeemDownload(token, password);
    if (share.downloadsLeft !== undefined) {
      setView({
        kind: 'open',
        share: { ...share, downloadsLeft: Math.max(0, share.downloadsLeft - 1) },
        ...(password !== undefined ? { password } : {}),
      });
    }
    return answer;
  }

  /** The URLs of a link to several files: those already granted while they last, or a new redemption. */
  async function linkGrant(share: PublicShare, password?: string): Promise<LinkGrant> {
    if (grant && Date.parse(grant.expiresAt) - Date.now() > GRANT_MARGIN_MS) return grant;
    const answer = await redeem(share, password);
    if (!('files' in answer)) throw new Error('This link no longer holds several files. Reload the page.');
    setGrant(answer);
    return answer;
  }

  async function attempting(work: () => Promise<void>) {
    setBusy(true);
    setDownloadError(null);
    try {
      await work();
    } catch (failure) {
      setZip({ kind: 'idle' });
      if (failure instanceof ApiError && failure.status === 404) setView({ kind: 'dead' });
      else setDownloadError(asApiError(failure));
    } finally {
      setBusy(false);
    }
  }

  function download(share: PublicShare, password?: string) {
    return attempting(async () => {
      const answer = await redeem(share, password);
      if ('url' in answer) window.location.assign(answer.url);
    });
  }

  function downloadOne(share: PublicShare, fileId: string, password?: string) {
    return attempting(async () => {
      const file = (await linkGrant(share, password)).files.find((f) => f.fileId === fileId);
      if (!file) throw new Error('This file is no longer available. Reload the page to see what is left.');
      window.location.assign(file.url);
    });
  }

  function downloadAll(share: PublicShare, password?: string) {
    return attempting(async () => {
      const zipping = import('./zip'); // loads with client-zip, only now
      const files = (await linkGrant(share, password)).files;
      const { saveBlob, zipFiles } = await zipping;
      setZip({ kind: 'zipping', file: 0, total: files.length });
      const blob = await zipFiles(files, (file) => {
        setZip({ kind: 'zipping', file, total: files.length });
      });
      saveBlob(blob, 'shared-files.zip');
      setZip({ kind: 'saved' });
    });
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
      if ('files' in view.share) {
        const { share, password } = view;
        body = (
          <>
            <p class="muted eyebrow">Files shared with you</p>
            <h1>{view.share.files.length} files</h1>
            {downloadError && <ErrorNotice message={downloadError.message} />}
            <LinkFiles
              link={view.share}
              granted={grant !== null && Date.parse(grant.expiresAt) - Date.now() > GRANT_MARGIN_MS}
              busy={busy}
              zip={zip}
              onDownload={(fileId) => void downloadOne(share, fileId, password)}
              onDownloadAll={() => void downloadAll(share, password)}
            />
            <p class="muted small">Files are checked for malware before they can be shared.</p>
          </>
        );
        break;
      }
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
