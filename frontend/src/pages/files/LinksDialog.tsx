import { useEffect, useId, useState } from 'preact/hooks';
import type { CreateShareRequest, Download, FileView, Share, ShareEmailAnswer, ShareEmailRequest } from '../../api/client';
import { describe } from '../../api/errors';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatDate } from '../../components/format';
import { ExpiryField, LinkAddress } from '../../components/LinkFields';
import { QrCode } from '../../components/QrCode';
import { useApp } from '../app-context';
import {
  emailRequest,
  linkRequest,
  MAX_NOTE,
  MAX_RECIPIENTS,
  MIN_PASSWORD,
  shareState,
  STATE_LABELS,
} from './share-state';

/** "Send this link to…": addresses and an optional note; says what was sent or why not. */
function EmailLinkForm({ onSend }: { onSend: (body: ShareEmailRequest) => Promise<ShareEmailAnswer> }) {
  const [addresses, setAddresses] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState('');
  const [sent, setSent] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();
  return (
    <form
      class="email-link"
      noValidate
      aria-label="Send this link by email"
      onSubmit={(event) => {
        event.preventDefault();
        const request = emailRequest(addresses, note);
        setSent('');
        if (!request.ok) {
          setProblem(request.problem);
          return;
        }
        setProblem('');
        setBusy(true);
        onSend(request.body)
          .then((answer) => {
            const left = answer.remainingThisHour;
            setSent(
              `Sent to ${answer.recipients.join(', ')}. You can email ${String(left)} more ${left === 1 ? 'person' : 'people'} this hour.`,
            );
            setAddresses('');
            setNote('');
          })
          .catch((failure: unknown) => {
            setProblem(describe(failure));
          })
          .finally(() => {
            setBusy(false);
          });
      }}
    >
      {problem && <ErrorNotice message={problem} />}
      <div role="status" aria-live="polite" class={sent ? 'notice info' : 'visually-hidden'}>
        {sent}
      </div>
      <div class="field">
        <label for={`${id}-to`}>Send this link to…</label>
        <input
          id={`${id}-to`}
          type="text"
          inputMode="email"
          autocomplete="email"
          aria-describedby={`${id}-to-hint`}
          value={addresses}
          onInput={(event) => {
            setAddresses(event.currentTarget.value);
          }}
        />
        <span id={`${id}-to-hint`} class="hint">
          Up to {MAX_RECIPIENTS} email addresses, separated by commas or spaces.
        </span>
      </div>
      <div class="field">
        <label for={`${id}-note`}>Message (optional)</label>
        <textarea
          id={`${id}-note`}
          rows={3}
          maxLength={MAX_NOTE}
          value={note}
          onInput={(event) => {
            setNote(event.currentTarget.value);
          }}
        />
      </div>
      <button type="submit" class="button small" disabled={busy}>
        {busy ? 'Sending…' : 'Send'}
      </button>
    </form>
  );
}

export function ShareItem({
  share,
  onRevoke,
  onEmail,
}: {
  share: Share;
  onRevoke: () => Promise<void>;
  onEmail?: (body: ShareEmailRequest) => Promise<ShareEmailAnswer>;
}) {
  const [showQr, setShowQr] = useState(false);
  const [showEmail, setShowEmail] = useState(false);
  const [busy, setBusy] = useState(false);
  const state = shareState(share);
  const live = state === 'active' || state === 'locked';
  // The contract gives a link's url while it is not revoked.
  const url = share.url ?? '';
  return (
    <li class={`share-item state-${state}`}>
      <LinkAddress url={url} />
      <p class="share-facts muted">
        <span class={`share-state state-${state}`}>{STATE_LABELS[state]}</span>
        <span>
          {share.downloads} {share.downloads === 1 ? 'download' : 'downloads'}
          {share.maxDownloads !== undefined ? ` of ${share.maxDownloads}` : ''}
        </span>
        <span>Expires {formatDate(share.expiresAt)}</span>
        {share.passwordProtected && <span>Password protected</span>}
      </p>
      {live && (
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
          {onEmail && (
            <button
              type="button"
              class="button small secondary"
              aria-expanded={showEmail}
              onClick={() => {
                setShowEmail(!showEmail);
              }}
            >
              Email…
            </button>
          )}
          <button
            type="button"
            class="button small secondary"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void onRevoke().finally(() => {
                setBusy(false);
              });
            }}
          >
            Revoke
          </button>
        </div>
      )}
      {live && showQr && <QrCode text={url} label="QR code of the link" />}
      {live && showEmail && onEmail && <EmailLinkForm onSend={onEmail} />}
    </li>
  );
}

