"""The send-share-email and update-notifications workflows, executed by moto's engine against the
session's local stack."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import pytest

from devstack.stack import LocalStack
from fileshare.core import clock
from fileshare.core.records import FileRecord, ShareRecord
from fileshare.core.share_emails import send_share_email_input
from fileshare.core.store import from_attribute_values
from tests.stack_support import BusRecorder, file_item, put_upload, share_items, sync_client, wait_for_status

pytestmark = pytest.mark.stack
LIMIT = 10


def run(stack: LocalStack, machine: str, payload: dict[str, Any]) -> dict[str, Any]:
    return dict(
        sync_client(stack).start_sync_execution(
            stateMachineArn=stack.stack.state_machines[machine], input=json.dumps(payload)
        )
    )


def item(stack: LocalStack, pk: str, sk: str) -> dict[str, Any] | None:
    answer = stack.client("dynamodb").get_item(
        TableName=stack.stack.ref("Table"), Key={"pk": {"S": pk}, "sk": {"S": sk}}, ConsistentRead=True
    )
    return from_attribute_values(answer["Item"]) if "Item" in answer else None


def counted(stack: LocalStack, payload: dict[str, Any]) -> int | None:
    found = item(stack, payload["counterPk"], payload["counterSk"])
    return None if found is None else int(found["recipients"])


def request(stack: LocalStack, owner_id: str, at: datetime, count: int = 3) -> dict[str, Any]:
    upload = put_upload(stack, owner_id, b"emailed\n")
    wait_for_status(stack, upload.file_id)
    stored = file_item(stack, upload.file_id)
    assert stored is not None
    record = FileRecord.from_item(stored)
    [share] = [ShareRecord.from_item(i) for i in share_items(stack, upload.file_id)]
    to = [f"r{i}@example.com" for i in range(count)]
    return send_share_email_input(record=record, share=share, to=to, message="hello", limit=LIMIT, at=at)


def test_a_request_is_counted_and_published_without_the_token(local_stack: LocalStack, owner_id: str) -> None:
    bus = BusRecorder(local_stack, "email-workflow-recorder")
    payload = request(local_stack, owner_id, clock.now())

    answer = run(local_stack, "SendShareEmailStateMachine", payload)

    assert answer["status"] == "SUCCEEDED", answer
    assert json.loads(answer["output"]) == {"recipients": 3}
    [event] = bus.events_for(payload["fileId"], "ShareEmailRequested")  # validated against its schema
    assert event["detail"]["recipients"] == payload["detail"]["recipients"]
    assert event["detail"]["message"] == "hello"
    assert payload["tokenHash"] not in json.dumps(event)


def test_racing_requests_never_take_an_owner_past_the_hourly_allowance(local_stack: LocalStack, owner_id: str) -> None:
    payload = request(local_stack, owner_id, clock.now(), count=3)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: run(local_stack, "SendShareEmailStateMachine", payload), range(8)))

    statuses = sorted((a["status"], a.get("error")) for a in answers)
    assert statuses == [("FAILED", "RateLimited")] * 5 + [("SUCCEEDED", None)] * 3  # 3 x 3 <= 10 < 4 x 3
    assert counted(local_stack, payload) == 9


def test_a_revoked_link_or_another_owner_is_refused_and_nothing_is_counted(
    local_stack: LocalStack, owner_id: str
) -> None:
    payload = request(local_stack, owner_id, clock.now())
    stranger = run(local_stack, "SendShareEmailStateMachine", {**payload, "ownerId": "someone-else"})
    local_stack.client("dynamodb").update_item(
        TableName=local_stack.stack.ref("Table"),
        Key={"pk": {"S": f"SHARE#{payload['tokenHash']}"}, "sk": {"S": "SHARE"}},
        UpdateExpression="SET revoked = :true",
        ExpressionAttributeValues={":true": {"BOOL": True}},
    )

    revoked = run(local_stack, "SendShareEmailStateMachine", payload)

    assert (stranger["status"], stranger["error"]) == ("FAILED", "FileNotFound")
    assert (revoked["status"], revoked["error"]) == ("FAILED", "ShareNotLive")
    assert counted(local_stack, payload) is None


def test_notification_settings_are_stored_and_read_back(local_stack: LocalStack, owner_id: str) -> None:
    def stored() -> Any:
        found = item(local_stack, f"OWNER#{owner_id}", "SETTINGS")
        return None if found is None else found["uploadProblems"]

    assert stored() is None  # off until turned on
    on = run(local_stack, "UpdateNotificationsStateMachine", {"ownerId": owner_id, "uploadProblems": True})
    assert json.loads(on["output"]) == {"uploadProblems": True} and stored() is True
    off = run(local_stack, "UpdateNotificationsStateMachine", {"ownerId": owner_id, "uploadProblems": False})
    assert json.loads(off["output"]) == {"uploadProblems": False} and stored() is False
