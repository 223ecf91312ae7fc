"""The upload workflow under faults injected in the local stack, never in our code: transient AWS
errors at the service boundary, a duplicate-event storm, a Lambda worker killed mid-invocation. In
each case every file still ends READY with exactly one record, one upload marker, its bytes counted
once and one share link."""

from __future__ import annotations

import os
import secrets
import signal
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

import pytest

from devstack.stack import LocalStack
from tests.integration.test_ops import make_operator
from tests.integration.test_upload_to_download import Owner
from tests.stack_support import (
    Uploaded,
    executions_for,
    file_item,
    put_upload,
    reconfigured,
    share_items,
    upload_markers,
    usage_item,
    wait_for_executions,
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


def why(stack: LocalStack, upload: Uploaded) -> list[tuple[str, str | None, list[str]]]:
    """Each execution for the upload: its status, its error and the errors its steps met (retried
    or caught), so that a failed assertion shows which step failed and how."""
    sfn = stack.client("stepfunctions")
    found = []
    for execution in executions_for(stack, upload.key):
        events = sfn.get_execution_history(executionArn=execution["executionArn"], maxResults=1000)["events"]
        failures = [
            f"{details.get('error')}: {str(details.get('cause'))[:200]}"
            for event in events
            for name, details in event.items()
            if name.endswith("FailedEventDetails") and isinstance(details, dict)
        ]
        found.append((execution["status"], execution.get("error"), failures))
    return found


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


def test_a_kms_outage_fails_the_upload_with_its_execution_and_a_redrive_finishes_it(local_stack: LocalStack) -> None:
    # (tests/integration/test_ops.py redrives a misconfigured step; this is an outage of AWS itself:
    # every retry of the SDK and of the workflow exhausted, then the service is back.)
    operator = make_operator(local_stack, Owner(local_stack))
    upload = put_upload(local_stack, str(uuid.uuid4()), b"minted after the outage\n", name="outage.txt")

    # Given KMS refuses every call from the Lambda workers (the share token cannot be encrypted)
    with local_stack.transient_faults(1.0, seed=15, services={"kms"}) as faults:
        # Then the upload ends FAILED, naming the execution that failed: once the mint step has
        # timed out on every attempt the workflow allows (7 runs of up to the function's 10 s,
        # pauses of at most 8 s between: at most about two minutes)
        record = wait_for_status(local_stack, upload.file_id, timeout=180)
        assert record["status"] == "FAILED", why(local_stack, upload)
        [execution] = executions_for(local_stack, upload.key)
        assert execution["status"] == "FAILED"
        assert record["failedExecution"] == execution["executionArn"]
        assert record["reason"].startswith("processing failed: ")
        assert share_items(local_stack, upload.file_id) == []
    assert faults.injected and set(faults.seen) == {"kms"}

    # When KMS is back and an operator redrives the execution
    arn = execution["executionArn"]
    redriven = operator.call("POST", f"/ops/executions/{quote(arn, safe='')}/redrive")
    assert redriven.status_code == 202, redriven.text
    assert redriven.json()["redrivenFrom"] == "MintShareToken"

    # Then the file is READY, with one record, one marker, its bytes counted once and one link
    deadline = time.monotonic() + 60
    while (item := file_item(local_stack, upload.file_id)) and item["status"] != "READY":
        assert time.monotonic() < deadline, item
        time.sleep(0.2)
    assert_ready_once(local_stack, [upload])
    assert [e["executionArn"] for e in executions_for(local_stack, upload.key)] == [arn]


def test_a_storm_of_duplicate_out_of_order_events_yields_one_record_and_one_link_per_file(
    local_stack: LocalStack,
) -> None:
    # Given every S3 event delivered three times, each copy after its own random delay
    runs: dict[str, list[dict[str, Any]]] = {}
    uploads: list[Uploaded] = []
    with local_stack.duplicate_events(3, seed=15, spread_seconds=2.0):
        # When 20 files are uploaded, five at a time (fifteen executions at once on two cores)
        for wave in range(4):
            uploads += upload_many(local_stack, 5, f"storm{wave}")
            # Then each file's three executions finish
            for upload in uploads[-5:]:
                runs[upload.file_id] = wait_for_executions(local_stack, upload.key, count=3, timeout=90)

    # and each file is READY once: one record, one marker, its bytes counted once, one link
    assert_ready_once(local_stack, uploads)
    for upload in uploads:
        # registered by one of its executions, which succeeded (the others stopped as duplicates)
        item = file_item(local_stack, upload.file_id)
        assert item is not None
        [registrar] = [r for r in runs[upload.file_id] if r["executionArn"] == item["processingExecution"]]
        assert registrar["status"] == "SUCCEEDED"


def test_a_lambda_worker_killed_mid_invocation_is_retried_and_the_file_ends_ready(
    local_stack: LocalStack, owner_id: str
) -> None:
    runner = local_stack.runner
    assert runner is not None
    # Given the validate step holds each invocation for two seconds
    with reconfigured(local_stack, "ValidateUploadFunction", {"DEVSTACK_INVOKE_DELAY_SECONDS": "2"}):
        upload = put_upload(local_stack, owner_id, b"killed once\n", name="killed.txt")
        # When its worker process is SIGKILLed in the middle of the workflow's invocation
        deadline = time.monotonic() + 60
        while not (busy := runner.busy_workers("ValidateUploadFunction")):
            assert time.monotonic() < deadline, "the validate step never ran"
            time.sleep(0.05)
        os.kill(busy[0], signal.SIGKILL)

        # Then the workflow retries the step (Lambda answered Runtime.ExitError) and the file is READY
        assert_ready_once(local_stack, [upload])

    [execution] = executions_for(local_stack, upload.key)
    history = local_stack.client("stepfunctions").get_execution_history(
        executionArn=execution["executionArn"], maxResults=1000
    )["events"]
    failures = [e["taskFailedEventDetails"] for e in history if e["type"] == "TaskFailed"]
    assert [f["error"] for f in failures] == ["Runtime.ExitError"]
    assert "Runtime exited" in failures[0]["cause"]
