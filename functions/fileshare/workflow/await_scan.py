"""Workflow step (``.waitForTaskToken``): park the workflow until GuardDuty's scan result for this
exact object version arrives (``guardduty_result``), or complete at once if it already has."""

from __future__ import annotations

from typing import Any, NamedTuple

from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.core import config
from fileshare.core.scan_rendezvous import wait_for_result
from fileshare.observability import logger, tracer


class Settings(NamedTuple):
    table_name: str


settings = config.load(Settings)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    upload = event["upload"]
    logger.append_keys(file_id=upload["fileId"])
    done = wait_for_result(
        table=settings.table_name,
        bucket=upload["bucket"],
        key=upload["key"],
        version_id=upload["versionId"],
        task_token=event["taskToken"],
    )
    logger.info("waiting for GuardDuty" if not done else "GuardDuty had already answered")
    return {"resumed": done}


init_complete()
