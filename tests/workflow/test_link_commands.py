"""Links to several files in the command workflows, executed by moto's engine with the real handlers:
create-share claims every file in one transaction, redeem-share counts one download per link and
audits every file, revoke-share answers only the link's owner."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from devstack.stack import LocalStack
from fileshare.core.store import from_attribute_values
from tests.contracts import validate
from tests.stack_support import BusRecorder, file_item, put_upload, sync_client, wait_for_status

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def bus(local_stack: LocalStack) -> BusRecorder:
    return BusRecorder(local_stack, "links-workflow-recorder")


def run(stack: LocalStack, machine: str, payload: dict[str, Any]) -> dict[str, Any]:
    arn = stack.stack.state_machines[machine]
    return dict(sync_client(stack).start_sync_execution(stateMachineArn=arn, input=json.dumps(payload)))


def ready_files(stack: LocalStack, owner_id: str, count: int) -> list[str]:
    uploads = [put_upload(stack, owner_id, f"file {n}\n".encode(), name=f"f{n}.txt") for n in range(count)]
    for upload in uploads:
        assert wait_for_status(stack, upload.file_id)["status"] == "READY"
    return [u.file_id for u in uploads]


def create_link(stack: LocalStack, owner_id: str, file_ids: list[str], **options: Any) -> dict[str, Any]:
    payload = {"fileIds": file_ids, "ownerId": owner_id, "ttlSeconds": 600, "maxShares": 20, **options}
    return run(stack, "CreateShareStateMachine", payload)


def link_items(stack: LocalStack, owner_id: str) -> list[dict[str, Any]]:
    answer = stack.client("dynamodb").query(
        TableName=stack.stack.ref("Table"),
        IndexName="gsi1",
        KeyConditionExpression="gsi1pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"LINKS#{owner_id}"}},
    )
    items = [from_attribute_values(i) for i in answer["Items"]]
    for item in items:
        validate("records/share-item.json", item)
    return items


def download(share: dict[str, Any], file_ids: list[str], request_id: str) -> dict[str, Any]:
    return {
        "mode": "download",
        "tokenHash": share["tokenHash"],
        "shareId": share["shareId"],
        "fileIds": file_ids,
        "now": "2026-01-01T00:00:00.000Z",
        "requestId": request_id,
        "sourceIp": "192.0.2.1",
        "userAgent": "test",
        "auditTtl": 2000000000,
    }


def audit_items(stack: LocalStack, file_id: str) -> list[dict[str, Any]]:
    answer = stack.client("dynamodb").query(
        TableName=stack.stack.ref("Table"),
        KeyConditionExpression="pk = :pk AND begins_with(sk, :d)",
        ExpressionAttributeValues={":pk": {"S": f"FILE#{file_id}"}, ":d": {"S": "DOWNLOAD#"}},
    )
    return [from_attribute_values(i) for i in answer["Items"]]


def test_a_link_to_several_files_claims_each_and_announces_each(
    local_stack: LocalStack, owner_id: str, bus: BusRecorder
) -> None:
    file_ids = ready_files(local_stack, owner_id, 3)

    answer = create_link(local_stack, owner_id, file_ids, maxDownloads=1)

    assert answer["status"] == "SUCCEEDED", answer
    output = json.loads(answer["output"])
    assert output["fileIds"] == file_ids
    [link] = link_items(local_stack, owner_id)
    assert link["fileIds"] == file_ids and link["maxDownloads"] == 1 and "fileId" not in link
    assert [file_item(local_stack, f)["sharesCreated"] for f in file_ids] == [2, 2, 2]  # default link + this one
    # a link to several files is listed apart (GET /shares): no file names it among its own links
    assert all(link["pk"] not in file_item(local_stack, f)["shareKeys"] for f in file_ids)
    for file_id in file_ids:  # one FileShared per file, each valid against its schema
        [event] = [e for e in bus.events_for(file_id, "FileShared") if e["detail"]["shareId"] == link["shareId"]]
        assert event["detail"]["ownerId"] == owner_id


def test_one_file_not_the_owners_or_not_ready_refuses_the_whole_link(local_stack: LocalStack, owner_id: str) -> None:
    mine = ready_files(local_stack, owner_id, 2)
    [theirs] = ready_files(local_stack, str(uuid.uuid4()), 1)
    rejected = put_upload(local_stack, owner_id, b"", name="empty.txt")  # empty: REJECTED
    assert wait_for_status(local_stack, rejected.file_id)["status"] == "REJECTED"

    for intruder in (theirs, rejected.file_id):
        answer = create_link(local_stack, owner_id, [*mine, intruder])
        assert (answer["status"], answer["error"]) == ("FAILED", "ShareLimitReached")

    assert link_items(local_stack, owner_id) == []
    assert [file_item(local_stack, f)["sharesCreated"] for f in mine] == [1, 1]  # nothing claimed


def test_one_redemption_counts_once_for_the_link_and_audits_every_file(
    local_stack: LocalStack, owner_id: str, bus: BusRecorder
) -> None:
    file_ids = ready_files(local_stack, owner_id, 2)
    assert create_link(local_stack, owner_id, file_ids, maxDownloads=1)["status"] == "SUCCEEDED"
    [link] = link_items(local_stack, owner_id)

    first = run(local_stack, "RedeemShareStateMachine", download(link, file_ids, "req-1"))
    second = run(local_stack, "RedeemShareStateMachine", download(link, file_ids, "req-2"))

    assert first["status"] == "SUCCEEDED" and json.loads(first["output"]) == {"downloads": 1}
    assert (second["status"], second["error"]) == ("FAILED", "ShareUnavailable")
    for file_id in file_ids:
        [audit] = audit_items(local_stack, file_id)
        assert audit["shareId"] == link["shareId"] and audit["requestId"] == "req-1"
        validate("records/download-item.json", audit)
        [event] = bus.events_for(file_id, "FileDownloaded")
        assert event["detail"]["downloads"] == 1


def test_only_the_owner_revokes_a_link_to_several_files(
    local_stack: LocalStack, owner_id: str, bus: BusRecorder
) -> None:
    file_ids = ready_files(local_stack, owner_id, 2)
    assert create_link(local_stack, owner_id, file_ids)["status"] == "SUCCEEDED"
    [link] = link_items(local_stack, owner_id)
    revoke = {"shareId": link["shareId"], "tokenHash": link["tokenHash"], "fileIds": file_ids}

    someone_else = run(local_stack, "RevokeShareStateMachine", {**revoke, "ownerId": str(uuid.uuid4())})
    owner = run(local_stack, "RevokeShareStateMachine", {**revoke, "ownerId": owner_id})

    assert (someone_else["status"], someone_else["error"]) == ("FAILED", "ShareNotFound")
    assert owner["status"] == "SUCCEEDED"
    assert link_items(local_stack, owner_id)[0]["revoked"] is True
    for file_id in file_ids:
        assert [e["detail"]["shareId"] for e in bus.events_for(file_id, "ShareRevoked")] == [link["shareId"]]
