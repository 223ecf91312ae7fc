"""What the mailer sends for each app event it is subscribed to.

* ``ShareEmailRequested``: the link, to each recipient, if it is still live and its file READY
  (a link revoked in between is not sent); Reply-To is the owner.
* ``FileRejected``: to the owner, only if they turned ``uploadProblems`` on.
* ``RequestFileReceived``: to the request's owner.

The share URL is decrypted here, from the share item's KMS ciphertext, for the message only: it
is never logged and never put in an event. Adapters are passed in (``Mailroom``), so the rules can
be run with fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from fileshare.core import keyring
from fileshare.core.directory import Person
from fileshare.core.mail import Email, request_file_received_email, share_link_email, upload_problem_email
from fileshare.core.records import FileRecord, ShareRecord
from fileshare.core.shares import share_url, token_context_of


class Index(Protocol):
    def get_file(self, file_id: str) -> FileRecord | None: ...
    def list_shares(self, file_id: str) -> list[ShareRecord]: ...
    def notifications(self, owner_id: str) -> dict[str, bool]: ...


class Mailroom(NamedTuple):
    store: Index
    find_person: Callable[[str], Person | None]
    send: Callable[[str, Email, str | None], None]  # (to, email, reply_to)
    decrypt_token: Callable[[ShareRecord], str]
    app_url: str


def decrypt_share_token(share: ShareRecord) -> str:
    return keyring.decrypt_token(ciphertext=share.token_ciphertext, context=token_context_of(share))


def on_share_email_requested(room: Mailroom, detail: dict[str, Any], at: datetime) -> list[str]:
    """Returns the addresses written to (none when the link died or its owner is gone)."""
    record = room.store.get_file(detail["fileId"])
    if record is None or record.owner_id != detail["ownerId"] or record.status != "READY":
        return []
    share = next((s for s in room.store.list_shares(record.file_id) if s.share_id == detail["shareId"]), None)
    if share is None or not share.is_live(at):
        return []
    owner = room.find_person(record.owner_id)
    if owner is None:
        return []
    url = share_url(room.app_url, room.decrypt_token(share))
    email = share_link_email(
        owner.locale,
        sender=owner.email,
        name=record.name,
        size=record.size,
        url=url,
        expires_at=min(share.expires_at, record.expires_at or share.expires_at),
        password_protected=share.password_hash is not None,
        message=detail.get("message"),
    )
    for to in detail["recipients"]:
        room.send(to, email, owner.email)
    return list(detail["recipients"])


def on_file_rejected(room: Mailroom, detail: dict[str, Any]) -> list[str]:
    if not room.store.notifications(detail["ownerId"])["uploadProblems"]:
        return []
    owner = room.find_person(detail["ownerId"])
    record = room.store.get_file(detail["fileId"])
    if owner is None or record is None:
        return []
    email = upload_problem_email(
        owner.locale, name=record.name, status=detail["status"], reason=detail["reason"], app_url=room.app_url
    )
    room.send(owner.email, email, None)
    return [owner.email]


def on_request_file_received(room: Mailroom, detail: dict[str, Any]) -> list[str]:
    owner = room.find_person(detail["ownerId"])
    if owner is None:
        return []
    email = request_file_received_email(
        owner.locale,
        request_title=detail["requestTitle"],
        name=detail["name"],
        size=int(detail["size"]),
        status=detail["status"],
        uploader_name=detail.get("uploaderName"),
        app_url=room.app_url,
    )
    room.send(owner.email, email, None)
    return [owner.email]
