"""Index records and the single-table layout they live in.

- file: pk ``FILE#<fileId>``, sk ``FILE``; gsi1 ``OWNER#<owner>`` / ``<createdAt>#<fileId>``;
  gsi2 ``EXPIRES`` / ``<expiresAt>#<fileId>`` while the file is neither deleted nor expired.
- share: pk ``SHARE#<sha256 of token>``, sk ``SHARE``; gsi1 ``FILE#<fileId>`` / ``SHARE#<createdAt>#<shareId>``.
- download: pk ``FILE#<fileId>``, sk ``DOWNLOAD#<at>#<requestId>``.
- an owner's usage: pk ``OWNER#<owner>``, sk ``USAGE``: ``bytesStored``, the sum of the files'
  ``storedBytes``, changed only in the same transaction as those (admit, delete, expire).
- an upload marker: pk ``OWNER#<owner>``, sk ``UPLOAD#<createdAt>#<fileId>``, one per registered
  upload, for the hourly upload count; TTL a day later.
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

from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


def owner_gsi1pk(owner_id: str) -> str:
    return f"OWNER#{owner_id}"


def owner_pk(owner_id: str) -> str:
    return f"OWNER#{owner_id}"


USAGE_SK = "USAGE"
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


@dataclass(frozen=True)
class FileRecord:
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
    share_keys: tuple[str, ...] = ()  # the table keys of its links, written by the workflows that store them

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
        }
        item.update({k: v for k, v in optional.items() if v is not None})
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
            share_keys=tuple(sorted(item.get("shareKeys", ()))),
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


@dataclass(frozen=True)
class ShareRecord:
    share_id: str
    file_id: str
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

    def to_item(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "pk": share_pk(self.token_hash),
            "sk": "SHARE",
            "gsi1pk": file_pk(self.file_id),
            "gsi1sk": f"SHARE#{self.created_at}#{self.share_id}",
            "shareId": self.share_id,
            "fileId": self.file_id,
            "tokenHash": self.token_hash,
            "tokenCiphertext": self.token_ciphertext,
            "createdAt": self.created_at,
            "expiresAt": self.expires_at,
            "ttl": ttl_for(self.expires_at),
            "downloads": self.downloads,
            "revoked": self.revoked,
            "failedAttempts": self.failed_attempts,
        }
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
            file_id=item["fileId"],
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
        )

    def is_locked(self, at: datetime) -> bool:
        return self.locked_until is not None and clock.from_iso(self.locked_until) > at

    def is_live(self, at: datetime) -> bool:
        if self.revoked or clock.from_iso(self.expires_at) <= at:
            return False
        return self.max_downloads is None or self.downloads < self.max_downloads

    def downloads_left(self) -> int | None:
        return None if self.max_downloads is None else max(0, self.max_downloads - self.downloads)


@dataclass(frozen=True)
class DownloadRecord:
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
