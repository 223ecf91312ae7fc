"""Index records and the single-table layout they live in.

- file: pk ``FILE#<fileId>``, sk ``FILE``; gsi1 ``OWNER#<owner>`` / ``<createdAt>#<fileId>``;
  gsi2 ``EXPIRES`` / ``<expiresAt>#<fileId>`` while the file is neither deleted nor expired.
- share: pk ``SHARE#<sha256 of token>``, sk ``SHARE``; gsi1 ``FILE#<fileId>`` / ``SHARE#<createdAt>#<shareId>``
  for a file's link, ``LINKS#<owner>`` / ``SHARE#<createdAt>#<shareId>`` for a link to several files
  (``fileIds``, ``ownerId``; no ``fileId``).
- download: pk ``FILE#<fileId>``, sk ``DOWNLOAD#<at>#<requestId>``.
- an owner's usage: pk ``OWNER#<owner>``, sk ``USAGE``: ``bytesStored``, the sum of the files'
  ``storedBytes``, changed only in the same transaction as those (admit, delete, expire).
- an owner's settings: pk ``OWNER#<owner>``, sk ``SETTINGS``: ``uploadProblems`` (email the owner
  when an upload ends REJECTED or INFECTED), written by the update-notifications workflow.
- an owner's share-email counter: pk ``OWNER#<owner>``, sk ``MAILRATE#<start of the clock hour>``:
  ``recipients`` emailed in that hour, written by the send-share-email workflow; TTL a day later.
- an upload marker: pk ``OWNER#<owner>``, sk ``UPLOAD#<createdAt>#<fileId>``, one per registered
  upload, for the hourly upload count; TTL a day later.
- file request: pk ``REQUEST#<sha256 of token>``, sk ``REQUEST``; gsi1 ``REQUESTS#<owner>`` /
  ``<createdAt>#<requestId>`` (an owner's requests); gsi4 ``REQUEST#<requestId>`` / ``REQUEST``.
  A file received through it carries gsi4 ``REQUEST#<requestId>`` / ``FILE#<createdAt>#<fileId>``,
  so one Query on gsi4 reads a request and every file it received.
- while a file is PROCESSING it carries gsi3 ``PROCESSING`` / ``<processingDeadline>#<fileId>``, so
  the sweep finds uploads stuck past their deadline.

Access patterns: a file by id (GetItem); an owner's files newest first (Query gsi1, descending);
a share by token hash, strongly consistent (GetItem); a file's shares (Query gsi1); a file's
download audit, newest first (Query pk, sk begins_with DOWNLOAD#); files past their expiry, for the
sweep (Query gsi2, sparse: only files not yet deleted or expired carry gsi2pk).

Items carry ``ttl`` (epoch seconds) = their expiry plus ``TTL_GRACE_SECONDS``, so DynamoDB removes
them only after the sweep has deleted the objects; access is refused from the expiry instant by
the API and the redeem workflow, never by TTL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from fileshare.core import clock

STATUSES = ("PROCESSING", "READY", "REJECTED", "INFECTED", "FAILED", "DELETED", "EXPIRED")
TTL_GRACE_SECONDS = 7 * 24 * 3600
EXPIRY_INDEX_PK = "EXPIRES"
PROCESSING_INDEX_PK = "PROCESSING"
UPLOAD_MARKER_TTL_SECONDS = 24 * 3600


def ttl_for(expires_at: str) -> int:
    return int(clock.from_iso(expires_at).timestamp()) + TTL_GRACE_SECONDS


def file_pk(file_id: str) -> str:
    return f"FILE#{file_id}"


def share_pk(token_hash: str) -> str:
    return f"SHARE#{token_hash}"


def request_pk(token_hash: str) -> str:
    return f"REQUEST#{token_hash}"


def request_gsi4pk(request_id: str) -> str:
    return f"REQUEST#{request_id}"


def owner_requests_gsi1pk(owner_id: str) -> str:
    return f"REQUESTS#{owner_id}"


REQUEST_SK = "REQUEST"
REQUEST_FILE_PREFIX = "FILE#"


def owner_gsi1pk(owner_id: str) -> str:
    return f"OWNER#{owner_id}"


def links_gsi1pk(owner_id: str) -> str:
    """Where an owner's links to several files are listed (gsi1)."""
    return f"LINKS#{owner_id}"


