"""Workflow step: turn an S3 "Object Created" event into the upload's facts and its new record.

Reads the object's metadata (never its bytes) and returns the PROCESSING record, already in
DynamoDB's attribute-value form, for the ``Register`` state to put conditionally.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.core import clock, config, storage
from fileshare.core.file_requests import MAX_UPLOADER_NAME, META_REQUEST, META_UPLOADER, clean_text, is_request_id
from fileshare.core.keys import parse_upload_key
from fileshare.core.names import sanitize_name
from fileshare.core.records import FileRecord
from fileshare.core.store import to_attribute_values
from fileshare.core.uploads import META_NAME, META_OWNER, META_SIZE, decode_name
from fileshare.observability import logger, tracer


class Settings(NamedTuple):
    uploads_bucket: str
    file_retention_seconds: int
    processing_timeout_seconds: int = 3600


settings = config.load(Settings)


def request_facts(metadata: dict[str, str]) -> dict[str, str] | None:
    """``{requestId, uploaderName?}`` for a file sent through a file request (the upload ticket pins
    both in the object's metadata), ``None`` for an owner's own upload."""
    request_id = decode_name(metadata.get(META_REQUEST, ""))
    if not request_id:
        return None
    if not is_request_id(request_id):
        raise ValueError(f"not a request id: {request_id!r}")
    facts = {"requestId": request_id}
    uploader = clean_text(decode_name(metadata.get(META_UPLOADER, "")), max_length=MAX_UPLOADER_NAME)
    if uploader:
        facts["uploaderName"] = uploader
    return facts


def describe(event: dict[str, Any]) -> dict[str, Any]:
    detail = event["detail"]
    bucket = detail["bucket"]["name"]
    key = detail["object"]["key"]
    version_id = detail["object"].get("version-id") or "null"
    if bucket != settings.uploads_bucket:
        raise ValueError(f"event for bucket {bucket!r}, expected {settings.uploads_bucket!r}")
    parsed = parse_upload_key(key)
    logger.append_keys(file_id=parsed.file_id)
    head = storage.head_object(bucket=bucket, key=key, version_id=version_id)
    metadata = {k.lower(): v for k, v in head.get("Metadata", {}).items()}
    declared_name = decode_name(metadata.get(META_NAME, "")) or parsed.file_id
    declared_size = metadata.get(META_SIZE, "")
    upload = {
        "bucket": bucket,
        "key": key,
        "versionId": version_id,
        "etag": str(head.get("ETag", detail["object"].get("etag", ""))).strip('"'),
        "fileId": parsed.file_id,
        "ownerId": parsed.owner_id,
        "metadataOwner": metadata.get(META_OWNER),
        "declaredName": declared_name,
        "declaredSize": int(declared_size) if declared_size.isdigit() else None,
        "declaredType": str(head.get("ContentType") or "application/octet-stream"),
        "size": int(head["ContentLength"]),
        "checksumSha256": storage.sha256_from_s3_checksum(head.get("ChecksumSHA256")),
    }
    request = request_facts(metadata)
    if request is not None:
        upload["request"] = request
    record = FileRecord.new(
        file_id=parsed.file_id,
        owner_id=parsed.owner_id,
        name=sanitize_name(declared_name),
        size=upload["size"],
        content_type=upload["declaredType"],
        object_key=key,
        object_version=version_id,
        etag=upload["etag"],
        created_at=clock.now(),
        retention_seconds=settings.file_retention_seconds,
        original_name=declared_name,  # as the owner typed it, for display (escaped) only
        processing_timeout_seconds=settings.processing_timeout_seconds,
        request_id=request["requestId"] if request else None,
        uploader_name=request.get("uploaderName") if request else None,
    )
    logger.info("upload described", extra={"size": upload["size"], "version": version_id})
    return {**upload, "expiresAt": record.expires_at, "item": to_attribute_values(record.to_item())}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return describe(event)


init_complete()
