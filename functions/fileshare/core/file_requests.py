"""File requests: a link through which someone without an account uploads files to its owner.

A request follows the share-link rules: a 256-bit token, stored only as its SHA-256 (the item's key)
and its KMS ciphertext (encryption context ``{requestId}``); an optional scrypt password with the
same lockout (``fileshare.core.lockout``); every write a workflow. An upload ticket is the upload
plan of ``POST /uploads`` for a file owned by the request's owner, issued only after the
redeem-request workflow has taken one of the request's ``maxFiles`` atomically. The file carries
the request id (and the uploader's name) in its metadata, pinned by the plan, and goes through the
same process-upload workflow as every other upload.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from fileshare.core import clock, keyring
from fileshare.core.errors import InvalidRequest, NotFound, QuotaExceeded, UploadRateExceeded, UploadTooLarge
from fileshare.core.keys import REQUEST_ID_RE, is_file_id, new_request_id
from fileshare.core.lockout import Command, PasswordPolicy, check_password, run_redeem
from fileshare.core.passwords import hash_password
from fileshare.core.quota import QuotaLimits, Usage, check_new_upload
from fileshare.core.records import FileRecord, RequestRecord
from fileshare.core.tokens import hash_token, looks_like_token, mint_share_token
from fileshare.core.uploads import UploadLimits, UploadRequest, check_request, plan_upload

MAX_TITLE = 200
MAX_UPLOADER_NAME = 64
MAX_FILES = 1000
META_REQUEST = "request"
META_UPLOADER = "uploader"


class RequestLimits(NamedTuple):
    default_ttl_seconds: int
    max_ttl_seconds: int
    max_upload_bytes: int  # the deploy's MaxUploadBytes: no request takes larger files


def clean_text(value: str, *, max_length: int) -> str:
    """A title or a person's name as it may be shown to others: NFC, no control, format, bidi or
    private-use characters, whitespace collapsed; "" when nothing is left."""
    kept = []
    for ch in unicodedata.normalize("NFC", value):
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            kept.append(" " if ch in "\t\n\r" else "")
            continue
        kept.append(" " if category == "Zs" else ch)
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", "".join(kept))).strip()
    return text[:max_length].rstrip()


def is_request_id(value: str) -> bool:
    return bool(REQUEST_ID_RE.match(value))


def create_request_input(owner_id: str, body: dict[str, Any], limits: RequestLimits) -> dict[str, Any]:
    """The create-request workflow's input for a validated body. The password is hashed here
    (scrypt): only the hash enters the workflow, the table and any history."""
    title = clean_text(body["title"], max_length=MAX_TITLE)
    if not title:
        raise InvalidRequest("the title needs at least one visible character")
    ttl = body.get("expiresInSeconds", limits.default_ttl_seconds)
    if ttl > limits.max_ttl_seconds:
        raise InvalidRequest(f"expiresInSeconds is at most {limits.max_ttl_seconds}")
    max_bytes = body.get("maxBytes", limits.max_upload_bytes)
    if max_bytes > limits.max_upload_bytes:
        raise InvalidRequest(f"maxBytes is at most {limits.max_upload_bytes}, the largest upload allowed")
    payload: dict[str, Any] = {
        "kind": "request",  # the mint step mints a request's token, not a share's
        "ownerId": owner_id,
        "title": title,
        "ttlSeconds": ttl,
        "maxBytes": max_bytes,
    }
    if "maxFiles" in body:
        payload["maxFiles"] = body["maxFiles"]
    if "password" in body:
        payload["passwordHash"] = hash_password(body["password"])
    return payload


def mint_request(
    *,
    owner_id: str,
    title: str,
    key_id: str,
    ttl_seconds: int,
    max_bytes: int,
    max_files: int | None = None,
    password_hash: str | None = None,
    at: datetime | None = None,
) -> RequestRecord:
    """A new request with a fresh token; only the token's hash and ciphertext leave this function."""
    moment = at or clock.now()
    request_id = new_request_id()
    token = mint_share_token()
    return RequestRecord(
        request_id=request_id,
        owner_id=owner_id,
        title=title,
        token_hash=hash_token(token),
        token_ciphertext=keyring.encrypt_token(
            key_id=key_id, token=token, context=keyring.request_token_context(request_id=request_id)
        ),
        created_at=clock.to_iso(moment),
        expires_at=clock.to_iso(clock.later(moment, ttl_seconds)),
        max_bytes=max_bytes,
        max_files=max_files,
        password_hash=password_hash,
    )


