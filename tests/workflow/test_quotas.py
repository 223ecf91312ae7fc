"""Quotas on the process-upload workflow: registration counts an upload's bytes and its place in the
hour, atomically with the record, and an upload that takes its owner past a limit is refused and
its object discarded, however many plans were issued at once. Links per file are capped the same way."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from devstack.stack import LocalStack
from tests.stack_support import (
    file_item,
    put_upload,
    reconfigured,
    share_items,
    sync_client,
    upload_markers,
    usage_item,
    wait_for_status,
)

pytestmark = pytest.mark.stack


def versions_of(stack: LocalStack, key: str) -> list[dict[str, object]]:
    answer = stack.client("s3").list_object_versions(Bucket=stack.stack.ref("UploadsBucket"), Prefix=key)
    return list(answer.get("Versions", []))


def test_registering_an_upload_counts_its_bytes_and_its_hour(local_stack: LocalStack, owner_id: str) -> None:
    upload = put_upload(local_stack, owner_id, b"x" * 300)

    record = wait_for_status(local_stack, upload.file_id)

    assert record["status"] == "READY" and record["storedBytes"] == 300 and "gsi3pk" not in record
    assert usage_item(local_stack, owner_id)["bytesStored"] == 300
    [marker] = upload_markers(local_stack, owner_id)
    assert marker["fileId"] == upload.file_id and marker["createdAt"] == record["createdAt"]


def test_an_upload_past_the_storage_quota_is_discarded_and_its_bytes_given_back(
    local_stack: LocalStack, owner_id: str
) -> None:
    with reconfigured(local_stack, "AdmitUploadFunction", {"MAX_BYTES_STORED": "100"}):
        # Given an owner who stores 60 of their 100 bytes
        first = put_upload(local_stack, owner_id, b"a" * 60)
        assert wait_for_status(local_stack, first.file_id)["status"] == "READY"

        # When a plan obtained earlier carries 60 more bytes
        second = put_upload(local_stack, owner_id, b"b" * 60)
        record = wait_for_status(local_stack, second.file_id)

    # Then it is refused, its object is gone, and only the first file counts
    assert record["status"] == "REJECTED"
    assert record["reason"].startswith("the file would take your storage to 120 bytes, over the 100 bytes allowed")
    assert record["storedBytes"] == 0
    assert versions_of(local_stack, second.key) == []
    assert usage_item(local_stack, owner_id)["bytesStored"] == 60
    assert share_items(local_stack, second.file_id) == []


def test_a_burst_of_uploads_never_takes_an_owner_past_the_quota(local_stack: LocalStack, owner_id: str) -> None:
    # Given six plans used at once, 40 bytes each, against a 100-byte quota
    with reconfigured(local_stack, "AdmitUploadFunction", {"MAX_BYTES_STORED": "100"}):
        with ThreadPoolExecutor(max_workers=6) as pool:
            uploads = list(pool.map(lambda n: put_upload(local_stack, owner_id, bytes([n]) * 40), range(6)))
        records = [wait_for_status(local_stack, u.file_id, timeout=120) for u in uploads]

    # Then whatever order they registered in, what was kept fits the quota and is exactly what counts
    kept = [r for r in records if r["status"] == "READY"]
    assert len(kept) == 2  # admitted in registration order: the first two fit, the rest do not
    assert {r["status"] for r in records} <= {"READY", "REJECTED"}
    assert usage_item(local_stack, owner_id)["bytesStored"] == 40 * len(kept) <= 100
    for upload, record in zip(uploads, records, strict=True):
        assert bool(versions_of(local_stack, upload.key)) is (record["status"] == "READY")


def test_the_hourly_upload_limit_holds_on_registration(local_stack: LocalStack, owner_id: str) -> None:
    with reconfigured(local_stack, "AdmitUploadFunction", {"MAX_UPLOADS_PER_HOUR": "2"}):
        statuses = []
        for n in range(3):
            upload = put_upload(local_stack, owner_id, f"upload {n}\n".encode())
            statuses.append(wait_for_status(local_stack, upload.file_id))

    assert [s["status"] for s in statuses] == ["READY", "READY", "REJECTED"]
    assert statuses[2]["reason"] == "more than 2 uploads in an hour; the file was discarded"
    assert versions_of(local_stack, upload.key) == []
    assert len(upload_markers(local_stack, owner_id)) == 3  # a refused attempt still counts in its hour


def test_links_per_file_are_capped_atomically(local_stack: LocalStack, owner_id: str) -> None:
    # Given a READY file with its default link, and a limit of 4 links per file
    upload = put_upload(local_stack, owner_id, b"share me\n")
    assert wait_for_status(local_stack, upload.file_id)["sharesCreated"] == 1
    arn = local_stack.stack.state_machines["CreateShareStateMachine"]
    payload = json.dumps({"fileId": upload.file_id, "ownerId": owner_id, "ttlSeconds": 600, "maxShares": 4})

    # When ten links are asked for at once
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(
            pool.map(
                lambda _: sync_client(local_stack).start_sync_execution(stateMachineArn=arn, input=payload), range(10)
            )
        )

    # Then exactly three more are made, the others refused by name, and the count matches the links
    assert sorted(a["status"] for a in answers) == ["FAILED"] * 7 + ["SUCCEEDED"] * 3
    assert {a.get("error") for a in answers if a["status"] == "FAILED"} == {"ShareLimitReached"}
    shares = share_items(local_stack, upload.file_id)
    assert len(shares) == 4
    record = file_item(local_stack, upload.file_id)
    assert record is not None and record["sharesCreated"] == 4
    # and the file names exactly those links, each once, its default link first (GET /files reads them by key)
    assert sorted(record["shareKeys"]) == sorted(s["pk"] for s in shares)
    assert record["shareKeys"][0] == min(shares, key=lambda s: s["createdAt"])["pk"]
