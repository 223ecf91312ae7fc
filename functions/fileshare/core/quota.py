"""Per-owner quotas: bytes stored and uploads per hour.

Usage is recorded by the workflows that change it (``fileshare.core.records``): registering an
upload adds its size to the owner's ``bytesStored`` and writes an upload marker in one transaction;
discarding, deleting or expiring a file takes its ``storedBytes`` back in the transaction that
changes its status. Quotas are checked twice with the same rules:

* by ``POST /uploads``, before a plan is issued (413 ``quota_exceeded``, 429
  ``upload_rate_exceeded``): the early, friendly answer;
* by the process-upload workflow once the upload is registered and counted, which is authoritative:
  usage then includes this upload and every one registered before it, so however many plans were
  issued at once, an upload that takes its owner past a limit is refused and its object discarded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from fileshare.core import clock
from fileshare.core.errors import QuotaExceeded, UploadRateExceeded

WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class QuotaLimits:
    max_bytes_stored: int
    max_uploads_per_hour: int


@dataclass(frozen=True)
class Usage:
    bytes_stored: int
    uploads_last_hour: int
    oldest_upload_at: str | None = None  # the first upload still inside the hourly window

    def to_view(self) -> dict[str, int]:
        return {"bytesStored": self.bytes_stored, "uploadsLastHour": self.uploads_last_hour}


def window_start(at: datetime) -> str:
    """The oldest registration time that still counts in the hourly window ending at ``at``."""
    return clock.to_iso(at - timedelta(seconds=WINDOW_SECONDS))


def _size(n: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def check_new_upload(usage: Usage, limits: QuotaLimits, size: int, at: datetime) -> None:
    """Before a plan is issued: raise if one more upload of ``size`` bytes would break a limit."""
    if usage.uploads_last_hour >= limits.max_uploads_per_hour:
        wait = WINDOW_SECONDS
        if usage.oldest_upload_at is not None:
            wait = WINDOW_SECONDS - int((at - clock.from_iso(usage.oldest_upload_at)).total_seconds())
        minutes = max(1, math.ceil(wait / 60))
        raise UploadRateExceeded(
            f"You have started {usage.uploads_last_hour} uploads in the last hour, the most allowed "
            f"({limits.max_uploads_per_hour}). Try again in about {minutes} minute{'s' if minutes != 1 else ''}."
        )
    if usage.bytes_stored + size > limits.max_bytes_stored:
        raise QuotaExceeded(
            f"This file ({_size(size)}) does not fit in your storage: you use {_size(usage.bytes_stored)} "
            f"of {_size(limits.max_bytes_stored)}. Delete some files to make room."
        )


def registered_problem(usage: Usage, limits: QuotaLimits) -> tuple[str, str] | None:
    """After an upload is registered (``usage`` includes it): the code and reason that refuse it."""
    if usage.uploads_last_hour > limits.max_uploads_per_hour:
        return (
            "upload_rate_exceeded",
            f"more than {limits.max_uploads_per_hour} uploads in an hour; the file was discarded",
        )
    if usage.bytes_stored > limits.max_bytes_stored:
        return (
            "quota_exceeded",
            f"the file would take your storage to {_size(usage.bytes_stored)}, over the "
            f"{_size(limits.max_bytes_stored)} allowed; the file was discarded",
        )
    return None
