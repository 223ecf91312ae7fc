import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiClient, PublicRequest, RequestAnswer, SentFile } from '../../api/client';
import { ApiError, describe } from '../../api/errors';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatBytes, formatDate, formatRelative } from '../../components/format';
import { PasswordForm } from '../../components/PasswordForm';
import { StatusPoller } from '../files/status-poller';
import { EXPLANATIONS, justSent, upsertSent, VERDICTS } from './sent-files';

type View =
  | { kind: 'loading' }
  | { kind: 'dead' }
  | { kind: 'failed'; message: string }
  | { kind: 'locked'; expiresAt: string }
  | { kind: 'open'; request: PublicRequest; password?: string };

const DEAD = 'This request no longer accepts files. Ask the person who sent you the link for a new one.';

function hasDetails(answer: RequestAnswer): answer is PublicRequest {
  return 'title' in answer;
}

function DeadLink() {
  return (
    <>
      <h1>This link does not take files</h1>
      <p>
        It may have expired, received all the files it asked for, or been closed by the person who sent it, or it was
        copied incompletely. Ask them for a new link.
      </p>
    </>
  );
}

function Details({ request }: { request: PublicRequest }) {
  return (
    <dl class="share-details">
      <div>
        <dt>Largest file</dt>
        <dd>{formatBytes(request.maxBytes)}</dd>
      </div>
      {request.filesLeft !== undefined && (
        <div>
          <dt>Files it still takes</dt>
          <dd>{request.filesLeft}</dd>
        </div>
      )}
      <div>
        <dt>Open until</dt>
        <dd>
          {formatDate(request.expiresAt)} ({formatRelative(request.expiresAt)})
        </dd>
      </div>
    </dl>
  );
}

