"""File requests in the workflows, executed by moto's engine with the real handlers: the request
commands (create, close, redeem: tickets and password attempts), and process-upload for a file that
arrived through a request (no default link, a RequestFileReceived event at its verdict)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from devstack.stack import LocalStack
from fileshare.core import clock
from fileshare.core.store import from_attribute_values
from tests.contracts import validate
from tests.stack_support import BusRecorder, eicar, file_item, put_upload, share_items, sync_client, wait_for_status

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def bus(local_stack: LocalStack) -> BusRecorder:
    return BusRecorder(local_stack, "file-requests-workflow-recorder")


def run(stack: LocalStack, machine: str, payload: dict[str, Any]) -> dict[str, Any]:
    answer = sync_client(stack).start_sync_execution(
        stateMachineArn=stack.stack.state_machines[machine], input=json.dumps(payload)
    )
    return dict(answer)


def create_request(stack: LocalStack, owner_id: str, **options: Any) -> dict[str, Any]:
    """A request as POST /requests creates it; returns its stored item."""
    payload = {"kind": "request", "ownerId": owner_id, "title": "Tax papers", "ttlSeconds": 3600, "maxBytes": 1000}
    answer = run(stack, "CreateRequestStateMachine", {**payload, **options})
    assert answer["status"] == "SUCCEEDED", answer
    output = json.loads(answer["output"])
    validate("workflow/mint-request.output.json", output)
    item = from_attribute_values(output["item"])
    validate("records/request-item.json", item)
    assert "token" not in json.dumps(output).lower().replace("tokenhash", "").replace("tokenciphertext", "")
    return item


def stored(stack: LocalStack, item: dict[str, Any]) -> dict[str, Any]:
    answer = stack.client("dynamodb").get_item(
        TableName=stack.stack.ref("Table"), Key={"pk": {"S": item["pk"]}, "sk": {"S": "REQUEST"}}, ConsistentRead=True
    )
    current = from_attribute_values(answer["Item"])
    validate("records/request-item.json", current)
    return current


def redeem(stack: LocalStack, item: dict[str, Any], mode: str, **extra: Any) -> dict[str, Any]:
    now = clock.to_iso(clock.now())
    payload = {"mode": mode, "tokenHash": item["tokenHash"], "requestId": item["requestId"], "now": now, **extra}
    return run(stack, "RedeemRequestStateMachine", payload)


def test_a_file_sent_through_a_request_is_ready_without_a_link_and_its_owner_is_told(
    local_stack: LocalStack, owner_id: str, bus: BusRecorder
) -> None:
    request = create_request(local_stack, owner_id)
    upload = put_upload(
        local_stack,
        owner_id,
        b"scanned receipts\n" * 20,
        name="receipts.txt",
        extra_metadata={"request": request["requestId"], "uploader": "Grace Hopper"},
    )

    record = wait_for_status(local_stack, upload.file_id)

    assert record["status"] == "READY" and record["sharesCreated"] == 0 and record["shareKeys"] == []
    assert record["requestId"] == request["requestId"] and record["uploaderName"] == "Grace Hopper"
    assert record["gsi4pk"] == f"REQUEST#{request['requestId']}"
    assert share_items(local_stack, upload.file_id) == []  # no link until the owner makes one
    [received] = bus.events_for(upload.file_id, "RequestFileReceived")
    detail = received["detail"]
    assert (detail["requestTitle"], detail["status"], detail["uploaderName"]) == ("Tax papers", "READY", "Grace Hopper")
    assert (detail["ownerId"], detail["name"], detail["size"]) == (owner_id, "receipts.txt", 340)
    [ready] = bus.events_for(upload.file_id, "FileReady")
    assert "shareId" not in ready["detail"]


@pytest.mark.parametrize(("body", "status"), [(eicar(), "INFECTED"), (b"", "REJECTED")])
def test_a_refused_request_file_is_reported_to_its_owner_too(
    local_stack: LocalStack, owner_id: str, bus: BusRecorder, body: bytes, status: str
) -> None:
    request = create_request(local_stack, owner_id)
    upload = put_upload(local_stack, owner_id, body, extra_metadata={"request": request["requestId"]})

    assert wait_for_status(local_stack, upload.file_id)["status"] == status
    [received] = bus.events_for(upload.file_id, "RequestFileReceived")
    assert received["detail"]["status"] == status and "uploaderName" not in received["detail"]


def test_an_owners_own_upload_keeps_its_default_link_and_tells_no_request(
    local_stack: LocalStack, owner_id: str, bus: BusRecorder
) -> None:
    upload = put_upload(local_stack, owner_id, b"my own file\n")

    record = wait_for_status(local_stack, upload.file_id)

    assert record["status"] == "READY" and record["sharesCreated"] == 1 and "requestId" not in record
    [ready] = bus.events_for(upload.file_id, "FileReady")
    [share] = share_items(local_stack, upload.file_id)
    assert ready["detail"]["shareId"] == share["shareId"] and record["shareKeys"] == [share["pk"]]
    assert bus.events_for(upload.file_id, "RequestFileReceived", timeout=1) == []


def test_a_forged_request_id_in_the_metadata_is_not_registered(local_stack: LocalStack, owner_id: str) -> None:
    upload = put_upload(local_stack, owner_id, b"x\n", extra_metadata={"request": "REQUEST#../../other"})

    with pytest.raises(TimeoutError):
        wait_for_status(local_stack, upload.file_id, timeout=5)
    assert file_item(local_stack, upload.file_id) is None  # UnrecognisedUpload: no record at all


def test_tickets_never_pass_max_files_and_stop_once_closed(local_stack: LocalStack, owner_id: str) -> None:
    request = create_request(local_stack, owner_id, maxFiles=2)

    taken = [redeem(local_stack, request, "ticket") for _ in range(3)]

    assert [t["status"] for t in taken] == ["SUCCEEDED", "SUCCEEDED", "FAILED"]
    assert json.loads(taken[1]["output"]) == {"filesAccepted": 2} and taken[2]["error"] == "RequestUnavailable"
    assert stored(local_stack, request)["filesAccepted"] == 2

    unlimited = create_request(local_stack, owner_id)
    assert redeem(local_stack, unlimited, "ticket")["status"] == "SUCCEEDED"
    someone_else = run(
        local_stack,
        "CloseRequestStateMachine",
        {"tokenHash": unlimited["tokenHash"], "requestId": unlimited["requestId"], "ownerId": "someone-else"},
    )
    assert (someone_else["status"], someone_else["error"]) == ("FAILED", "RequestNotFound")
    closed = run(
        local_stack,
        "CloseRequestStateMachine",
        {"tokenHash": unlimited["tokenHash"], "requestId": unlimited["requestId"], "ownerId": owner_id},
    )
    assert closed["status"] == "SUCCEEDED"
    after = redeem(local_stack, unlimited, "ticket")
    assert (after["status"], after["error"]) == ("FAILED", "RequestUnavailable")
    assert stored(local_stack, unlimited)["closed"] is True


def test_the_last_password_attempt_locks_a_request(local_stack: LocalStack, owner_id: str) -> None:
    request = create_request(local_stack, owner_id, passwordHash="scrypt$16384$8$1$c2FsdA==$aGFzaA==")
    lock_until = clock.to_iso(clock.now() + timedelta(minutes=15))

    attempts = [redeem(local_stack, request, "reserve", maxAttempts=3, lockUntil=lock_until) for _ in range(4)]

    assert [a["status"] for a in attempts] == ["SUCCEEDED"] * 3 + ["FAILED"]
    assert attempts[3]["error"] == "Locked"
    assert stored(local_stack, request)["lockedUntil"] == lock_until
    # A ticket (the API asks for one only after a right password, never while locked) resets the count
    assert redeem(local_stack, request, "ticket")["status"] == "SUCCEEDED"
    current = stored(local_stack, request)
    assert current["failedAttempts"] == 0 and "lockedUntil" not in current
