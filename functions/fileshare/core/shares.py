"""Share links: minting, the owner's view, the recipient's view, checking a link's password (with a
lockout that holds under concurrency, ``fileshare.core.lockout``), unlocking a password link, and redeeming a download.

A link is for one file or for several of one owner's files. A link to several files shows and
serves only those of its files that are still downloadable (a deleted or expired one drops out) and
dies, with the one 404, when none is left. Its download limit counts per link: one redemption
presigns every file still present and counts as one download.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from fileshare.core import clock, keyring, storage
from fileshare.core.content_types import serving_type
from fileshare.core.errors import Conflict, InvalidRequest, NotFound
from fileshare.core.keys import new_share_id
from fileshare.core.lockout import Command, PasswordPolicy, check_password, run_redeem
from fileshare.core.names import content_disposition
from fileshare.core.passwords import hash_password
from fileshare.core.records import FileRecord, ShareRecord, ttl_for
from fileshare.core.tokens import hash_token, looks_like_token, mint_share_token

DOWNLOAD_URL_TTL_SECONDS = 300
# One link holds at most this many files: create-share claims each file and stores the link in one
# DynamoDB transaction (at most 100 items), and a redemption presigns them all in one answer.
MAX_FILES_PER_LINK = 50


def token_context_of(share: ShareRecord) -> dict[str, str]:
    return keyring.token_context(share_id=share.share_id, file_id=share.file_id, owner_id=share.owner_id)


def mint_share(
    *,
    key_id: str,
    ttl_seconds: int,
    file_id: str | None = None,
    file_ids: Sequence[str] = (),
    owner_id: str | None = None,
    at: datetime | None = None,
    file_expires_at: str | None = None,
    max_downloads: int | None = None,
    password_hash: str | None = None,
) -> ShareRecord:
    """A new share with a fresh token: a file's link (``file_id``) or a link to several of an
    owner's files (``file_ids`` and ``owner_id``). The token itself is never returned: only its hash
    and its ciphertext leave this function, so it appears in no execution history and no log. A
    link never outlives its file (for several files, the last of them: ``file_expires_at``)."""
    moment = at or clock.now()
    expires = clock.later(moment, ttl_seconds)
    if file_expires_at is not None:
        expires = min(expires, clock.from_iso(file_expires_at))
    token = mint_share_token()
    unsealed = ShareRecord(
        share_id=new_share_id(),
        file_id=file_id,
        file_ids=tuple(file_ids) if file_id is None else (),
        owner_id=owner_id if file_id is None else None,
        token_hash=hash_token(token),
        token_ciphertext="",
        created_at=clock.to_iso(moment),
        expires_at=clock.to_iso(expires),
        max_downloads=max_downloads,
        password_hash=password_hash,
    )
    ciphertext = keyring.encrypt_token(key_id=key_id, token=token, context=token_context_of(unsealed))
    return unsealed._replace(token_ciphertext=ciphertext)


def share_url(app_url: str, token: str) -> str:
    return f"{app_url.rstrip('/')}/s/{token}"


def owner_view(share: ShareRecord, *, app_url: str, files: Sequence[FileRecord] = ()) -> dict[str, Any]:
    """The owner's view of one of their shares, with the link decrypted for them; a revoked link
    is never decrypted again (it has no token or url any more). A link to several files lists
    ``files``: those still present, as its recipients see them."""
    view: dict[str, Any] = {"shareId": share.share_id}
    if not share.revoked:
        token = keyring.decrypt_token(ciphertext=share.token_ciphertext, context=token_context_of(share))
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
    if share.holds_several:
        view["files"] = [link_file_view(r) for r in files]
    return view


def link_file_view(record: FileRecord) -> dict[str, Any]:
    """One file of a link to several files, as its page lists it."""
    return {
        "fileId": record.file_id,
        "name": record.name,
        "size": record.size,
        "contentType": serving_type(record.content_type),
    }


def present_files(share: ShareRecord, records: Sequence[FileRecord | None], at: datetime) -> list[FileRecord]:
    """The files of a link that can still be downloaded, in the link's order: a file deleted,
    expired or no longer its owner's drops out."""
    return [
        r
        for r in records
        if r is not None and r.is_downloadable(at) and (share.owner_id is None or r.owner_id == share.owner_id)
    ]


