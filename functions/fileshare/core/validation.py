"""Validating an uploaded object against what its upload was allowed to be.

S3 enforces the POST policy and the signed part sizes in AWS; the local stack does not, so every
rule is checked again here on the object itself. What S3's HEAD answer already settles (owner,
size against the limit and the declared size) is checked before a byte is read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, NamedTuple

from fileshare.core.bounded import clip
from fileshare.core.content_types import (
    DEFAULT_ALLOWED,
    SNIFF_BYTES,
    TAIL_BYTES,
    allow_problem,
    normalize,
    sniff,
    type_problem,
)
from fileshare.core.names import sanitize_name


class UploadFacts(NamedTuple):
    """What the upload claimed: the key's owner, and the metadata pinned by the presigned POST."""

    owner_id: str
    metadata_owner: str | None
    declared_name: str
    declared_size: int | None
    declared_type: str
    stored_size: int  # the object's size as S3 reports it (HeadObject's ContentLength)
    s3_sha256: str | None = None


class ContentFacts(NamedTuple):
    """What the object really is, measured in one streaming pass."""

    size: int
    sha256: str
    head: bytes
    tail: bytes = b""


def inspect_stream(chunks: Iterable[bytes]) -> ContentFacts:
    digest = hashlib.sha256()
    head = bytearray()
    tail = b""
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        tail = (tail + chunk[-TAIL_BYTES:])[-TAIL_BYTES:]
    return ContentFacts(size=size, sha256=digest.hexdigest(), head=bytes(head), tail=tail)


class ValidationResult(NamedTuple):
    accepted: bool
    name: str
    declared_type: str
    detected_type: str | None
    size: int
    sha256: str | None  # None when refused before the object was read
    code: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "accepted": self.accepted,
            "name": self.name,
            "declaredType": self.declared_type,
            "detectedType": self.detected_type or "unknown",
            "size": self.size,
        }
        if self.sha256 is not None:
            out["sha256"] = self.sha256
        if not self.accepted:
            out["code"] = self.code
            out["reason"] = clip(str(self.reason))
        return out


def refuse(upload: UploadFacts, code: str, reason: str) -> ValidationResult:
    """A refusal decided without reading the object."""
    name = sanitize_name(upload.declared_name)
    return ValidationResult(False, name, normalize(upload.declared_type), None, upload.stored_size, None, code, reason)


def check_before_reading(upload: UploadFacts, *, max_upload_bytes: int) -> ValidationResult | None:
    """What S3's own answer about the object settles, before streaming anything: a refusal or None."""
    if upload.metadata_owner != upload.owner_id:
        return refuse(upload, "owner_mismatch", "the upload's owner does not match its key")
    if upload.stored_size > max_upload_bytes:
        return refuse(
            upload, "too_large", f"the file is {upload.stored_size} bytes; the limit is {max_upload_bytes} bytes"
        )
    if upload.declared_size is not None and upload.stored_size != upload.declared_size:
        return refuse(
            upload,
            "size_mismatch",
            f"the upload declared {upload.declared_size} bytes but {upload.stored_size} arrived",
        )
    return None


def validate_upload(
    upload: UploadFacts,
    content: ContentFacts,
    *,
    max_upload_bytes: int,
    allowed: frozenset[str] = DEFAULT_ALLOWED,
) -> ValidationResult:
    early = check_before_reading(upload, max_upload_bytes=max_upload_bytes)
    if early is not None:
        return early
    name = sanitize_name(upload.declared_name)
    detected = sniff(content.head, content.tail)
    declared_type = normalize(upload.declared_type)

    def rejected(code: str, reason: str) -> ValidationResult:
        return ValidationResult(False, name, declared_type, detected, content.size, content.sha256, code, reason)

    if content.size != upload.stored_size:
        return rejected("size_mismatch", f"S3 reported {upload.stored_size} bytes but {content.size} were read")
    if upload.s3_sha256 is not None and upload.s3_sha256 != content.sha256:
        return rejected("checksum_mismatch", "the object does not match the SHA-256 its upload declared")
    if content.size == 0:
        return rejected("empty", "the file is empty")
    problem = type_problem(declared_type, name, detected)
    if problem:
        return rejected("type_mismatch", problem)
    refused = allow_problem(declared_type, name, detected, allowed)
    if refused:
        return rejected("type_not_allowed", refused)
    return ValidationResult(True, name, declared_type, detected, content.size, content.sha256)
