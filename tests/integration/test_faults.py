"""The upload workflow under faults injected in the local stack, never in our code: transient AWS
errors at the service boundary, a duplicate-event storm, a Lambda worker killed mid-invocation. In
each case every file still ends READY with exactly one record, one upload marker, its bytes counted
once and one share link."""

from __future__ import annotations

import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from devstack.stack import LocalStack
from tests.stack_support import (
    Uploaded,
    executions_for,
    put_upload,
    share_items,
    upload_markers,
    usage_item,
    wait_for_status,
)

pytestmark = pytest.mark.stack


def upload_many(stack: LocalStack, count: int, tag: str) -> list[Uploaded]:
    """``count`` small text files, each from its own owner (so each owner's usage is one file's)."""

    def one(index: int) -> Uploaded:
        body = f"{tag} file {index}: {secrets.token_hex(8)}\n".encode()
        return put_upload(stack, str(uuid.uuid4()), body, name=f"{tag}-{index}.txt")

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, range(count)))


def why(stack: LocalStack, upload: Uploaded) -> list[tuple[str, str | None]]:
    """Each execution for the upload: its status and error (what a failed assertion shows)."""
    return [(e["status"], e.get("error")) for e in executions_for(stack, upload.key)]


def assert_ready_once(stack: LocalStack, uploads: list[Uploaded], timeout: float = 90) -> None:
    """Every upload READY, with one record, one marker, its size counted once and one share link."""
    for upload in uploads:
        try:
            record = wait_for_status(stack, upload.file_id, timeout=timeout)
        except TimeoutError as exc:
            raise AssertionError(f"{upload.file_id} not settled: {why(stack, upload)}") from exc
        assert record["status"] == "READY", (upload.file_id, record.get("reason"), why(stack, upload))
        assert record["objectVersion"] == upload.version_id
        assert len(share_items(stack, upload.file_id)) == 1, upload.file_id
        assert len(upload_markers(stack, upload.owner_id)) == 1, upload.file_id
        usage = usage_item(stack, upload.owner_id)
        assert usage is not None and usage["bytesStored"] == record["size"], upload.file_id


def test_fifty_uploads_reach_ready_once_while_a_fifth_of_aws_calls_fail(local_stack: LocalStack) -> None:
    # Given one in five calls from the workflow engine and the Lambda workers to DynamoDB, S3, KMS,
    # EventBridge and Lambda answered with a throttle or an internal error (half of those after the
    # service did the work: the answer is lost, so a retried step must be idempotent)
    with local_stack.transient_faults(0.2, seed=15) as faults:
        # When 50 files are uploaded, ten at a time, each wave awaited (a 2-core machine cannot run 50 at once within
        # the functions' timeouts; the faults, not the load, are under test here)
        uploads: list[Uploaded] = []
        for wave in range(5):
            uploads += upload_many(local_stack, 10, f"faults{wave}")
            assert_ready_once(local_stack, uploads[-10:])
    # Then the SDKs' and the workflow's own retries absorbed every fault: all 50 READY, once each
    assert len({u.file_id for u in uploads}) == 50
    assert_ready_once(local_stack, uploads)

    # and faults really were injected, in every service and of both kinds
    assert sum(faults.injected.values()) >= 100, faults.injected
    for service in ("dynamodb", "s3", "kms", "events", "lambda"):
        assert faults.seen[service] > 0, (service, faults.seen)
    assert any(code.endswith("InternalServerError") for code in faults.injected)
    assert any(code.endswith("ProvisionedThroughputExceededException") for code in faults.injected)
