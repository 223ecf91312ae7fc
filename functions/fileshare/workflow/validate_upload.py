"""Workflow step: judge the upload by what S3 says about it before reading a byte, then stream the
object once to measure, hash and sniff it, and judge it."""

from __future__ import annotations

from typing import Any, NamedTuple

from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.core import config, storage
from fileshare.core.content_types import DEFAULT_ALLOWED, parse_allowed
from fileshare.core.validation import UploadFacts, check_before_reading, inspect_stream, validate_upload
from fileshare.observability import logger, metrics, tracer


class Settings(NamedTuple):
    max_upload_bytes: int
    allowed_content: str = ",".join(sorted(DEFAULT_ALLOWED))


settings = config.load(Settings)
allowed = parse_allowed(settings.allowed_content)


def validate(upload: dict[str, Any]) -> dict[str, Any]:
    logger.append_keys(file_id=upload["fileId"])
    facts = UploadFacts(
        owner_id=upload["ownerId"],
        metadata_owner=upload.get("metadataOwner"),
        declared_name=upload["declaredName"],
        declared_size=upload.get("declaredSize"),
        declared_type=upload["declaredType"],
        stored_size=upload["size"],
        s3_sha256=upload.get("checksumSha256"),
    )
    result = check_before_reading(facts, max_upload_bytes=settings.max_upload_bytes)
    if result is None:
        content = inspect_stream(
            storage.iter_object(bucket=upload["bucket"], key=upload["key"], version_id=upload["versionId"])
        )
        result = validate_upload(facts, content, max_upload_bytes=settings.max_upload_bytes, allowed=allowed)
    logger.info("upload validated", extra={"accepted": result.accepted, "code": result.code})
    if not result.accepted:
        metrics.add_metric(name="UploadsRejected", unit="Count", value=1)
    return result.to_dict()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return validate(event["upload"])


init_complete()