def request_url(app_url: str, token: str) -> str:
    return f"{app_url.rstrip('/')}/r/{token}"


def received_file_view(record: FileRecord) -> dict[str, Any]:
    """The owner's summary of a file that arrived through one of their requests."""
    view: dict[str, Any] = {
        "fileId": record.file_id,
        "name": record.name,
        "size": record.size,
        "contentType": record.content_type,
        "status": record.status,
        "createdAt": record.created_at,
    }
    optional = {"reason": record.reason, "uploaderName": record.uploader_name}
    view.update({k: v for k, v in optional.items() if v is not None})
    return view


def received(files: list[FileRecord]) -> list[FileRecord]:
    """The files a request received that still exist (a deleted file is gone for its owner too)."""
    return [f for f in files if f.status != "DELETED"]


def owner_view(request: RequestRecord, files: list[FileRecord], *, app_url: str, at: datetime) -> dict[str, Any]:
    """The owner's view of one of their requests, newest file first; a closed request's link is never
    decrypted again (it has no token or url any more)."""
    kept = sorted(received(files), key=lambda f: f.created_at, reverse=True)
    view: dict[str, Any] = {"requestId": request.request_id}
    if not request.closed:
        token = keyring.decrypt_token(
            ciphertext=request.token_ciphertext,
            context=keyring.request_token_context(request_id=request.request_id),
        )
        view.update(token=token, url=request_url(app_url, token))
    view.update(
        {
            "title": request.title,
            "createdAt": request.created_at,
            "expiresAt": request.expires_at,
            "maxBytes": request.max_bytes,
            "filesAccepted": request.files_accepted,
            "filesReceived": len(kept),
            "closed": request.closed,
            "accepting": request.is_open(at),
            "passwordProtected": request.password_hash is not None,
            "files": [received_file_view(f) for f in kept],
        }
    )
    optional = {"maxFiles": request.max_files, "closedAt": request.closed_at, "lockedUntil": request.locked_until}
    view.update({k: v for k, v in optional.items() if v is not None})
    return view


class Index(Protocol):
    def get_request(self, token_hash: str) -> RequestRecord | None: ...
    def get_file(self, file_id: str) -> FileRecord | None: ...


class RequestLookup:
    """Finds the request behind a token, or raises the one NotFound every dead link gets."""

    def __init__(self, index: Index) -> None:
        self.index = index

    @staticmethod
    def dead() -> NotFound:
        return NotFound("this link does not exist or is no longer available")

    def any(self, token: str) -> RequestRecord:
        """The request, open or not (for the status of files it already received)."""
        request = self.index.get_request(hash_token(token)) if looks_like_token(token) else None
        if request is None:
            raise self.dead()
        return request

    def find(self, token: str, at: datetime) -> RequestRecord:
        """The request, only while it accepts uploads: not closed, not expired, not full."""
        request = self.any(token)
        if not request.is_open(at):
            raise self.dead()
        return request


def public_view(request: RequestRecord, *, unlocked: bool = False) -> dict[str, Any]:
    """What an uploader sees: never the owner. A password request shows only that it needs one, and
    until when, until its password has been checked (``unlocked``)."""
    if request.password_hash is not None and not unlocked:
        return {"passwordRequired": True, "expiresAt": request.expires_at}
    view: dict[str, Any] = {
        "title": request.title,
        "expiresAt": request.expires_at,
        "maxBytes": request.max_bytes,
        "passwordRequired": request.password_hash is not None,
    }
    left = request.files_left()
    if left is not None:
        view["filesLeft"] = left
    return view