def owner_pk(owner_id: str) -> str:
    return f"OWNER#{owner_id}"


USAGE_SK = "USAGE"
SETTINGS_SK = "SETTINGS"
UPLOAD_MARKER_PREFIX = "UPLOAD#"


def upload_marker(owner_id: str, file_id: str, created_at: str) -> dict[str, Any]:
    """The item that counts one registered upload in its owner's hourly window."""
    return {
        "pk": owner_pk(owner_id),
        "sk": f"{UPLOAD_MARKER_PREFIX}{created_at}#{file_id}",
        "fileId": file_id,
        "createdAt": created_at,
        "ttl": int(clock.from_iso(created_at).timestamp()) + UPLOAD_MARKER_TTL_SECONDS,
    }


class FileRecord(NamedTuple):
    file_id: str
    owner_id: str
    name: str
    size: int
    content_type: str
    status: str
    created_at: str
    updated_at: str
    object_key: str
    object_version: str
    etag: str
    detected_type: str | None = None
    sha256: str | None = None
    reason: str | None = None
    expires_at: str | None = None
    failed_execution: str | None = None
    original_name: str | None = None
    stored_bytes: int = 0  # what it counts against its owner's quota: its size once admitted, 0 when gone
    shares_created: int = 0  # links ever made for it, revoked ones included (capped per file)
    processing_deadline: str | None = None  # a PROCESSING file not finished by then is stuck
    processing_execution: str | None = None  # the process-upload execution that registered it
    request_id: str | None = None  # the file request it arrived through, if any
    uploader_name: str | None = None  # the name its uploader gave, if any (file requests only)
    # the table keys of its own links, in the order made (None: a file indexed before they were kept)
    share_keys: tuple[str, ...] | None = None

    @classmethod
    def new(
        cls,
        *,
        file_id: str,
        owner_id: str,
        name: str,
        size: int,
        content_type: str,
        object_key: str,
        object_version: str,
        etag: str,
        created_at: datetime,
        retention_seconds: int | None = None,
        original_name: str | None = None,
        processing_timeout_seconds: int | None = None,
        request_id: str | None = None,
        uploader_name: str | None = None,
    ) -> FileRecord:
        stamp = clock.to_iso(created_at)
        expires = clock.to_iso(clock.later(created_at, retention_seconds)) if retention_seconds else None
        deadline = (
            clock.to_iso(clock.later(created_at, processing_timeout_seconds)) if processing_timeout_seconds else None
        )
        return cls(
            file_id=file_id,
            owner_id=owner_id,
            name=name,
            size=size,
            content_type=content_type,
            status="PROCESSING",
            created_at=stamp,
            updated_at=stamp,
            object_key=object_key,
            object_version=object_version,
            etag=etag,
            expires_at=expires,
            original_name=original_name,
            processing_deadline=deadline,
            request_id=request_id,
            uploader_name=uploader_name,
        )

    def to_item(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "pk": file_pk(self.file_id),
            "sk": "FILE",
            "gsi1pk": owner_gsi1pk(self.owner_id),
            "gsi1sk": f"{self.created_at}#{self.file_id}",
            "fileId": self.file_id,
            "ownerId": self.owner_id,
            "name": self.name,
            "size": self.size,
            "contentType": self.content_type,
            "status": self.status,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "objectKey": self.object_key,
            "objectVersion": self.object_version,
            "etag": self.etag,
            "storedBytes": self.stored_bytes,
            "sharesCreated": self.shares_created,
        }
        optional = {
            "detectedType": self.detected_type,
            "sha256": self.sha256,
            "reason": self.reason,
            "expiresAt": self.expires_at,
            "failedExecution": self.failed_execution,
            "originalName": self.original_name,
            "processingDeadline": self.processing_deadline,
            "processingExecution": self.processing_execution,
            "requestId": self.request_id,
            "uploaderName": self.uploader_name,
        }
        item.update({k: v for k, v in optional.items() if v is not None})
        if self.request_id is not None:
            item["gsi4pk"] = request_gsi4pk(self.request_id)
            item["gsi4sk"] = f"{REQUEST_FILE_PREFIX}{self.created_at}#{self.file_id}"
        if self.status == "PROCESSING" and self.processing_deadline is not None:
            item["gsi3pk"] = PROCESSING_INDEX_PK
            item["gsi3sk"] = f"{self.processing_deadline}#{self.file_id}"
        if self.expires_at is not None:
            item["ttl"] = ttl_for(self.expires_at)
            if self.status not in ("DELETED", "EXPIRED"):
                item["gsi2pk"] = EXPIRY_INDEX_PK
                item["gsi2sk"] = f"{self.expires_at}#{self.file_id}"
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> FileRecord:
        return cls(
            file_id=item["fileId"],
            owner_id=item["ownerId"],
            name=item["name"],
            size=int(item["size"]),
            content_type=item["contentType"],
            status=item["status"],
            created_at=item["createdAt"],
            updated_at=item["updatedAt"],
            object_key=item["objectKey"],
            object_version=item["objectVersion"],
            etag=item["etag"],
            detected_type=item.get("detectedType"),
            sha256=item.get("sha256"),
            reason=item.get("reason"),
            expires_at=item.get("expiresAt"),
            failed_execution=item.get("failedExecution"),
            original_name=item.get("originalName"),
            stored_bytes=int(item.get("storedBytes", 0)),  # items written before quotas: never counted
            shares_created=int(item.get("sharesCreated", 0)),
            processing_deadline=item.get("processingDeadline"),
            processing_execution=item.get("processingExecution"),
            request_id=item.get("requestId"),
            uploader_name=item.get("uploaderName"),
            share_keys=tuple(dict.fromkeys(item["shareKeys"])) if "shareKeys" in item else None,
        )

    def is_stuck(self, at: datetime) -> bool:
        """PROCESSING past its deadline: its owner may delete it and the sweep marks it FAILED."""
        return (
            self.status == "PROCESSING"
            and self.processing_deadline is not None
            and clock.from_iso(self.processing_deadline) <= at
        )

    def is_downloadable(self, at: datetime) -> bool:
        """Deny by default: only clean, READY, unexpired files can be downloaded."""
        if self.status != "READY":
            return False
        return self.expires_at is None or clock.from_iso(self.expires_at) > at


