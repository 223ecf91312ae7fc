"""Share links: minting, the owner's view, the recipient's view, checking a link's password (with a
lockout that holds under concurrency), unlocking a password link, and redeeming a download."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fileshare.core import clock, keyring, storage
from fileshare.core.commands import CommandFailed
from fileshare.core.content_types import serving_type
from fileshare.core.errors import Conflict, Forbidden, InvalidRequest, NotFound, TooManyAttempts
from fileshare.core.keys import new_share_id
from fileshare.core.names import content_disposition
from fileshare.core.passwords import hash_password, verify_password
from fileshare.core.records import FileRecord, ShareRecord, ttl_for
from fileshare.core.tokens import hash_token, looks_like_token, mint_share_token

DOWNLOAD_URL_TTL_SECONDS = 300


def mint_share(
    *,
    file_id: str,
    key_id: str,
    ttl_seconds: int,
    at: datetime | None = None,
    file_expires_at: str | None = None,
    max_downloads: int | None = None,
    password_hash: str | None = None,
) -> ShareRecord:
    """A new share with a fresh token. The token itself is never returned: only its hash and its
    ciphertext leave this function, so it appears in no execution history and no log. A link never
    outlives its file."""
    moment = at or clock.now()
    expires = clock.later(moment, ttl_seconds)
    if file_expires_at is not None:
        expires = min(expires, clock.from_iso(file_expires_at))
    share_id = new_share_id()
    token = mint_share_token()
    return ShareRecord(
        share_id=share_id,
        file_id=file_id,
        token_hash=hash_token(token),
        token_ciphertext=keyring.encrypt_token(key_id=key_id, token=token, file_id=file_id, share_id=share_id),
        created_at=clock.to_iso(moment),
        expires_at=clock.to_iso(expires),
        max_downloads=max_downloads,
        password_hash=password_hash,
    )


def share_url(app_url: str, token: str) -> str:
    return f"{app_url.rstrip('/')}/s/{token}"


def owner_view(share: ShareRecord, *, app_url: str) -> dict[str, Any]:
    """The owner's view of one of their shares, with the link decrypted for them; a revoked link
    is never decrypted again (it has no token or url any more)."""
    view: dict[str, Any] = {"shareId": share.share_id}
    if not share.revoked:
        token = keyring.decrypt_token(ciphertext=share.token_ciphertext, file_id=share.file_id, share_id=share.share_id)
        view.update(token=token, url=share_url(app_url, token))
    view.update(
        {
            "createdAt": share.created_at,
            "expiresAt": share.expires_at,
            "downloads": share.downloads,
            "revoked": share.revoked,
            "passwordProtected": share.password_hash is not None,
        }
    )
    if share.max_downloads is not None:
        view["maxDownloads"] = share.max_downloads
    if share.locked_until is not None:
        view["lockedUntil"] = share.locked_until
    return view


def file_views(
    records: list[FileRecord], shares_of: dict[str, list[ShareRecord]], *, app_url: str
) -> list[dict[str, Any]]:
    """A page of files: every live link on it decrypted side by side first, not one after another."""
    keyring.decrypt_tokens(
        (s.token_ciphertext, s.file_id, s.share_id) for r in records for s in shares_of[r.file_id] if not s.revoked
    )
    return [file_view(r, shares_of[r.file_id], app_url=app_url) for r in records]


def file_view(record: FileRecord, shares: list[ShareRecord], *, app_url: str) -> dict[str, Any]:
    view: dict[str, Any] = {
        "fileId": record.file_id,
        "name": record.name,
        "size": record.size,
        "contentType": record.content_type,
        "status": record.status,
        "createdAt": record.created_at,
        "downloads": sum(s.downloads for s in shares),
        "shares": [owner_view(s, app_url=app_url) for s in sorted(shares, key=lambda s: s.created_at)],
    }
    optional = {
        "expiresAt": record.expires_at,
        "sha256": record.sha256,
        "reason": record.reason,
        "detectedType": record.detected_type,
        "originalName": record.original_name,
    }
    view.update({k: v for k, v in optional.items() if v is not None})
    return view


class ShareLookup:
    """Finds the live share and downloadable file behind a token, or raises the one NotFound."""

    def __init__(self, index: Any) -> None:
        self.index = index

    @staticmethod
    def dead() -> NotFound:
        return NotFound("this link does not exist or is no longer available")

    def find(self, token: str, at: datetime) -> tuple[ShareRecord, FileRecord]:
        dead = self.dead()
        if not looks_like_token(token):
            raise dead
        share = self.index.get_share(hash_token(token))
        if share is None or not share.is_live(at):
            raise dead
        record = self.index.get_file(share.file_id)
        if record is None or not record.is_downloadable(at):
            raise dead
        return share, record


def public_view(share: ShareRecord, record: FileRecord, *, unlocked: bool = False) -> dict[str, Any]:
    """What a recipient sees. A password link shows only that it needs one, and until when, until
    its password has been checked (``unlocked``)."""
    expires_at = min(share.expires_at, record.expires_at or share.expires_at)
    if share.password_hash is not None and not unlocked:
        return {"passwordRequired": True, "expiresAt": expires_at}
    view: dict[str, Any] = {
        "name": record.name,
        "size": record.size,
        "contentType": serving_type(record.content_type),
        "expiresAt": expires_at,
        "passwordRequired": share.password_hash is not None,
    }
    left = share.downloads_left()
    if left is not None:
        view["downloadsLeft"] = left
    return view


@dataclass(frozen=True)
class Download:
    url: str
    expires_at: str
    sha256: str | None = None

    def to_view(self) -> dict[str, Any]:
        """The answer of ``POST /public/shares/{token}/download``: the SHA-256 of the scanned
        version lets a client check what it saved."""
        view = {"url": self.url, "expiresAt": self.expires_at}
        if self.sha256:
            view["sha256"] = self.sha256
        return view


def presign_download(record: FileRecord, *, bucket: str, at: datetime) -> Download:
    """A short-lived presigned GET of the exact scanned object version, always as an attachment."""
    url = storage.presign_get(
        bucket=bucket,
        key=record.object_key,
        version_id=record.object_version,
        disposition=content_disposition(record.name),
        content_type=serving_type(record.content_type),
        expires_in=DOWNLOAD_URL_TTL_SECONDS,
    )
    return Download(url=url, expires_at=clock.to_iso(clock.later(at, DOWNLOAD_URL_TTL_SECONDS)), sha256=record.sha256)


@dataclass(frozen=True)
class ShareLimits:
    default_ttl_seconds: int
    max_ttl_seconds: int
    max_shares_per_file: int = 20


def share_limit_reached(limits: ShareLimits) -> Conflict:
    return Conflict(
        f"This file already has {limits.max_shares_per_file} links, the most a file may have (revoked ones count too).",
        code="share_limit_reached",
    )


def create_share_input(record: FileRecord, body: dict[str, Any], limits: ShareLimits) -> dict[str, Any]:
    """The create-share workflow's input for a validated request body. The password is hashed here
    (scrypt): only the hash enters the workflow, the table and any history."""
    if record.status != "READY":
        raise Conflict(f"the file is {record.status}; only READY files can be shared", code="file_not_ready")
    if record.shares_created >= limits.max_shares_per_file:
        raise share_limit_reached(limits)  # the create-share workflow enforces it again, atomically
    ttl = body.get("expiresInSeconds", limits.default_ttl_seconds)
    if ttl > limits.max_ttl_seconds:
        raise InvalidRequest(f"expiresInSeconds is at most {limits.max_ttl_seconds}")
    payload: dict[str, Any] = {
        "fileId": record.file_id,
        "ownerId": record.owner_id,
        "ttlSeconds": ttl,
        "maxShares": limits.max_shares_per_file,
    }
    if record.expires_at is not None:
        payload["fileExpiresAt"] = record.expires_at
    if "maxDownloads" in body:
        payload["maxDownloads"] = body["maxDownloads"]
    if "password" in body:
        payload["passwordHash"] = hash_password(body["password"])
    return payload


@dataclass(frozen=True)
class Requester:
    """Who is downloading, from the request context API Gateway sets (never X-Forwarded-For)."""

    request_id: str
    source_ip: str
    user_agent: str


@dataclass(frozen=True)
class PasswordPolicy:
    max_attempts: int
    lock_seconds: int


Command = Callable[[dict[str, Any]], dict[str, Any]]


def _run(run: Command, lookup: ShareLookup, payload: dict[str, Any]) -> None:
    """Run one redeem-workflow command, mapping its refusals to the recipient's answers."""
    try:
        run(payload)
    except CommandFailed as failed:
        if failed.error == "Locked":
            raise TooManyAttempts("too many wrong passwords: try again later") from failed
        if failed.error == "ShareUnavailable":
            raise lookup.dead() from failed
        raise


