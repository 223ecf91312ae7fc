"""The command workflows and the expiry sweep, executed by moto's engine with the real handlers."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest

from devstack.stack import LocalStack
from fileshare.core import clock
from tests.stack_support import (
    BusRecorder,
    file_item,
    put_upload,
    reconfigured,
    share_items,
    sync_client,
    usage_item,
    wait_for_status,
)

pytestmark = pytest.mark.stack


def redeem_input(share: dict[str, Any], now: str, **overrides: Any) -> str:
    payload = {
        "mode": "download",
        "tokenHash": share["tokenHash"],
        "shareId": share["shareId"],
        "fileIds": [share["fileId"]],
        "now": now,
        "requestId": "req-1",
        "sourceIp": "192.0.2.1",
        "userAgent": "test",
        "auditTtl": 2000000000,
        **overrides,
    }
    return json.dumps(payload)


def test_a_link_is_refused_from_its_expiry_instant(local_stack: LocalStack, owner_id: str) -> None:
    upload = put_upload(local_stack, owner_id, b"expiring\n")
    wait_for_status(local_stack, upload.file_id)
    [share] = share_items(local_stack, upload.file_id)
    arn = local_stack.stack.state_machines["RedeemShareStateMachine"]
    sfn = sync_client(local_stack)
    just_before = clock.to_iso(clock.from_iso(share["expiresAt"]) - timedelta(milliseconds=1))

    at_expiry = sfn.start_sync_execution(stateMachineArn=arn, input=redeem_input(share, share["expiresAt"]))
    before = sfn.start_sync_execution(stateMachineArn=arn, input=redeem_input(share, just_before))

    assert (at_expiry["status"], at_expiry["error"]) == ("FAILED", "ShareUnavailable")
    assert before["status"] == "SUCCEEDED" and json.loads(before["output"]) == {"downloads": 1}
    assert share_items(local_stack, upload.file_id)[0]["downloads"] == 1


def test_the_sweep_deletes_expired_objects_and_marks_files_expired(local_stack: LocalStack, owner_id: str) -> None:
    bus = BusRecorder(local_stack, "sweep-test-recorder")
    # Given files kept for one second only (as configured by FILE_RETENTION_SECONDS)
    with reconfigured(local_stack, "DescribeUploadFunction", {"FILE_RETENTION_SECONDS": "1"}):
        expired = put_upload(local_stack, owner_id, b"short-lived\n")
        wait_for_status(local_stack, expired.file_id)
    kept = put_upload(local_stack, owner_id, b"long-lived\n")
    wait_for_status(local_stack, kept.file_id)
    time.sleep(1.1)

    # When the scheduled sweep runs
    sfn = local_stack.client("stepfunctions")
    arn = local_stack.stack.state_machines["SweepExpiredStateMachine"]
    execution = sfn.start_execution(stateMachineArn=arn, name=f"sweep-{time.time_ns()}", input="{}")["executionArn"]
    while (described := sfn.describe_execution(executionArn=execution))["status"] == "RUNNING":
        time.sleep(0.1)
    history = sfn.get_execution_history(executionArn=execution)["events"]
    failures = [e for e in history if "Failed" in e["type"]]

    # Then the expired file's object is gone and the file is EXPIRED; the other is untouched
    assert described["status"] == "SUCCEEDED", [f.get("taskFailedEventDetails") for f in failures]
    s3 = local_stack.client("s3")
    bucket = local_stack.stack.ref("UploadsBucket")
    assert "Versions" not in s3.list_object_versions(Bucket=bucket, Prefix=expired.key)
    assert file_item(local_stack, expired.file_id)["status"] == "EXPIRED"
    assert "gsi2pk" not in file_item(local_stack, expired.file_id)
    assert s3.list_object_versions(Bucket=bucket, Prefix=kept.key)["Versions"]
    assert file_item(local_stack, kept.file_id)["status"] == "READY"
    # and the expired file no longer counts against its owner's quota
    assert file_item(local_stack, expired.file_id)["storedBytes"] == 0
    assert usage_item(local_stack, owner_id)["bytesStored"] == len(b"long-lived\n")
    [event] = bus.events_for(expired.file_id, "FileDeleted")
    assert event["detail"]["reason"] == "expired" and event["detail"]["versionsDeleted"] == 1


def test_the_sweep_is_wired_to_its_schedule(local_stack: LocalStack) -> None:
    sweep = local_stack.stack.state_machines["SweepExpiredStateMachine"]
    [schedule] = [s for s in local_stack.stack.schedules if s.target_arn == sweep]
    assert schedule.expression == "rate(1 hour)"


def run(stack: LocalStack, machine: str, payload: dict[str, Any]) -> dict[str, Any]:
    return dict(
        sync_client(stack).start_sync_execution(
            stateMachineArn=stack.stack.state_machines[machine], input=json.dumps(payload)
        )
    )


def test_create_share_stores_options_and_never_outputs_the_token(local_stack: LocalStack, owner_id: str) -> None:
    upload = put_upload(local_stack, owner_id, b"to share\n")
    wait_for_status(local_stack, upload.file_id)

    answer = run(
        local_stack,
        "CreateShareStateMachine",
        {
            "fileId": upload.file_id,
            "ownerId": owner_id,
            "ttlSeconds": 120,
            "maxShares": 20,
            "maxDownloads": 2,
            "passwordHash": "scrypt$16384$8$1$c2FsdA==$aGFzaA==",
        },
    )

    assert answer["status"] == "SUCCEEDED"
    output = json.loads(answer["output"])
    assert set(output) == {"shareId", "expiresAt", "passwordProtected", "fileIds", "item"}
    stored = [s for s in share_items(local_stack, upload.file_id) if s["shareId"] == output["shareId"]]
    assert stored[0]["maxDownloads"] == 2 and stored[0]["passwordHash"].startswith("scrypt$")
    assert "token" not in json.dumps(output).lower().replace("tokenhash", "").replace("tokenciphertext", "")


def test_revoking_a_share_of_another_file_changes_nothing(local_stack: LocalStack, owner_id: str) -> None:
    upload = put_upload(local_stack, owner_id, b"mine\n")
    wait_for_status(local_stack, upload.file_id)
    [share] = share_items(local_stack, upload.file_id)

    answer = run(
        local_stack,
        "RevokeShareStateMachine",
        {
            "fileIds": ["f" * 32],
            "ownerId": owner_id,
            "shareId": share["shareId"],
            "tokenHash": share["tokenHash"],
        },
    )

    assert (answer["status"], answer["error"]) == ("FAILED", "ShareNotFound")
    assert share_items(local_stack, upload.file_id)[0]["revoked"] is False


def test_delete_file_refuses_another_owner_and_removes_everything_for_the_owner(
    local_stack: LocalStack, owner_id: str
) -> None:
    upload = put_upload(local_stack, owner_id, b"delete me\n")
    wait_for_status(local_stack, upload.file_id)
    target = {
        "fileId": upload.file_id,
        "bucket": local_stack.stack.ref("UploadsBucket"),
        "key": upload.key,
        "storedBytes": len(b"delete me\n"),
    }

    refused = run(local_stack, "DeleteFileStateMachine", {**target, "ownerId": "someone-else"})
    deleted = run(local_stack, "DeleteFileStateMachine", {**target, "ownerId": owner_id})

    assert (refused["status"], refused["error"]) == ("FAILED", "FileNotFound")
    assert deleted["status"] == "SUCCEEDED"
    assert file_item(local_stack, upload.file_id)["status"] == "DELETED"
    assert "gsi1pk" not in file_item(local_stack, upload.file_id)
    assert share_items(local_stack, upload.file_id) == []
    versions = local_stack.client("s3").list_object_versions(Bucket=target["bucket"], Prefix=upload.key)
    assert "Versions" not in versions
    # and its bytes went back to the owner in the same transaction (the refused delete took nothing)
    assert usage_item(local_stack, owner_id)["bytesStored"] == 0
    assert file_item(local_stack, upload.file_id)["storedBytes"] == 0