export function NewLinkForm({ onCreate }: { onCreate: (body: CreateShareRequest) => Promise<void> }) {
  const [expires, setExpires] = useState(604_800);
  const [maxDownloads, setMaxDownloads] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="new-link"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const request = linkRequest({ expiresInSeconds: expires, maxDownloads, password });
        if (!request.ok) {
          setProblem(request.problem);
          return;
        }
        setProblem('');
        setBusy(true);
        onCreate(request.body)
          .then(() => {
            setPassword('');
            setMaxDownloads('');
          })
          .catch((failure: unknown) => {
            setProblem(describe(failure));
          })
          .finally(() => {
            setBusy(false);
          });
      }}
    >
      <h3>New link</h3>
      {problem && <ErrorNotice message={problem} />}
      <div class="new-link-fields">
        <ExpiryField label="Expires after" seconds={expires} onChange={setExpires} />
        <div class="field">
          <label for="link-limit">Download limit</label>
          <input
            id="link-limit"
            type="number"
            min={1}
            inputMode="numeric"
            placeholder="No limit"
            aria-describedby="link-limit-hint"
            value={maxDownloads}
            onInput={(event) => {
              setMaxDownloads(event.currentTarget.value);
            }}
          />
          <span id="link-limit-hint" class="hint">
            Leave empty for no limit.
          </span>
        </div>
        <div class="field">
          <label for="link-password">Password</label>
          <input
            id="link-password"
            type="password"
            autocomplete="new-password"
            aria-describedby="link-password-hint"
            value={password}
            onInput={(event) => {
              setPassword(event.currentTarget.value);
            }}
          />
          <span id="link-password-hint" class="hint">
            Optional; at least {MIN_PASSWORD} characters.
          </span>
        </div>
      </div>
      <button type="submit" class="button" disabled={busy}>
        {busy ? 'Creating…' : 'Create link'}
      </button>
    </form>
  );
}

function DownloadsTable({ fileId }: { fileId: string }) {
  const { api } = useApp();
  const [downloads, setDownloads] = useState<Download[] | null>(null);
  const [error, setError] = useState('');
  const load = () => {
    setError('');
    api
      .listDownloads(fileId)
      .then(setDownloads)
      .catch((failure: unknown) => {
        setError(describe(failure));
      });
  };
  useEffect(load, [api, fileId]);
  return (
    <section aria-labelledby="downloads-heading" class="downloads">
      <h3 id="downloads-heading">Downloads</h3>
      {error && <ErrorNotice message={error} onRetry={load} />}
      {downloads === null && !error && <p class="muted">Loading…</p>}
      {downloads?.length === 0 && <p class="muted">Nobody has downloaded this file yet.</p>}
      {downloads && downloads.length > 0 && (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Link</th>
                <th scope="col">From</th>
                <th scope="col">Browser</th>
              </tr>
            </thead>
            <tbody>
              {downloads.map((d) => (
                <tr key={`${d.at}-${d.shareId}`}>
                  <td>{formatDate(d.at)}</td>
                  <td>…{d.shareId.slice(-6)}</td>
                  <td>{d.sourceIp}</td>
                  <td class="user-agent">{d.userAgent}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function LinksDialog({
  file,
  onChanged,
  onClose,
}: {
  file: FileView;
  onChanged: (file: FileView) => void;
  onClose: () => void;
}) {
  const { api } = useApp();
  const [error, setError] = useState('');
  const name = file.originalName ?? file.name;

  async function refresh() {
    const fresh = await api.getFile(file.fileId);
    if (fresh) onChanged(fresh);
  }

  const shares = [...file.shares].reverse(); // newest first
  return (
    <Dialog title={`Share “${name}”`} onClose={onClose} wide>
      {error && <ErrorNotice message={error} />}
      <section aria-labelledby="links-heading">
        <h3 id="links-heading">Links</h3>
        {shares.length === 0 && <p class="muted">No links yet.</p>}
        <ul class="share-list">
          {shares.map((share) => (
            <ShareItem
              key={share.shareId}
              share={share}
              onRevoke={async () => {
                setError('');
                try {
                  await api.revokeShare(file.fileId, share.shareId);
                  await refresh();
                } catch (failure) {
                  setError(describe(failure));
                }
              }}
              onEmail={(body) => api.emailShare(file.fileId, share.shareId, body)}
            />
          ))}
        </ul>
      </section>
      <NewLinkForm
        onCreate={async (body) => {
          await api.createShare(file.fileId, body);
          await refresh();
        }}
      />
      <DownloadsTable fileId={file.fileId} />
    </Dialog>
  );
}