def open_share(
    *,
    lookup: ShareLookup,
    run: Command,
    token: str,
    password: str | None,
    policy: PasswordPolicy,
    at: datetime,
) -> tuple[ShareRecord, FileRecord]:
    """The live share and file behind a token, its password judged if it has one: at most
    ``policy.max_attempts`` times however many requests race, because each guess first takes an
    attempt with one atomic write (the redeem workflow's ``reserve``) and only then does scrypt run.
    Once they are taken the link is locked and every guess, the right one too, gets the same 429.
    A wrong guess stays counted; the caller's next command resets the count."""
    share, record = lookup.find(token, at)
    if share.password_hash is None:
        return share, record
    if share.is_locked(at):  # already locked: answer without starting a workflow
        raise TooManyAttempts("too many wrong passwords: try again later")
    if not password:
        raise Forbidden("this link needs a password", code="password_required")
    _run(
        run,
        lookup,
        {
            "mode": "reserve",
            "tokenHash": share.token_hash,
            "fileId": share.file_id,
            "now": clock.to_iso(at),
            "maxAttempts": policy.max_attempts,
            "lockUntil": clock.to_iso(clock.later(at, policy.lock_seconds)),
        },
    )
    if not verify_password(password, share.password_hash):
        raise Forbidden("wrong password", code="wrong_password")
    return share, record