class ShareRecord(NamedTuple):
    """A link: to one file (``file_id``, listed under the file) or to several of one owner's files
    (``file_ids`` and ``owner_id``, listed under the owner; ``file_id`` is None)."""

    share_id: str
    file_id: str | None
    token_hash: str
    token_ciphertext: str
    created_at: str
    expires_at: str
    downloads: int = 0
    max_downloads: int | None = None
    revoked: bool = False
    password_hash: str | None = None
    failed_attempts: int = 0
    locked_until: str | None = None
    file_ids: tuple[str, ...] = ()
    owner_id: str | None = None

    @property
    def holds_several(self) -> bool:
        return self.file_id is None

    @property
    def files(self) -> tuple[str, ...]:
        """The ids of the files this link was made for, in the owner's order."""
        return self.file_ids if self.file_id is None else (self.file_id,)

    def to_item(self) -> dict[str, Any]:
        several = bool(self.file_ids) and self.owner_id is not None
        if (self.file_id is None) != several or (self.file_id is not None and self.file_ids):
            raise ValueError("a share is for one file (file_id) or for several (file_ids and owner_id)")
        item: dict[str, Any] = {
            "pk": share_pk(self.token_hash),
            "sk": "SHARE",
            "gsi1sk": f"SHARE#{self.created_at}#{self.share_id}",
            "shareId": self.share_id,
            "tokenHash": self.token_hash,
            "tokenCiphertext": self.token_ciphertext,
            "createdAt": self.created_at,
            "expiresAt": self.expires_at,
            "ttl": ttl_for(self.expires_at),
            "downloads": self.downloads,
            "revoked": self.revoked,
            "failedAttempts": self.failed_attempts,
        }
        if self.file_id is not None:
            item.update(gsi1pk=file_pk(self.file_id), fileId=self.file_id)
        else:
            owner = str(self.owner_id)  # set: checked above
            item.update(gsi1pk=links_gsi1pk(owner), ownerId=owner, fileIds=list(self.file_ids))
        if self.max_downloads is not None:
            item["maxDownloads"] = self.max_downloads
        if self.password_hash is not None:
            item["passwordHash"] = self.password_hash
        if self.locked_until is not None:
            item["lockedUntil"] = self.locked_until
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> ShareRecord:
        max_downloads = item.get("maxDownloads")
        return cls(
            share_id=item["shareId"],
            file_id=item.get("fileId"),
            token_hash=item["tokenHash"],
            token_ciphertext=item["tokenCiphertext"],
            created_at=item["createdAt"],
            expires_at=item["expiresAt"],
            downloads=int(item.get("downloads", 0)),
            max_downloads=None if max_downloads is None else int(max_downloads),
            revoked=bool(item.get("revoked", False)),
            password_hash=item.get("passwordHash"),
            failed_attempts=int(item.get("failedAttempts", 0)),
            locked_until=item.get("lockedUntil"),
            file_ids=tuple(item.get("fileIds", ())),
            owner_id=item.get("ownerId"),
        )

    def is_locked(self, at: datetime) -> bool:
        return self.locked_until is not None and clock.from_iso(self.locked_until) > at

    def is_live(self, at: datetime) -> bool:
        if self.revoked or clock.from_iso(self.expires_at) <= at:
            return False
        return self.max_downloads is None or self.downloads < self.max_downloads

    def downloads_left(self) -> int | None:
        return None if self.max_downloads is None else max(0, self.max_downloads - self.downloads)


