"""Emailing a link: who may receive it, how many recipients an owner may write to per hour, and
the send-share-email workflow's input.

Addresses are checked with ``email-validator`` (syntax only: no DNS lookup, so the check is offline
and fast) and normalised; the first bad one is named in the 400. The hourly allowance is a counter
per owner and clock hour (``OWNER#<sub>`` / ``MAILRATE#<hour>``), raised by the workflow in one
transaction with the checks that the file is the owner's and the link is live, and only while it
stays within the allowance: however many requests race, no more than ``MaxShareEmailsPerHour``
recipients are accepted in an hour, and a refused request counts for nothing.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, NamedTuple

from fileshare.core import clock
from fileshare.core.errors import Conflict, EmailRateExceeded, InvalidRequest
from fileshare.core.records import FileRecord, ShareRecord, owner_pk

MAX_RECIPIENTS = 10  # per request (the request schema says so too)
MESSAGE_MAX_CHARS = 1000
WINDOW_SECONDS = 3600
RATE_SK_PREFIX = "MAILRATE#"
COUNTER_TTL_SECONDS = 24 * 3600


def recipients(addresses: list[str]) -> list[str]:
    """The addresses as mail will be sent to them (normalised, first occurrence kept), or a 400
    naming the first one that is not an address."""
    # Loaded on first use: only this route pays for the import (about 60 ms).
    from email_validator import EmailNotValidError, validate_email

    if len(addresses) > MAX_RECIPIENTS:
        raise InvalidRequest(f"at most {MAX_RECIPIENTS} addresses per request")
    normalised: list[str] = []
    for address in addresses:
        try:
            checked = validate_email(address.strip(), check_deliverability=False)
        except EmailNotValidError as exc:
            shown = address if len(address) <= 80 else address[:77] + "..."
            raise InvalidRequest(f"{shown!r} is not an email address: {exc}", code="invalid_address") from exc
        if checked.normalized.lower() not in (n.lower() for n in normalised):
            normalised.append(checked.normalized)
    return normalised


class RateWindow(NamedTuple):
    """The clock hour a request falls in: recipients are counted per owner and hour."""

    start: datetime

    @classmethod
    def at(cls, moment: datetime) -> RateWindow:
        return cls(moment.replace(minute=0, second=0, microsecond=0))

    def seconds_left(self, moment: datetime) -> int:
        return max(1, math.ceil(WINDOW_SECONDS - (moment - self.start).total_seconds()))

    def counter_key(self, owner_id: str) -> dict[str, str]:
        return {"pk": owner_pk(owner_id), "sk": f"{RATE_SK_PREFIX}{clock.to_iso(self.start)}"}


def rate_exceeded(limit: int, window: RateWindow, moment: datetime) -> EmailRateExceeded:
    wait = window.seconds_left(moment)
    minutes = max(1, math.ceil(wait / 60))
    return EmailRateExceeded(
        f"You may email links to {limit} recipients an hour, and these would take you past it. "
        f"Try again in about {minutes} minute{'s' if minutes != 1 else ''}.",
        retry_after=wait,
    )


def share_not_live() -> Conflict:
    return Conflict("this link is revoked, expired or used up; make a new one to send", code="share_not_live")


def send_share_email_input(
    *,
    record: FileRecord,
    share: ShareRecord,
    to: list[str],
    message: str | None,
    limit: int,
    at: datetime,
) -> dict[str, Any]:
    """The send-share-email workflow's input; refuses at once what the workflow would refuse."""
    if not share.is_live(at):
        raise share_not_live()
    window = RateWindow.at(at)
    if len(to) > limit:
        raise rate_exceeded(limit, window, at)
    detail: dict[str, Any] = {
        "fileId": record.file_id,
        "ownerId": record.owner_id,
        "shareId": share.share_id,
        "recipients": to,
    }
    if message and message.strip():
        detail["message"] = message.strip()[:MESSAGE_MAX_CHARS]
    key = window.counter_key(record.owner_id)
    return {
        "fileId": record.file_id,
        "ownerId": record.owner_id,
        "tokenHash": share.token_hash,
        "now": clock.to_iso(at),
        "counterPk": key["pk"],
        "counterSk": key["sk"],
        "count": len(to),
        "room": limit - len(to),  # the counter may be at most this before these are added
        "counterTtl": int(window.start.timestamp()) + COUNTER_TTL_SECONDS,
        "detail": detail,
    }
