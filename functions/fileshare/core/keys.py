"""Identifiers and object keys.

An upload lives at ``uploads/<ownerId>/<fileId>``: the owner is the Cognito ``sub`` of the person
who asked for the upload, the file id is server-generated. The presigned POST pins this exact key,
and the workflow re-derives owner and file id from it.
"""

from __future__ import annotations

import re
import secrets
from typing import NamedTuple

from fileshare.core.errors import InvalidUploadKey

UPLOAD_PREFIX = "uploads/"
FILE_ID_RE = re.compile(r"^[0-9a-f]{32}\Z")
OWNER_ID_RE = re.compile(r"^[A-Za-z0-9-]{1,128}\Z")
SHARE_ID_RE = re.compile(r"^[0-9a-f]{16}\Z")
REQUEST_ID_RE = re.compile(r"^[0-9a-f]{16}\Z")


def new_file_id() -> str:
    return secrets.token_hex(16)


def new_share_id() -> str:
    return secrets.token_hex(8)


def new_request_id() -> str:
    return secrets.token_hex(8)


def is_file_id(value: str) -> bool:
    return bool(FILE_ID_RE.match(value))


class UploadKey(NamedTuple):
    owner_id: str
    file_id: str

    def __str__(self) -> str:
        return f"{UPLOAD_PREFIX}{self.owner_id}/{self.file_id}"


def upload_key(owner_id: str, file_id: str) -> UploadKey:
    if not OWNER_ID_RE.match(owner_id):
        raise ValueError(f"not an owner id: {owner_id!r}")
    if not FILE_ID_RE.match(file_id):
        raise ValueError(f"not a file id: {file_id!r}")
    return UploadKey(owner_id, file_id)


def parse_upload_key(key: str) -> UploadKey:
    """The owner and file id of an object key, or ``InvalidUploadKey`` for any key we never issue."""
    if not key.startswith(UPLOAD_PREFIX):
        raise InvalidUploadKey(f"key outside {UPLOAD_PREFIX!r}: {key!r}")
    parts = key[len(UPLOAD_PREFIX) :].split("/")
    if len(parts) != 2 or not OWNER_ID_RE.match(parts[0]) or not FILE_ID_RE.match(parts[1]):
        raise InvalidUploadKey(f"key not of the form uploads/<owner>/<fileId>: {key!r}")
    return UploadKey(parts[0], parts[1])
