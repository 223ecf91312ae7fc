"""Per-owner quotas: bytes stored and uploads per hour.

Usage is recorded by the workflows that change it (``fileshare.core.records``): admitting a
registered upload writes its marker in the owner's hour and, in one conditional transaction, sets
the file's ``storedBytes`` and adds them to the owner's ``bytesStored`` (``fileshare.core.admission``);
deleting or expiring a file takes its ``storedBytes`` back in the transaction that changes its
status. Quotas are checked twice with the same rules:

* by ``POST /uploads``, before a plan is issued (413 ``quota_exceeded``, 429
  ``upload_rate_exceeded``): the early, friendly answer;
* by the process-upload workflow when the upload arrives, which is authoritative: uploads are
  admitted in the order they register, so however many plans were issued at once, the ones that
  fit are kept and an upload that would take its owner past a limit is refused and discarded.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import NamedTuple

from fileshare.core import clock
from fileshare.core.errors import QuotaExceeded, UploadRateExceeded

WINDOW_SECONDS = 3600


class QuotaLimits(NamedTuple):
    max_bytes_stored: int
    max_uploads_per_hour: int


class Usage(NamedTuple):
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


def rate_problem(uploads_so_far: int, limits: QuotaLimits) -> tuple[str, str] | None:
    """For a registered upload, counted with those registered before it in the hour: why it is refused."""
    if uploads_so_far > limits.max_uploads_per_hour:
        return (
            "upload_rate_exceeded",
            f"more than {limits.max_uploads_per_hour} uploads in an hour; the file was discarded",
        )
    return None


def storage_problem(stored_before: int, size: int, limits: QuotaLimits) -> tuple[str, str] | None:
    """For a registered upload of ``size`` bytes, with ``stored_before`` already admitted: why it is refused."""
    if stored_before + size > limits.max_bytes_stored:
        return (
            "quota_exceeded",
            f"the file would take your storage to {_size(stored_before + size)}, over the "
            f"{_size(limits.max_bytes_stored)} allowed; the file was discarded",
        )
    return None
