"""Workflow step: admit the registered upload into its owner's quotas (``fileshare.core.admission``),
in the order uploads register; a refused upload is discarded by the workflow."""

from __future__ import annotations

from typing import Any, NamedTuple

from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.core import clock, config
from fileshare.core.admission import admit
from fileshare.core.bounded import clip
from fileshare.core.quota import QuotaLimits, window_start
from fileshare.observability import logger, metrics, tracer


class Settings(NamedTuple):
    table_name: str
    max_bytes_stored: int
    max_uploads_per_hour: int


settings = config.load(Settings)
limits = QuotaLimits(max_bytes_stored=settings.max_bytes_stored, max_uploads_per_hour=settings.max_uploads_per_hour)


def admit_upload(upload: dict[str, Any]) -> dict[str, Any]:
    logger.append_keys(file_id=upload["fileId"])
    created_at = upload["item"]["createdAt"]["S"]
    refused = admit(
        table=settings.table_name,
        owner_id=upload["ownerId"],
        file_id=upload["fileId"],
        created_at=created_at,
        size=upload["size"],
        since=window_start(clock.from_iso(created_at)),
        limits=limits,
    )
    if refused is None:
        return {"admitted": True}
    code, reason = refused
    logger.info("upload refused by quota", extra={"code": code})
    metrics.add_metric(name="UploadsOverQuota", unit="Count", value=1)
    return {"admitted": False, "code": code, "reason": clip(reason)}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return admit_upload(event["upload"])


init_complete()