def decrypt_live_tokens(shares: Iterable[ShareRecord]) -> None:
    """Decrypt the tokens of a page's live links side by side, before their views are made one by
    one (each then finds its token kept: ``keyring.decrypt_tokens``)."""
    keyring.decrypt_tokens((s.token_ciphertext, token_context_of(s)) for s in shares if not s.revoked)


def file_views(
    records: Sequence[FileRecord], shares_of: dict[str, list[ShareRecord]], *, app_url: str
) -> list[dict[str, Any]]:
    """A page of files, with their own links."""
    decrypt_live_tokens(s for r in records for s in shares_of[r.file_id])
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
        "requestId": record.request_id,
        "uploaderName": record.uploader_name,
    }
    view.update({k: v for k, v in optional.items() if v is not None})
    return view


class Link(NamedTuple):
    """A live share and the files it still serves (one for a file's link; never none)."""

    share: ShareRecord
    files: list[FileRecord]


class ShareLookup:
    """Finds the live share and downloadable files behind a token, or raises the one NotFound."""

    def __init__(self, index: Any) -> None:
        self.index = index

    @staticmethod
    def dead() -> NotFound:
        return NotFound("this link does not exist or is no longer available")

    def find(self, token: str, at: datetime) -> Link:
        dead = self.dead()
        if not looks_like_token(token):
            raise dead
        share = self.index.get_share(hash_token(token))
        if share is None or not share.is_live(at):
            raise dead
        if share.holds_several:
            files = present_files(share, self.index.get_files(share.file_ids), at)
        else:
            files = present_files(share, [self.index.get_file(share.file_id)], at)
        if not files:
            raise dead
        return Link(share, files)


def public_view(link: Link, *, unlocked: bool = False) -> dict[str, Any]:
    """What a recipient sees. A password link shows only that it needs one, and until when, until
    its password has been checked (``unlocked``). A link to several files lists them as ``files``."""
    share = link.share
    file_expiry = max(r.expires_at or share.expires_at for r in link.files)
    expires_at = min(share.expires_at, file_expiry)
    if share.password_hash is not None and not unlocked:
        return {"passwordRequired": True, "expiresAt": expires_at}
    view: dict[str, Any]
    if share.holds_several:
        view = {"files": [link_file_view(r) for r in link.files]}
    else:
        [record] = link.files
        view = {"name": record.name, "size": record.size, "contentType": serving_type(record.content_type)}
    view.update(expiresAt=expires_at, passwordRequired=share.password_hash is not None)
    left = share.downloads_left()
    if left is not None:
        view["downloadsLeft"] = left
    return view


class Download(NamedTuple):
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


def download_view(link: Link, *, bucket: str, at: datetime) -> dict[str, Any]:
    """A redeemed link's answer: a file's link, the one presigned GET (``Download.to_view``); a link
    to several files, ``files``: one presigned GET per file still present, each with its name."""
    downloads = [(r, presign_download(r, bucket=bucket, at=at)) for r in link.files]
    if not link.share.holds_several:
        return downloads[0][1].to_view()
    return {
        "expiresAt": downloads[0][1].expires_at,
        "files": [link_file_view(r) | d.to_view() for r, d in downloads],
    }


class ShareLimits(NamedTuple):
    default_ttl_seconds: int
    max_ttl_seconds: int
    max_shares_per_file: int = 20


def share_limit_reached(limits: ShareLimits, named: str | None = None) -> Conflict:
    """A file has as many links as it may have; ``named`` says which one, for a link to several."""
    subject = named or "This file"
    return Conflict(
        f"{subject} already has {limits.max_shares_per_file} links, the most a file may have (revoked ones and "
        "links to several files count too).",
        code="share_limit_reached",
    )