class RequestRecord(NamedTuple):
    """A file request: a link through which someone without an account uploads files to its owner.

    Like a share, it is found by its token's hash and holds the token only as KMS ciphertext.
    ``files_accepted`` counts the upload tickets issued, atomically against ``max_files``."""

    request_id: str
    owner_id: str
    title: str
    token_hash: str
    token_ciphertext: str
    created_at: str
    expires_at: str
    max_bytes: int
    max_files: int | None = None
    files_accepted: int = 0
    closed: bool = False
    closed_at: str | None = None
    password_hash: str | None = None
    failed_attempts: int = 0
    locked_until: str | None = None

    def to_item(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "pk": request_pk(self.token_hash),
            "sk": REQUEST_SK,
            "gsi1pk": owner_requests_gsi1pk(self.owner_id),
            "gsi1sk": f"{self.created_at}#{self.request_id}",
            "gsi4pk": request_gsi4pk(self.request_id),
            "gsi4sk": REQUEST_SK,
            "requestId": self.request_id,
            "ownerId": self.owner_id,
            "title": self.title,
            "tokenHash": self.token_hash,
            "tokenCiphertext": self.token_ciphertext,
            "createdAt": self.created_at,
            "expiresAt": self.expires_at,
            "ttl": ttl_for(self.expires_at),
            "maxBytes": self.max_bytes,
            "filesAccepted": self.files_accepted,
            "closed": self.closed,
            "failedAttempts": self.failed_attempts,
        }
        optional = {
            "maxFiles": self.max_files,
            "closedAt": self.closed_at,
            "passwordHash": self.password_hash,
            "lockedUntil": self.locked_until,
        }
        item.update({k: v for k, v in optional.items() if v is not None})
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> RequestRecord:
        max_files = item.get("maxFiles")
        return cls(
            request_id=item["requestId"],
            owner_id=item["ownerId"],
            title=item["title"],
            token_hash=item["tokenHash"],
            token_ciphertext=item["tokenCiphertext"],
            created_at=item["createdAt"],
            expires_at=item["expiresAt"],
            max_bytes=int(item["maxBytes"]),
            max_files=None if max_files is None else int(max_files),
            files_accepted=int(item.get("filesAccepted", 0)),
            closed=bool(item.get("closed", False)),
            closed_at=item.get("closedAt"),
            password_hash=item.get("passwordHash"),
            failed_attempts=int(item.get("failedAttempts", 0)),
            locked_until=item.get("lockedUntil"),
        )

    def is_locked(self, at: datetime) -> bool:
        return self.locked_until is not None and clock.from_iso(self.locked_until) > at

    def files_left(self) -> int | None:
        return None if self.max_files is None else max(0, self.max_files - self.files_accepted)

    def is_open(self, at: datetime) -> bool:
        """Accepting uploads: not closed, not expired, and not full."""
        if self.closed or clock.from_iso(self.expires_at) <= at:
            return False
        left = self.files_left()
        return left is None or left > 0


