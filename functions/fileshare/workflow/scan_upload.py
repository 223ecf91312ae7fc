"""Workflow step: scan the object with the configured malware engine, streaming."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare.core import config, storage
from fileshare.core.scanning import scanner_for
from fileshare.observability import logger, metrics, tracer


@dataclass(frozen=True)
class Settings:
    scanner_engine: str = "yara"


settings = config.load(Settings)
scanner = scanner_for(settings.scanner_engine)


def scan(upload: dict[str, Any]) -> dict[str, Any]:
    logger.append_keys(file_id=upload["fileId"])
    result = scanner.scan(
        storage.iter_object(bucket=upload["bucket"], key=upload["key"], version_id=upload["versionId"])
    )
    logger.info("upload scanned", extra={"engine": result.engine, "infected": result.infected})
    if result.infected:
        metrics.add_metric(name="UploadsInfected", unit="Count", value=1)
    return result.to_dict()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return scan(event["upload"])