def create_share_input(records: Sequence[FileRecord], body: dict[str, Any], limits: ShareLimits) -> dict[str, Any]:
    """The create-share workflow's input for a validated request body: a file's link for one record
    (``POST /files/{fileId}/shares``), a link to several files for more (``POST /shares``). Every
    file must be READY and below its link limit; the workflow claims each again, atomically. The
    password is hashed here (scrypt): only the hash enters the workflow, the table and any history."""
    several = len(records) > 1
    for record in records:
        named = f"{record.name} ({record.file_id})" if several else "the file"
        if record.status != "READY":
            raise Conflict(f"{named} is {record.status}; only READY files can be shared", code="file_not_ready")
        if record.shares_created >= limits.max_shares_per_file:
            raise share_limit_reached(limits, named if several else None)
    ttl = body.get("expiresInSeconds", limits.default_ttl_seconds)
    if ttl > limits.max_ttl_seconds:
        raise InvalidRequest(f"expiresInSeconds is at most {limits.max_ttl_seconds}")
    payload: dict[str, Any] = {
        "ownerId": records[0].owner_id,
        "ttlSeconds": ttl,
        "maxShares": limits.max_shares_per_file,
    }
    if several:
        payload["fileIds"] = [r.file_id for r in records]
    else:
        payload["fileId"] = records[0].file_id
    expiries = [r.expires_at for r in records]
    if None not in expiries:
        payload["fileExpiresAt"] = max(e for e in expiries if e is not None)
    if "maxDownloads" in body:
        payload["maxDownloads"] = body["maxDownloads"]
    if "password" in body:
        payload["passwordHash"] = hash_password(body["password"])
    return payload


class Requester(NamedTuple):
    """Who is downloading, from the request context API Gateway sets (never X-Forwarded-For)."""

    request_id: str
    source_ip: str
    user_agent: str


def open_share(
    *,
    lookup: ShareLookup,
    run: Command,
    token: str,
    password: str | None,
    policy: PasswordPolicy,
    at: datetime,
) -> Link:
    """The live share and files behind a token, its password judged if it has one
    (``fileshare.core.lockout``: at most ``policy.max_attempts`` guesses however many race)."""
    link = lookup.find(token, at)
    share = link.share
    if share.password_hash is not None:
        check_password(
            run=run,
            link={"tokenHash": share.token_hash, "shareId": share.share_id},
            password_hash=share.password_hash,
            locked_until=share.locked_until,
            password=password,
            policy=policy,
            at=at,
            dead=lookup.dead(),
        )
    return link


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
    link = open_share(lookup=lookup, run=run, token=token, password=password, policy=policy, at=at)
    share = link.share
    if share.password_hash is not None:
        run_redeem(
            run,
            {"mode": "unlock", "tokenHash": share.token_hash, "shareId": share.share_id, "now": clock.to_iso(at)},
            lookup.dead(),
        )
    return public_view(link, unlocked=True)


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
) -> dict[str, Any]:
    """Count one download through the redeem workflow (atomic: never past the limit), then presign
    every file the link still serves: a link to several files counts one download for all of them.
    For a password link the password is judged first, exactly as for ``unlock``."""
    link = open_share(lookup=lookup, run=run, token=token, password=password, policy=policy, at=at)
    share = link.share
    last_expiry = max(r.expires_at or clock.to_iso(clock.later(at, 365 * 24 * 3600)) for r in link.files)
    run_redeem(
        run,
        {
            "mode": "download",
            "tokenHash": share.token_hash,
            "shareId": share.share_id,
            "fileIds": [r.file_id for r in link.files],
            "now": clock.to_iso(at),
            "requestId": requester.request_id,
            "sourceIp": requester.source_ip,
            "userAgent": requester.user_agent[:512],
            "auditTtl": ttl_for(last_expiry),
        },
        lookup.dead(),
    )
    return download_view(link, bucket=bucket, at=at)
