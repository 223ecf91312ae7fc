"""Authorization on every owner read and command: another owner's file is indistinguishable from a
missing one (404, never 403), and so is a deleted one."""

from __future__ import annotations

from typing import Protocol

from fileshare.core.errors import NotFound
from fileshare.core.keys import REQUEST_ID_RE, SHARE_ID_RE, is_file_id
from fileshare.core.records import FileRecord, RequestRecord, ShareRecord


class Index(Protocol):
    def get_file(self, file_id: str) -> FileRecord | None: ...
    def list_shares(self, file_id: str) -> list[ShareRecord]: ...


class RequestIndex(Protocol):
    def request_with_files(self, request_id: str) -> tuple[RequestRecord | None, list[FileRecord]]: ...


def owned_file(index: Index, file_id: str, owner_id: str) -> FileRecord:
    record = index.get_file(file_id) if is_file_id(file_id) else None
    if record is None or record.owner_id != owner_id or record.status == "DELETED":
        raise NotFound("no such file")
    return record


def owned_share(index: Index, record: FileRecord, share_id: str) -> ShareRecord:
    if SHARE_ID_RE.match(share_id):
        for share in index.list_shares(record.file_id):
            if share.share_id == share_id:
                return share
    raise NotFound("no such share")


def owned_request(index: RequestIndex, request_id: str, owner_id: str) -> tuple[RequestRecord, list[FileRecord]]:
    """One of the caller's file requests and the files it received; another owner's request is the
    same 404 as a missing one."""
    request, files = index.request_with_files(request_id) if REQUEST_ID_RE.match(request_id) else (None, [])
    if request is None or request.owner_id != owner_id:
        raise NotFound("no such request")
    return request, files
