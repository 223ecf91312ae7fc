"""Workflow step: delete every version and delete marker of one upload's object.

A Lambda rather than SDK tasks because listing versions pages and deleting takes batches; it is
used by the delete-file command and by the expiry sweep.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.core import storage
from fileshare.core.keys import parse_upload_key
from fileshare.observability import logger, tracer


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    key = event["key"]
    parsed = parse_upload_key(key)  # never purge anything outside an upload's own key
    logger.append_keys(file_id=parsed.file_id)
    deleted = storage.delete_all_versions(bucket=event["bucket"], key=key)
    logger.info("object purged", extra={"versions_deleted": deleted})
    return {"versionsDeleted": deleted}


init_complete()