def _check_password(
    *,
    lookup: RequestLookup,
    run: Command,
    request: RequestRecord,
    password: str | None,
    policy: PasswordPolicy,
    at: datetime,
) -> None:
    if request.password_hash is not None:
        check_password(
            run=run,
            link={"tokenHash": request.token_hash, "requestId": request.request_id},
            password_hash=request.password_hash,
            locked_until=request.locked_until,
            password=password,
            policy=policy,
            at=at,
            dead=lookup.dead(),
        )


def unlock(
    *, lookup: RequestLookup, run: Command, token: str, password: str, policy: PasswordPolicy, at: datetime
) -> dict[str, Any]:
    """A password request's details once its password is right; the count of attempts starts again."""
    request = lookup.find(token, at)
    _check_password(lookup=lookup, run=run, request=request, password=password, policy=policy, at=at)
    if request.password_hash is not None:
        run_redeem(
            run,
            {
                "mode": "unlock",
                "tokenHash": request.token_hash,
                "requestId": request.request_id,
                "now": clock.to_iso(at),
            },
            lookup.dead(),
        )
    return public_view(request, unlocked=True)


class TicketRequest(NamedTuple):
    name: str
    size: int
    content_type: str
    password: str | None = None
    uploader_name: str | None = None


def _owner_quota(usage: Usage, quota: QuotaLimits, size: int, at: datetime) -> None:
    """The owner's quotas apply as to their own uploads, but a stranger learns nothing of their usage."""
    try:
        check_new_upload(usage, quota, size, at)
    except UploadRateExceeded as exc:
        raise UploadRateExceeded("This request cannot take more files right now. Try again later.") from exc
    except QuotaExceeded as exc:
        raise QuotaExceeded("This request cannot take a file this large right now.") from exc


def issue_ticket(
    *,
    lookup: RequestLookup,
    run: Command,
    usage_of: Any,
    token: str,
    ticket: TicketRequest,
    policy: PasswordPolicy,
    quota: QuotaLimits,
    limits: UploadLimits,
    bucket: str,
    at: datetime,
) -> dict[str, Any]:
    """An upload plan for one file, for the request's owner. Everything that can refuse the file is
    judged before one of the request's files is taken (the password, the size, the name, the owner's
    quotas); then the redeem-request workflow takes it atomically, so with ``maxFiles`` N exactly N
    tickets are ever issued however many uploaders race."""
    request = lookup.find(token, at)
    _check_password(lookup=lookup, run=run, request=request, password=ticket.password, policy=policy, at=at)
    if ticket.size > request.max_bytes:
        raise UploadTooLarge(
            f"the file is {ticket.size} bytes; this request takes files up to {request.max_bytes} bytes"
        )
    upload = UploadRequest(name=ticket.name, size=ticket.size, content_type=ticket.content_type)
    check_request(upload, limits)
    uploader = clean_text(ticket.uploader_name or "", max_length=MAX_UPLOADER_NAME) or None
    _owner_quota(usage_of(request.owner_id), quota, ticket.size, at)
    run_redeem(
        run,
        {"mode": "ticket", "tokenHash": request.token_hash, "requestId": request.request_id, "now": clock.to_iso(at)},
        lookup.dead(),
    )
    extra = {META_REQUEST: request.request_id}
    if uploader:
        extra[META_UPLOADER] = uploader
    return plan_upload(
        owner_id=request.owner_id, request=upload, bucket=bucket, limits=limits, at=at, extra_metadata=extra
    )


def uploader_view(record: FileRecord) -> dict[str, Any]:
    """What the uploader sees of a file they sent: its verdict, nothing of the owner (no reason either:
    a refusal's reason may describe the owner's storage)."""
    return {
        "fileId": record.file_id,
        "name": record.name,
        "size": record.size,
        "status": record.status,
        "createdAt": record.created_at,
    }


def uploaded_file(*, lookup: RequestLookup, token: str, file_id: str) -> FileRecord:
    """A file uploaded through this request (open, closed or expired); any other file id, the owner's
    own files included, is the same 404."""
    request = lookup.any(token)
    record = lookup.index.get_file(file_id) if is_file_id(file_id) else None
    if record is None or record.request_id != request.request_id or record.status == "DELETED":
        raise NotFound("no such upload")
    return record
