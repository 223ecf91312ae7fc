"""GuardDuty Malware Protection for S3 as the engine (ScannerEngine=guardduty, the template's
default): the workflow waits on a task token and resumes on GuardDuty's "Object Scan Result" event
(here a synthetic one, as GuardDuty is AWS-only), while the project's YARA rules scan beside it.
Malware found by either engine wins; only CLEAN from both makes a file READY."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from devstack.stack import LocalStack
from tests.stack_support import (
    Uploaded,
    eicar,
    executions_for,
    put_upload,
    redefined,
    share_items,
    wait_for_status,
)

pytestmark = pytest.mark.stack


@pytest.fixture
def guardduty(local_stack: LocalStack) -> Iterator[LocalStack]:
    """The upload workflow as a deploy with ScannerEngine=guardduty defines it (the functions are the
    same: ScanUploadFunction runs the YARA rules either way)."""
    with redefined(local_stack, "ProcessUploadStateMachine", {"ScannerEngine": "guardduty"}):
        yield local_stack


def scan_result(stack: LocalStack, upload: Uploaded, status: str, threats: list[str] | None = None) -> None:
    detail: dict[str, Any] = {
        "schemaVersion": "1.0",
        "scanStatus": "COMPLETED",
        "resourceType": "S3_OBJECT",
        "s3ObjectDetails": {
            "bucketName": stack.stack.ref("UploadsBucket"),
            "objectKey": upload.key,
            "eTag": "0" * 32,
            "versionId": upload.version_id,
            "s3Throttled": False,
        },
        "scanResultDetails": {"scanResultStatus": status, "threats": [{"name": t} for t in threats or []] or None},
    }
    answer = stack.client("events").put_events(
        Entries=[
            {
                "Source": "aws.guardduty",
                "DetailType": "GuardDuty Malware Protection Object Scan Result",
                "Detail": json.dumps(detail),
            }
        ]
    )
    assert answer["FailedEntryCount"] == 0


def wait_until_parked(stack: LocalStack, key: str) -> None:
    sfn = stack.client("stepfunctions")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for execution in executions_for(stack, key):
            history = sfn.get_execution_history(executionArn=execution["executionArn"])["events"]
            if any(e.get("taskSubmittedEventDetails") for e in history) or any(
                e.get("stateEnteredEventDetails", {}).get("name") == "AwaitGuardDutyScan" for e in history
            ):
                time.sleep(0.3)  # let the await step store its task token
                return
        time.sleep(0.1)
    raise TimeoutError("the workflow never started waiting for GuardDuty")


def task_token(stack: LocalStack, upload: Uploaded) -> str:
    """The token the waiting workflow left in its rendezvous item (fileshare.core.scan_rendezvous)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        item = (
            stack.client("dynamodb")
            .get_item(
                TableName=stack.stack.ref("Table"),
                Key={
                    "pk": {"S": f"SCAN#{stack.stack.ref('UploadsBucket')}/{upload.key}"},
                    "sk": {"S": f"VERSION#{upload.version_id}"},
                },
                ConsistentRead=True,
            )
            .get("Item", {})
        )
        if "taskToken" in item:
            return str(item["taskToken"]["S"])
        time.sleep(0.1)
    raise TimeoutError("the workflow never left its task token")


def test_a_threat_found_by_guardduty_ends_infected(guardduty: LocalStack, owner_id: str) -> None:
    upload = put_upload(guardduty, owner_id, b"GuardDuty decides\n")
    wait_until_parked(guardduty, upload.key)

    scan_result(guardduty, upload, "THREATS_FOUND", ["EICAR-Test-File (not a virus)"])
    record = wait_for_status(guardduty, upload.file_id)

    assert record["status"] == "INFECTED"
    assert "EICAR-Test-File (not a virus)" in record["reason"]
    assert share_items(guardduty, upload.file_id) == []


def test_no_threats_found_ends_ready_with_a_link(guardduty: LocalStack, owner_id: str) -> None:
    upload = put_upload(guardduty, owner_id, b"clean, says GuardDuty\n")
    wait_until_parked(guardduty, upload.key)

    scan_result(guardduty, upload, "NO_THREATS_FOUND")
    record = wait_for_status(guardduty, upload.file_id)

    assert record["status"] == "READY"
    assert len(share_items(guardduty, upload.file_id)) == 1


def test_a_result_that_arrives_before_the_workflow_waits_is_not_lost(guardduty: LocalStack, owner_id: str) -> None:
    upload = put_upload(guardduty, owner_id, b"fast scanner\n")
    scan_result(guardduty, upload, "NO_THREATS_FOUND")  # typically before the workflow reaches its wait

    record = wait_for_status(guardduty, upload.file_id)

    assert record["status"] == "READY"


@pytest.mark.parametrize("status", ["UNSUPPORTED", "ACCESS_DENIED", "FAILED"])
def test_a_file_guardduty_cannot_scan_is_rejected(guardduty: LocalStack, owner_id: str, status: str) -> None:
    upload = put_upload(guardduty, owner_id, b"opaque\n")
    wait_until_parked(guardduty, upload.key)

    scan_result(guardduty, upload, status)
    record = wait_for_status(guardduty, upload.file_id)

    assert record["status"] == "REJECTED"
    assert status in record["reason"]


def test_the_project_rules_run_beside_guardduty_and_malware_wins(guardduty: LocalStack, owner_id: str) -> None:
    upload = put_upload(guardduty, owner_id, eicar(), name="invoice.txt")
    wait_until_parked(guardduty, upload.key)

    scan_result(guardduty, upload, "NO_THREATS_FOUND")  # GuardDuty misses what our rules know
    record = wait_for_status(guardduty, upload.file_id)

    assert record["status"] == "INFECTED"
    assert "EICAR_Test_File" in record["reason"]
    assert share_items(guardduty, upload.file_id) == []


def test_an_unknown_verdict_never_makes_a_file_ready(guardduty: LocalStack, owner_id: str) -> None:
    # Given a clean file the project's rules pass, while the workflow waits for GuardDuty
    upload = put_upload(guardduty, owner_id, b"looks harmless\n")
    wait_until_parked(guardduty, upload.key)

    # When the wait is completed with a verdict the workflow does not know
    guardduty.client("stepfunctions").send_task_success(
        taskToken=task_token(guardduty, upload),
        output=json.dumps({"engine": "guardduty", "verdict": "SUSPICIOUS", "signatures": []}),
    )
    record = wait_for_status(guardduty, upload.file_id)

    # Then the file FAILED with the execution to look at: no link, no clean tag
    assert record["status"] == "FAILED"
    assert record["reason"] == "processing failed: ScanInconclusive"
    assert share_items(guardduty, upload.file_id) == []
    tags = guardduty.client("s3").get_object_tagging(
        Bucket=guardduty.stack.ref("UploadsBucket"), Key=upload.key, VersionId=upload.version_id
    )["TagSet"]
    assert tags == []
    [execution] = executions_for(guardduty, upload.key)
    assert record["failedExecution"] == execution["executionArn"]