def unlock(
    *,
    lookup: ShareLookup,
    run: Command,
    token: str,
    password: str,
    policy: PasswordPolicy,
    at: datetime,
) -> dict[str, Any]:
    """A password link's details, once its password is right (the attempt counts as a download's
    would; no download is counted); the count of attempts starts again."""
    share, record = open_share(lookup=lookup, run=run, token=token, password=password, policy=policy, at=at)
    if share.password_hash is not None:
        _run(
            run,
            lookup,
            {"mode": "unlock", "tokenHash": share.token_hash, "fileId": share.file_id, "now": clock.to_iso(at)},
        )
    return public_view(share, record, unlocked=True)


def redeem(
    *,
    lookup: ShareLookup,
    run: Command,
    token: str,
    password: str | None,
    requester: Requester,
    policy: PasswordPolicy,
    bucket: str,
    at: datetime,
) -> Download:
    """Count one download through the redeem workflow (atomic: never past the limit), then presign.
    For a password link the password is judged first, exactly as for ``unlock``."""
    share, record = open_share(lookup=lookup, run=run, token=token, password=password, policy=policy, at=at)
    _run(
        run,
        lookup,
        {
            "mode": "download",
            "tokenHash": share.token_hash,
            "fileId": share.file_id,
            "shareId": share.share_id,
            "now": clock.to_iso(at),
            "requestId": requester.request_id,
            "sourceIp": requester.source_ip,
            "userAgent": requester.user_agent[:512],
            "auditTtl": ttl_for(record.expires_at or clock.to_iso(clock.later(at, 365 * 24 * 3600))),
        },
    )
    return presign_download(record, bucket=bucket, at=at)
