"""Index records and the single-table layout they live in.

| item  | pk                 | sk     | gsi1pk            | gsi1sk                          |
| ----- | ------------------ | ------ | ----------------- | ------------------------------- |
| file  | ``FILE#<fileId>``  | ``FILE``  | ``OWNER#<owner>`` | ``<createdAt>#<fileId>``        |
| share | ``SHARE#<sha256>`` | ``SHARE`` | ``FILE#<fileId>`` | ``SHARE#<createdAt>#<shareId>`` |

Access patterns: a file by id (GetItem); an owner's files newest first (Query gsi1, descending);
a share by token hash, strongly consistent (GetItem); a file's shares (Query gsi1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fileshare.core import clock

STATUSES = ("PROCESSING", "READY", "REJECTED", "INFECTED", "FAILED", "DELETED", "EXPIRED")


def file_pk(file_id: str) -> str:
    return f"FILE#{file_id}"


def share_pk(token_hash: str) -> str:
    return f"SHARE#{token_hash}"


def owner_gsi1pk(owner_id: str) -> str:
    return f"OWNER#{owner_id}"


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
    ) -> FileRecord:
        stamp = clock.to_iso(created_at)
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
        }
        optional = {
            "detectedType": self.detected_type,
            "sha256": self.sha256,
            "reason": self.reason,
            "expiresAt": self.expires_at,
            "failedExecution": self.failed_execution,
        }
        item.update({k: v for k, v in optional.items() if v is not None})
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
            "ttl": int(clock.from_iso(self.expires_at).timestamp()),
            "downloads": self.downloads,
            "revoked": self.revoked,
        }
        if self.max_downloads is not None:
            item["maxDownloads"] = self.max_downloads
        if self.password_hash is not None:
            item["passwordHash"] = self.password_hash
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
        )

    def is_live(self, at: datetime) -> bool:
        if self.revoked or clock.from_iso(self.expires_at) <= at:
            return False
        return self.max_downloads is None or self.downloads < self.max_downloads

    def downloads_left(self) -> int | None:
        return None if self.max_downloads is None else max(0, self.max_downloads - self.downloads)
