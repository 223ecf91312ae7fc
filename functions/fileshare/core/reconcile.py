"""Reconciliation: what the event path lost, found by comparing the bucket, the index and the
running executions.

* a **lost object**: the current version of an ``uploads/<owner>/<fileId>`` object with no record
  at all, older than ``lost_after`` and with no running execution (its event never arrived, or it
  is in the dead-letter queue); repair starts process-upload with the event S3 would have sent;
* a **stuck record**: PROCESSING, not updated for ``stuck_after`` (``ProcessingTimeoutSeconds``, the
  sweep's own limit) and with no running execution (the execution was stopped, or its failure was
  never recorded); repair marks it FAILED, as the sweep would;
* a **missing object**: a record (not DELETED or EXPIRED) whose object version is gone; reported
  only, as nothing can bring the bytes back (see docs/operations.md, restore).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from fileshare.core import clock
from fileshare.core.errors import InvalidUploadKey
from fileshare.core.keys import parse_upload_key

GONE = ("DELETED", "EXPIRED")


class StoredVersion(NamedTuple):
    key: str
    version_id: str
    last_modified: datetime
    size: int
    etag: str
    is_latest: bool


class IndexedFile(NamedTuple):
    file_id: str
    status: str
    object_key: str
    object_version: str
    updated_at: str
    processing_execution: str | None = None


class Findings(NamedTuple):
    lost_objects: list[StoredVersion]
    stuck_records: list[IndexedFile]
    missing_objects: list[IndexedFile]

    def counts(self) -> dict[str, int]:
        return {
            "lostObjects": len(self.lost_objects),
            "stuckRecords": len(self.stuck_records),
            "missingObjects": len(self.missing_objects),
        }


def find(
    *,
    versions: Iterable[StoredVersion],
    files: Iterable[IndexedFile],
    running_keys: set[str],
    now: datetime,
    lost_after: timedelta,
    stuck_after: timedelta,
) -> Findings:
    stored = list(versions)
    indexed = {f.file_id: f for f in files}
    present = {(v.key, v.version_id) for v in stored}
    lost = []
    for version in stored:
        try:
            file_id = parse_upload_key(version.key).file_id
        except InvalidUploadKey:
            continue  # not an upload we issued; the workflow would refuse it too
        if (
            version.is_latest
            and file_id not in indexed
            and version.key not in running_keys
            and version.last_modified <= now - lost_after
        ):
            lost.append(version)
    stuck = [
        f
        for f in indexed.values()
        if f.status == "PROCESSING"
        and f.object_key not in running_keys
        and clock.from_iso(f.updated_at) <= now - stuck_after
    ]
    missing = [f for f in indexed.values() if f.status not in GONE and (f.object_key, f.object_version) not in present]
    return Findings(
        lost_objects=sorted(lost, key=lambda v: v.key),
        stuck_records=sorted(stuck, key=lambda f: f.file_id),
        missing_objects=sorted(missing, key=lambda f: f.file_id),
    )


def upload_event(*, bucket: str, version: StoredVersion, region: str, account: str, at: datetime) -> dict[str, Any]:
    """The S3 "Object Created" event for a lost object, as EventBridge would have delivered it."""
    return {
        "version": "0",
        "id": f"reconcile-{parse_upload_key(version.key).file_id}",
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": account,
        "time": clock.to_iso(at).replace(".000Z", "Z"),
        "region": region,
        "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": {
            "version": "0",
            "bucket": {"name": bucket},
            "object": {
                "key": version.key,
                "size": version.size,
                "etag": version.etag,
                "version-id": version.version_id,
                "sequencer": "0",
            },
            "request-id": "reconcile",
            "requester": "fileshare-reconcile",
            "reason": "PutObject",
        },
    }


def report(
    findings: Findings, *, checked_at: datetime, repair: bool, lost_after: int, stuck_after: int, execution_arn: str
) -> dict[str, Any]:
    """What operators read (``schemas/api/ops-reconcile.response.json``)."""
    return {
        "checkedAt": clock.to_iso(checked_at),
        "repair": repair,
        "lostAfterSeconds": lost_after,
        "stuckAfterSeconds": stuck_after,
        "counts": findings.counts(),
        "lostObjects": [
            {
                "fileId": parse_upload_key(v.key).file_id,
                "key": v.key,
                "versionId": v.version_id,
                "size": v.size,
                "lastModified": clock.to_iso(v.last_modified),
            }
            for v in findings.lost_objects
        ],
        # failedExecution: the execution that never finished, as the sweep names it; else this one.
        "stuckRecords": [
            {
                "fileId": f.file_id,
                "key": f.object_key,
                "updatedAt": f.updated_at,
                "failedExecution": f.processing_execution or execution_arn,
            }
            for f in findings.stuck_records
        ],
        "missingObjects": [
            {"fileId": f.file_id, "status": f.status, "key": f.object_key, "versionId": f.object_version}
            for f in findings.missing_objects
        ],
    }