class DownloadRecord(NamedTuple):
    """One redeemed download, for the owner's audit. The source IP comes from the request context
    API Gateway sets (never from X-Forwarded-For, which the caller controls)."""

    file_id: str
    share_id: str
    at: str
    request_id: str
    source_ip: str
    user_agent: str

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> DownloadRecord:
        return cls(
            file_id=item["fileId"],
            share_id=item["shareId"],
            at=item["at"],
            request_id=item["requestId"],
            source_ip=item["sourceIp"],
            user_agent=item["userAgent"],
        )

    def to_view(self) -> dict[str, Any]:
        return {"at": self.at, "shareId": self.share_id, "sourceIp": self.source_ip, "userAgent": self.user_agent}


def create_share_transaction(
    *, table_name: str, share_item: dict[str, Any], file_ids: Sequence[str], owner_id: str, max_shares: int
) -> list[dict[str, Any]]:
    """The create-share workflow's one transaction, in attribute-value form: for every file of the
    link, ``ADD sharesCreated 1`` only while it is its owner's READY file below ``max_shares`` (a
    file's own link also joins its ``shareKeys``, which GET /files reads by key); and the share item,
    only if new. Any file that fails its condition cancels the whole link, so a retried transaction
    never adds a key twice."""
    values: dict[str, dict[str, Any]] = {
        ":owner": {"S": owner_id},
        ":ready": {"S": "READY"},
        ":max": {"N": str(max_shares)},
        ":one": {"N": "1"},
    }
    update = "ADD sharesCreated :one"
    if "fileId" in share_item:  # a file's own link (a link to several files is listed apart, GET /shares)
        update += " SET shareKeys = list_append(if_not_exists(shareKeys, :none), :key)"
        values.update({":none": {"L": []}, ":key": {"L": [share_item["pk"]]}})
    claims = [
        {
            "Update": {
                "TableName": table_name,
                "Key": {"pk": {"S": file_pk(file_id)}, "sk": {"S": "FILE"}},
                "ConditionExpression": "ownerId = :owner AND #status = :ready"
                " AND (attribute_not_exists(sharesCreated) OR sharesCreated < :max)",
                "UpdateExpression": update,
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": values,
            }
        }
        for file_id in file_ids
    ]
    store = {"Put": {"TableName": table_name, "Item": share_item, "ConditionExpression": "attribute_not_exists(pk)"}}
    return [*claims, store]
