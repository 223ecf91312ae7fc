/**
 * File requests: the owner asks for files with a link (`/r/{token}`), copies it or shows its QR
 * code, closes it, and sees what arrived through each, with its verdict. Loaded lazily: the files
 * view, the first screen, does not carry it.
 */
import { useCallback, useEffect, useId, useState } from 'preact/hooks';
import type { FileRequest } from '../../api/client';
import { ApiError, asApiError, describe } from '../../api/errors';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatBytes, formatDate } from '../../components/format';
import { ExpiryField, LinkAddress } from '../../components/LinkFields';
import { QrCode } from '../../components/QrCode';
import { StatusBadge } from '../../components/StatusBadge';
import { SignedInPage } from '../../components/SignedInPage';
import { useApp } from '../app-context';
import { useSessionEnded } from '../useSessionEnded';
import { newRequest, REQUEST_LABELS, requestState } from './request-state';

/** While the page is shown, the list is read again this often, so files appear as they arrive. */
const REFRESH_MS = 5000;

function NewRequestForm({ onCreated }: { onCreated: (request: FileRequest) => void }) {
  const { api } = useApp();
  const [title, setTitle] = useState('');
  const [expires, setExpires] = useState(604_800);
  const [maxFiles, setMaxFiles] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();
  return (
    <form
      class="card new-request"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const request = newRequest({ title, expiresInSeconds: expires, maxFiles, password });
        if (!request.ok) {
          setProblem(request.problem);
          return;
        }
        setProblem('');
        setBusy(true);
        api
          .createRequest(request.body)
          .then((created) => {
            setTitle('');
            setMaxFiles('');
            setPassword('');
            onCreated(created);
          })
          .catch((failure: unknown) => {
            setProblem(describe(failure));
          })
          .finally(() => {
            setBusy(false);
          });
      }}
    >
      <h2>Ask for files</h2>
      <p class="muted">
        Anyone with the link can send you files, without an account. Each file is checked for malware and counts
        toward your storage.
      </p>
      {problem && <ErrorNotice message={problem} />}
      <div class="field">
        <label for={`${id}-title`}>What are you asking for?</label>
        <input
          id={`${id}-title`}
          type="text"
          maxLength={200}
          value={title}
          aria-describedby={`${id}-title-hint`}
          onInput={(event) => {
            setTitle(event.currentTarget.value);
          }}
        />
        <span id={`${id}-title-hint`} class="hint">
          Shown to the people you send the link to.
        </span>
      </div>
      <div class="new-link-fields">
        <ExpiryField label="Open for" seconds={expires} onChange={setExpires} />
        <div class="field">
          <label for={`${id}-files`}>Files at most (optional)</label>
          <input
            id={`${id}-files`}
            type="number"
            inputMode="numeric"
            min={1}
            max={1000}
            value={maxFiles}
            onInput={(event) => {
              setMaxFiles(event.currentTarget.value);
            }}
          />
        </div>
        <div class="field">
          <label for={`${id}-password`}>Password (optional)</label>
          <input
            id={`${id}-password`}
            type="password"
            autocomplete="new-password"
            value={password}
            onInput={(event) => {
              setPassword(event.currentTarget.value);
            }}
          />
        </div>
      </div>
      <button type="submit" class="button" disabled={busy}>
        {busy ? 'Making the link…' : 'Make a link'}
      </button>
    </form>
  );
}

function RequestItem({ request, onClose }: { request: FileRequest; onClose: () => Promise<void> }) {
  const [showQr, setShowQr] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const state = requestState(request);
  const url = request.url ?? '';
  return (
    <li class="card request-item">
      <div class="file-title">
        <h3 class="file-name">{request.title}</h3>
        <span class={`share-state state-${state === 'open' ? 'active' : state}`}>{REQUEST_LABELS[state]}</span>
      </div>
      <p class="file-meta muted">
        <span>
          {request.filesReceived} {request.filesReceived === 1 ? 'file' : 'files'} received
          {request.maxFiles !== undefined ? ` (at most ${String(request.maxFiles)})` : ''}
        </span>
        <span>Up to {formatBytes(request.maxBytes)} each</span>
        <span>
          {request.closed ? `Closed ${formatDate(request.closedAt)}` : `Open until ${formatDate(request.expiresAt)}`}
        </span>
        {request.passwordProtected && <span>Password protected</span>}
      </p>
      {!request.closed && (
        <>
          <LinkAddress url={url} label={`Link for ${request.title}`} />
          {problem && <ErrorNotice message={problem} />}
          <div class="share-actions">
            <CopyButton text={url} />
            <button
              type="button"
              class="button small secondary"
              aria-expanded={showQr}
              onClick={() => {
                setShowQr(!showQr);
              }}
            >
              {showQr ? 'Hide QR code' : 'QR code'}
            </button>
            <button
              type="button"
              class="button small secondary"
              disabled={busy}
              aria-label={`Close the request ${request.title}`}
              onClick={() => {
                setBusy(true);
                setProblem('');
                onClose()
                  .catch((failure: unknown) => {
                    setProblem(describe(failure));
                  })
                  .finally(() => {
                    setBusy(false);
                  });
              }}
            >
              Close
            </button>
          </div>
          {showQr && <QrCode text={url} label={`QR code of the link for ${request.title}`} />}
        </>
      )}
      {request.files.length > 0 && (
        <ul class="received-list" aria-label={`Files received for ${request.title}`}>
          {request.files.map((file) => (
            <li key={file.fileId} class="received-item">
              <span class="file-name">{file.name}</span>
              <StatusBadge status={file.status} />
              <span class="muted small received-facts">
                {formatBytes(file.size)}
                {file.uploaderName ? ` · from ${file.uploaderName}` : ''} · {formatDate(file.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

export function RequestsPage() {
  const { api } = useApp();
  const [requests, setRequests] = useState<FileRequest[]>([]);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const sessionEnded = useSessionEnded();

  const load = useCallback(async () => {
    try {
      const page = await api.listRequests();
      setRequests(page.items);
      setLoadError(null);
    } catch (error) {
      if (!sessionEnded(error)) {
        setLoadError(asApiError(error));
      }
    } finally {
      setLoading(false);
    }
  }, [api, sessionEnded]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, REFRESH_MS);
    return () => {
      clearInterval(timer);
    };
  }, [load]);

  return (
    <SignedInPage skipTo="Skip to your requests">
      <h1 class="visually-hidden">File requests</h1>
      <NewRequestForm
        onCreated={(created) => {
          setRequests((current) => [created, ...current]);
        }}
      />
      <section aria-labelledby="requests-heading" class="files-section">
        <h2 id="requests-heading">Your requests</h2>
        {loadError && <ErrorNotice message={loadError.message} onRetry={() => void load()} />}
        {!loading && !loadError && requests.length === 0 && (
          <p class="muted">No requests yet. Make a link above and send it to whoever has the files.</p>
        )}
        <ul class="file-list" aria-label="Your requests">
          {requests.map((request) => (
            <RequestItem
              key={request.requestId}
              request={request}
              onClose={async () => {
                await api.closeRequest(request.requestId);
                await load();
              }}
            />
          ))}
        </ul>
        {loading && (
          <p class="spinner" role="status">
            Loading requests…
          </p>
        )}
      </section>
    </SignedInPage>
  );
}
