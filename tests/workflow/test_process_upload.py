"""The real process-upload ASL, executed by moto's Step Functions engine, with the real handler
code behind every Lambda task (run by the local stack's Lambda runner)."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
import requests

from devstack.stack import LocalStack
from tests.stack_support import (
    BusRecorder,
    eicar,
    file_item,
    put_upload,
    reconfigured,
    share_items,
    wait_for_executions,
    wait_for_status,
)

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def bus(local_stack: LocalStack) -> BusRecorder:
    return BusRecorder(local_stack, "workflow-test-recorder")


def object_tags(stack: LocalStack, key: str, version_id: str) -> dict[str, str]:
    answer = stack.client("s3").get_object_tagging(
        Bucket=stack.stack.ref("UploadsBucket"), Key=key, VersionId=version_id
    )
    return {t["Key"]: t["Value"] for t in answer["TagSet"]}


def decrypt_token(stack: LocalStack, share: dict[str, object]) -> str:
    plain = stack.client("kms").decrypt(
        CiphertextBlob=base64.b64decode(str(share["tokenCiphertext"])),
        EncryptionContext={"fileId": str(share["fileId"]), "shareId": str(share["shareId"])},
    )["Plaintext"]
    return bytes(plain).decode()


def test_a_clean_file_ends_ready_with_one_share_token(local_stack: LocalStack, owner_id: str, bus: BusRecorder) -> None:
    # Given a clean text file uploaded under its owner's prefix
    body = b"quarterly numbers, all fine\n" * 100
    upload = put_upload(local_stack, owner_id, body, name="../Q3 report\u202eexe.txt")

    # When the workflow has run
    record = wait_for_status(local_stack, upload.file_id)
    [execution] = wait_for_executions(local_stack, upload.key)

    # Then the file is READY, hashed, with a sanitized name, and the object is tagged clean
    assert execution["status"] == "SUCCEEDED"
    assert record["status"] == "READY"
    assert record["sha256"] == hashlib.sha256(body).hexdigest()
    assert record["name"] == "Q3 reportexe.txt"
    assert record["originalName"] == "../Q3 report\u202eexe.txt"  # kept for display, never used as a path
    assert record["size"] == len(body)
    assert object_tags(local_stack, upload.key, upload.version_id) == {"verdict": "clean"}

    # And it has exactly one share, stored as a hash and a KMS ciphertext, never in plaintext
    [share] = share_items(local_stack, upload.file_id)
    assert "token" not in share
    token = decrypt_token(local_stack, share)
    assert len(token) >= 22  # at least 128 bits, URL-safe
    assert hashlib.sha256(token.encode()).hexdigest() == share["tokenHash"]
    history = local_stack.client("stepfunctions").get_execution_history(executionArn=execution["executionArn"])
    assert token not in json.dumps(execution, default=str)  # input and output
    assert token not in json.dumps(history, default=str)  # every step's input and output

    # And the link works: the recipient sees the file and downloads the same bytes
    api = local_stack.api_url
    info = requests.get(f"{api}/public/shares/{token}", timeout=10)
    assert info.status_code == 200
    assert info.json()["name"] == "Q3 reportexe.txt"
    link = requests.post(f"{api}/public/shares/{token}/download", json={}, timeout=10)
    assert link.status_code == 200
    download = requests.get(link.json()["url"], timeout=10)
    assert download.content == body
    assert download.headers["Content-Disposition"].startswith("attachment;")

    # And FileReady was published
    [event] = bus.events_for(upload.file_id, "FileReady")
    assert event["detail"]["sha256"] == record["sha256"]
    assert event["detail"]["shareId"] == share["shareId"]


def test_eicar_ends_infected_without_a_token(local_stack: LocalStack, owner_id: str, bus: BusRecorder) -> None:
    upload = put_upload(local_stack, owner_id, eicar(), name="invoice.txt")

    record = wait_for_status(local_stack, upload.file_id)

    assert record["status"] == "INFECTED"
    assert "EICAR" in record["reason"]
    assert share_items(local_stack, upload.file_id) == []
    assert object_tags(local_stack, upload.key, upload.version_id) == {"verdict": "infected"}
    [event] = bus.events_for(upload.file_id, "FileRejected")
    assert event["detail"]["status"] == "INFECTED"


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("over the size limit", "the limit is 1048576 bytes"),
        ("more bytes than declared", "declared 10 bytes but 11 arrived"),
        ("metadata owner differs from key", "owner does not match"),
        ("executable renamed .pdf", "executable content"),
    ],
)
def test_bad_uploads_end_rejected_with_a_reason(
    local_stack: LocalStack, owner_id: str, bus: BusRecorder, case: str, code: str
) -> None:
    if case == "over the size limit":
        upload = put_upload(local_stack, owner_id, b"x" * (1048576 + 1))
    elif case == "more bytes than declared":
        upload = put_upload(local_stack, owner_id, b"hello world", declared_size=10)
    elif case == "metadata owner differs from key":
        upload = put_upload(local_stack, owner_id, b"hello", metadata_owner="someone-else")
    else:
        elf = b"\x7fELF\x02\x01\x01" + bytes(57)
        upload = put_upload(local_stack, owner_id, elf, name="report.pdf", content_type="application/pdf")

    record = wait_for_status(local_stack, upload.file_id)

    assert record["status"] == "REJECTED"
    assert code in record["reason"]
    assert share_items(local_stack, upload.file_id) == []
    assert object_tags(local_stack, upload.key, upload.version_id) == {"verdict": "rejected"}
    [event] = bus.events_for(upload.file_id, "FileRejected")
    assert event["detail"]["status"] == "REJECTED"


def test_a_duplicate_event_yields_one_record_and_one_token(local_stack: LocalStack, owner_id: str) -> None:
    # Given an upload that has been processed
    upload = put_upload(local_stack, owner_id, b"just once\n")
    wait_for_status(local_stack, upload.file_id)
    [first] = wait_for_executions(local_stack, upload.key)

    # When EventBridge delivers the same event again
    sfn = local_stack.client("stepfunctions")
    sfn.start_execution(stateMachineArn=first["stateMachineArn"], input=first["input"])
    second = wait_for_executions(local_stack, upload.key, count=2)[1]

    # Then nothing changes: still one record, one share, and the second run says why it stopped
    assert second["status"] == "SUCCEEDED"
    history = sfn.get_execution_history(executionArn=second["executionArn"])["events"]
    entered = [e["stateEnteredEventDetails"]["name"] for e in history if "stateEnteredEventDetails" in e]
    assert entered[-1] == "Duplicate"
    assert len(share_items(local_stack, upload.file_id)) == 1
    assert file_item(local_stack, upload.file_id)["status"] == "READY"


def test_a_second_version_at_an_issued_key_is_discarded(local_stack: LocalStack, owner_id: str) -> None:
    # Given a READY file
    first = put_upload(local_stack, owner_id, b"the checked content\n")
    wait_for_status(local_stack, first.file_id)

    # When the same presigned POST is used again to overwrite it with other content
    second = put_upload(local_stack, owner_id, eicar(), file_id=first.file_id)
    wait_for_executions(local_stack, first.key, count=2)

    # Then the unchecked version is deleted and the checked one is what the key serves
    s3 = local_stack.client("s3")
    versions = s3.list_object_versions(Bucket=local_stack.stack.ref("UploadsBucket"), Prefix=first.key)["Versions"]
    assert [v["VersionId"] for v in versions] == [first.version_id]
    assert second.version_id != first.version_id
    assert file_item(local_stack, first.file_id)["status"] == "READY"


def test_an_unexpected_step_failure_ends_failed_and_is_visible(local_stack: LocalStack, owner_id: str) -> None:
    # Given the mint step is misconfigured with a key that does not exist (an injected fault)
    missing = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    with reconfigured(local_stack, "MintShareFunction", {"TOKEN_KEY_ID": missing}):
        upload = put_upload(local_stack, owner_id, b"fine content\n")
        record = wait_for_status(local_stack, upload.file_id)
        [execution] = wait_for_executions(local_stack, upload.key)

    # Then the file is FAILED, names the failed execution, and is never shareable
    assert record["status"] == "FAILED"
    assert record["failedExecution"] == execution["executionArn"]
    assert execution["status"] == "FAILED"
    assert share_items(local_stack, upload.file_id) == []

    # And the history shows which step failed and why
    history = local_stack.client("stepfunctions").get_execution_history(executionArn=execution["executionArn"])
    failures = [e for e in history["events"] if e["type"] == "TaskFailed"]
    assert failures
    assert failures[0]["taskFailedEventDetails"]["error"] == "NotFoundException"
    entered = [e["stateEnteredEventDetails"]["name"] for e in history["events"] if "stateEnteredEventDetails" in e]
    # and the execution stopped at that step (so a redrive reruns it), with the step's own error
    assert entered[-1] == "MintShareToken"
    assert execution["error"] == "NotFoundException"
