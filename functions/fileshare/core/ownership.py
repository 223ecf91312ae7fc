"""Authorization on every owner read and command: another owner's file is indistinguishable from a
missing one (404, never 403), and so is a deleted one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from fileshare.core.errors import NotFound
from fileshare.core.keys import REQUEST_ID_RE, SHARE_ID_RE, is_file_id
from fileshare.core.records import FileRecord, RequestRecord, ShareRecord


class Index(Protocol):
    def get_file(self, file_id: str) -> FileRecord | None: ...
    def get_files(self, file_ids: Sequence[str]) -> list[FileRecord | None]: ...
    def list_shares(self, file_id: str) -> list[ShareRecord]: ...
    def find_link(self, owner_id: str, share_id: str) -> ShareRecord | None: ...


def _is_owned(record: FileRecord | None, owner_id: str) -> bool:
    return record is not None and record.owner_id == owner_id and record.status != "DELETED"


class RequestIndex(Protocol):
    def request_with_files(self, request_id: str) -> tuple[RequestRecord | None, list[FileRecord]]: ...


def owned_file(index: Index, file_id: str, owner_id: str) -> FileRecord:
    record = index.get_file(file_id) if is_file_id(file_id) else None
    if record is None or not _is_owned(record, owner_id):
        raise NotFound("no such file")
    return record


def owned_files(index: Index, file_ids: Sequence[str], owner_id: str) -> list[FileRecord]:
    """Several of the caller's files, in the order asked; the first that is not one of theirs
    answers the same 404 as ``owned_file``, naming the id they sent."""
    records = index.get_files(file_ids)
    for file_id, record in zip(file_ids, records, strict=True):
        if record is None or not _is_owned(record, owner_id):
            raise NotFound(f"no such file: {file_id}")
    return [r for r in records if r is not None]


def owned_share(index: Index, record: FileRecord, share_id: str) -> ShareRecord:
    if SHARE_ID_RE.match(share_id):
        for share in index.list_shares(record.file_id):
            if share.share_id == share_id:
                return share
    raise NotFound("no such share")


def owned_link(index: Index, owner_id: str, share_id: str) -> ShareRecord:
    """One of the caller's links to several files."""
    link = index.find_link(owner_id, share_id) if SHARE_ID_RE.match(share_id) else None
    if link is None:
        raise NotFound("no such link")
    return link


def owned_request(index: RequestIndex, request_id: str, owner_id: str) -> tuple[RequestRecord, list[FileRecord]]:
    """One of the caller's file requests and the files it received; another owner's request is the
    same 404 as a missing one."""
    request, files = index.request_with_files(request_id) if REQUEST_ID_RE.match(request_id) else (None, [])
    if request is None or request.owner_id != owner_id:
        raise NotFound("no such request")
    return request, files
