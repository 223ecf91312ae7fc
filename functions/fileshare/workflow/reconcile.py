"""Workflow step of the reconcile command: take stock, find what the event path lost, publish the
counts as metrics, and hand the repairs to the workflow (which starts process-upload for lost
objects and marks stuck records FAILED)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, NamedTuple

from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.core import clock, config, inventory
from fileshare.core.keys import parse_upload_key
from fileshare.core.reconcile import find, report, upload_event
from fileshare.observability import logger, metrics, tracer


class Settings(NamedTuple):
    uploads_bucket: str
    table_name: str
    process_upload_state_machine_arn: str
    lost_object_after_seconds: int
    processing_timeout_seconds: int  # the sweep's limit too: both call the same records stuck


settings = config.load(Settings)


def reconcile(event: dict[str, Any], *, execution_arn: str, region: str, account: str) -> dict[str, Any]:
    """``event`` is the request (``repair``, ``olderThanSeconds``); ``execution_arn`` the reconcile
    execution, named as the failed execution of a stuck record whose own execution is not known."""
    override = event.get("olderThanSeconds")
    lost_after = settings.lost_object_after_seconds if override is None else int(override)
    stuck_after = settings.processing_timeout_seconds if override is None else int(override)
    now = clock.now()
    findings = find(
        versions=inventory.object_versions(settings.uploads_bucket),
        files=inventory.indexed_files(settings.table_name),
        running_keys=inventory.keys_in_flight(settings.process_upload_state_machine_arn),
        now=now,
        lost_after=timedelta(seconds=lost_after),
        stuck_after=timedelta(seconds=stuck_after),
    )
    counts = findings.counts()
    metrics.add_metric(name="ReconcileLostObjects", unit="Count", value=counts["lostObjects"])
    metrics.add_metric(name="ReconcileStuckRecords", unit="Count", value=counts["stuckRecords"])
    metrics.add_metric(name="ReconcileMissingObjects", unit="Count", value=counts["missingObjects"])
    logger.info("reconciled", extra=counts)
    stamp = int(now.timestamp())
    return {
        "report": report(
            findings,
            checked_at=now,
            repair=bool(event.get("repair")),
            lost_after=lost_after,
            stuck_after=stuck_after,
            execution_arn=execution_arn,
        ),
        "restart": [
            {
                "name": f"reconcile-{parse_upload_key(version.key).file_id}-{stamp}",
                "input": upload_event(
                    bucket=settings.uploads_bucket, version=version, region=region, account=account, at=now
                ),
            }
            for version in findings.lost_objects
        ],
    }


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    _, _, _, region, account, *_ = context.invoked_function_arn.split(":")
    return reconcile(event["request"], execution_arn=event["executionArn"], region=region, account=account)


init_complete()