function SentList({ files }: { files: SentFile[] }) {
  if (files.length === 0) return null;
  return (
    <section aria-labelledby="sent-heading" class="sent-section">
      <h2 id="sent-heading">Files you sent</h2>
      <ul class="sent-list" aria-label="Files you sent">
        {files.map((file) => (
          <li key={file.fileId} class="sent-item">
            <div class="sent-title">
              <span class="file-name">{file.name}</span>
              <span class={`badge status-${file.status.toLowerCase()}`}>{VERDICTS[file.status]}</span>
            </div>
            <p class="muted small">
              {formatBytes(file.size)} · {EXPLANATIONS[file.status] ?? ''}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The open request: who is sending (optional), the upload area, and the verdict on each file sent. */
function Sending({ api, token, request, password }: { api: ApiClient; token: string; request: PublicRequest; password?: string | undefined }) {
  const [sent, setSent] = useState<SentFile[]>([]);
  const [name, setName] = useState('');
  const [uploaderError, setUploaderError] = useState('');
  const [refusal, setRefusal] = useState('');
  const [connection, setConnection] = useState('');
  const uploadTarget = useRef<HTMLDivElement>(null);
  const nameRef = useRef('');
  nameRef.current = name;

  const poller = useMemo(
    () =>
      new StatusPoller<SentFile>(
        (fileId) => api.sentFile(token, fileId),
        (file) => {
          setSent((current) => upsertSent(current, file));
        },
      ),
    [api, token],
  );
  useEffect(
    () => () => {
      poller.stop();
    },
    [poller],
  );

  useEffect(() => {
    let closed = false;
    let close: (() => void) | undefined;
    void import('../../upload/uploader')
      .then(({ createUploader }) => {
        if (closed || !uploadTarget.current) return;
        close = createUploader({
          target: uploadTarget.current,
          maxUploadBytes: request.maxBytes,
          ...(request.filesLeft !== undefined ? { maxFiles: request.filesLeft } : {}),
          note:
            request.filesLeft !== undefined
              ? `Up to ${String(request.filesLeft)} ${request.filesLeft === 1 ? 'file' : 'files'}, ${formatBytes(request.maxBytes)} each.`
              : `Any number of files, up to ${formatBytes(request.maxBytes)} each.`,
          plan: async (upload) => {
            const uploaderName = nameRef.current.trim();
            try {
              return await api.requestUpload(token, {
                ...upload,
                ...(password !== undefined ? { password } : {}),
                ...(uploaderName ? { uploaderName } : {}),
              });
            } catch (error) {
              if (error instanceof ApiError && error.status === 404) {
                throw new ApiError(DEAD, error.kind, error.status, error.code);
              }
              throw error;
            }
          },
          onUploaded: (upload) => {
            setSent((current) => upsertSent(current, justSent(upload)));
            poller.watch(upload.fileId);
          },
          onConnection: setConnection,
          onRefused: setRefusal,
        }).close;
      })
      .catch(() => {
        setUploaderError('The upload area could not be loaded. Reload the page to try again.');
      });
    return () => {
      closed = true;
      close?.();
    };
  }, [api, token, request, password, poller]);

  return (
    <>
      <div class="field">
        <label for="uploader-name">Your name (optional)</label>
        <input
          id="uploader-name"
          type="text"
          autocomplete="name"
          maxLength={64}
          aria-describedby="uploader-name-hint"
          value={name}
          onInput={(event) => {
            setName(event.currentTarget.value);
          }}
        />
        <span id="uploader-name-hint" class="hint">
          Shown to the person who asked, beside your files.
        </span>
      </div>
      <div role="status" aria-live="polite" class={connection ? 'notice info' : 'visually-hidden'}>
        {connection}
      </div>
      <section aria-label="Upload files">
        {uploaderError && <ErrorNotice message={uploaderError} />}
        {refusal && <ErrorNotice message={refusal} />}
        <div ref={uploadTarget} class="upload-area" />
      </section>
      <SentList files={sent} />
    </>
  );
}

export function RequestPage({ api, token }: { api: ApiClient; token: string | null }) {
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!token) {
      setView({ kind: 'dead' });
      return;
    }
    setView({ kind: 'loading' });
    api
      .describeRequest(token)
      .then((answer) => {
        setView(hasDetails(answer) ? { kind: 'open', request: answer } : { kind: 'locked', expiresAt: answer.expiresAt });
      })
      .catch((failure: unknown) => {
        if (failure instanceof ApiError && failure.status === 404) setView({ kind: 'dead' });
        else setView({ kind: 'failed', message: describe(failure) });
      });
  }, [api, token, attempt]);

  let body;
  switch (view.kind) {
    case 'loading':
      body = (
        <p class="spinner" role="status">
          Opening the link…
        </p>
      );
      break;
    case 'dead':
      body = <DeadLink />;
      break;
    case 'failed':
      body = (
        <>
          <h1>Send files</h1>
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
          <p class="muted eyebrow">Someone asked you for files</p>
          <h1>This request needs a password</h1>
          <p>Type the password you were given to see what is asked and send files.</p>
          <PasswordForm
            label="Unlock"
            onSubmit={async (password) => {
              if (!token) return;
              try {
                const request = await api.unlockRequest(token, password);
                setView({ kind: 'open', request, password });
              } catch (failure) {
                if (failure instanceof ApiError && failure.status === 404) setView({ kind: 'dead' });
                throw failure;
              }
            }}
          />
          <p class="muted">This link works until {formatDate(view.expiresAt)}.</p>
        </>
      );
      break;
    case 'open':
      body = (
        <>
          <p class="muted eyebrow">Someone asked you for files</p>
          <h1 class="file-name">{view.request.title}</h1>
          <Details request={view.request} />
          {token && <Sending api={api} token={token} request={view.request} password={view.password} />}
          <p class="muted small">
            No account needed. Every file is checked for malware. You see only the files you send here.
          </p>
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
      <main id="main" class="card share-card request-card">
        {body}
      </main>
    </div>
  );
}
