"""Workflow step: spool the object to ephemeral storage (streaming, bounded memory) and scan it,
archive members included, with the project's rules (``yara``, or ``clamav``); archive members are
also judged by the allow-list and type rules. With ``ScannerEngine=guardduty`` the workflow runs
this step beside GuardDuty's own scan."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.core import config, storage
from fileshare.core.archives import ArchiveLimits, Unscannable
from fileshare.core.content_types import DEFAULT_ALLOWED, parse_allowed
from fileshare.core.scanning import ScanResult, engine_for, fit_to_scratch, scan_upload, scratch_dir
from fileshare.observability import logger, metrics, tracer


class Settings(NamedTuple):
    scanner_engine: str = "yara"
    archive_max_depth: int = 3
    archive_max_members: int = 1000
    archive_max_expanded_bytes: int = 1024 * 1024 * 1024
    archive_max_ratio: int = 100
    archive_max_xz_memory: int = 128 * 1024 * 1024
    allowed_content: str = ",".join(sorted(DEFAULT_ALLOWED))  # as ValidateUploadFunction reads it


settings = config.load(Settings)
engine = engine_for(settings.scanner_engine)
allowed = parse_allowed(settings.allowed_content)
limits = ArchiveLimits(
    max_depth=settings.archive_max_depth,
    max_members=settings.archive_max_members,
    max_expanded_bytes=settings.archive_max_expanded_bytes,
    max_ratio=settings.archive_max_ratio,
    max_xz_memory=settings.archive_max_xz_memory,
)


def scan(upload: dict[str, Any]) -> dict[str, Any]:
    logger.append_keys(file_id=upload["fileId"])
    with tempfile.TemporaryDirectory(dir=scratch_dir()) as scratch:
        try:
            fitted = fit_to_scratch(upload["size"], limits, shutil.disk_usage(scratch).free)
        except Unscannable as problem:
            result = ScanResult(engine.name, False, unscannable=problem.reason)
        else:
            spooled = Path(scratch) / "object"
            with spooled.open("wb") as sink:
                for chunk in storage.iter_object(
                    bucket=upload["bucket"], key=upload["key"], version_id=upload["versionId"]
                ):
                    sink.write(chunk)
            result = scan_upload(spooled, engine, fitted, allowed)
    logger.info("upload scanned", extra={"engine": result.engine, "verdict": result.verdict})
    if result.verdict == "INFECTED":
        metrics.add_metric(name="UploadsInfected", unit="Count", value=1)
    elif result.verdict == "UNSCANNABLE":
        metrics.add_metric(name="UploadsUnscannable", unit="Count", value=1)
    else:
        metrics.add_metric(name="UploadsClean", unit="Count", value=1)
    return result.to_dict()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return scan(event["upload"])


init_complete()
