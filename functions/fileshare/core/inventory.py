"""Adapters that take stock for reconciliation: object versions in the uploads bucket, file items
in the table, and the objects that process-upload executions are working on right now."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fileshare.core import workflow_runs
from fileshare.core.aws import client
from fileshare.core.keys import UPLOAD_PREFIX
from fileshare.core.reconcile import IndexedFile, StoredVersion


def object_versions(bucket: str) -> Iterator[StoredVersion]:
    pages = client("s3").get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=UPLOAD_PREFIX)
    for page in pages:
        for version in page.get("Versions", []):
            yield StoredVersion(
                key=version["Key"],
                version_id=version.get("VersionId") or "null",
                last_modified=version["LastModified"],
                size=int(version.get("Size", 0)),
                etag=str(version.get("ETag", "")).strip('"'),
                is_latest=bool(version.get("IsLatest")),
            )


def indexed_files(table: str) -> Iterator[IndexedFile]:
    """Every file item (a Scan: reconciliation reads the whole index, page by page)."""
    pages = (
        client("dynamodb")
        .get_paginator("scan")
        .paginate(
            TableName=table,
            FilterExpression="sk = :file",
            ProjectionExpression="fileId, #status, objectKey, objectVersion, updatedAt, processingExecution",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":file": {"S": "FILE"}},
        )
    )
    for page in pages:
        for item in page.get("Items", []):
            yield IndexedFile(
                file_id=item["fileId"]["S"],
                status=item["status"]["S"],
                object_key=item["objectKey"]["S"],
                object_version=item["objectVersion"]["S"],
                updated_at=item["updatedAt"]["S"],
                processing_execution=item.get("processingExecution", {}).get("S"),
            )


def keys_in_flight(process_upload_arn: str) -> set[str]:
    """The object keys of the running process-upload executions (read from their input)."""
    keys = set()
    for execution in workflow_runs.executions(process_upload_arn, "RUNNING"):
        try:
            described = workflow_runs.describe(execution["executionArn"])
        except workflow_runs.ExecutionMissing:
            continue
        key = json.loads(described.get("input") or "{}").get("detail", {}).get("object", {}).get("key")
        if isinstance(key, str):
            keys.add(key)
    return keys
