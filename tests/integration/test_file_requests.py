"""File requests over HTTP: an owner asks, someone without an account uploads, the workflow judges each
file, the owner sees what arrived; the link's limits, lockout and isolation hold."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from devstack.stack import LocalStack
from fileshare.core.store import from_attribute_values
from tests.contracts import validate, validate_response
from tests.integration.test_upload_to_download import Owner, send
from tests.stack_support import BusRecorder, eicar, file_item

pytestmark = pytest.mark.stack
CLEAN = b"minutes of the meeting\n" * 40
TERMINAL = {"READY", "REJECTED", "INFECTED", "FAILED"}


@pytest.fixture(scope="module")
def bus(local_stack: LocalStack) -> BusRecorder:
    return BusRecorder(local_stack, "file-requests-test-recorder")


@pytest.fixture
def owner(local_stack: LocalStack) -> Owner:
    return Owner(local_stack)


def public(api: str, method: str, path: str, **kwargs: Any) -> requests.Response:
    """An uploader's request: no account, no Authorization header; every answer matches the contract."""
    answer = requests.request(method, f"{api}{path}", timeout=60, **kwargs)
    validate_response(method, path, answer.status_code, answer.json())
    return answer


def ask(owner: Owner, **options: Any) -> dict[str, Any]:
    answer = owner.call("POST", "/requests", json={"title": "Receipts for March", **options})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def ticket(api: str, token: str, body: bytes, name: str, **extra: Any) -> requests.Response:
    return public(
        api,
        "POST",
        f"/public/requests/{token}/uploads",
        json={"name": name, "size": len(body), "contentType": "text/plain", **extra},
    )


def upload_through(api: str, token: str, body: bytes, name: str, **extra: Any) -> str:
    answer = ticket(api, token, body, name, **extra)
    assert answer.status_code == 201, answer.text
    send(answer.json(), body, name, "text/plain")
    return str(answer.json()["fileId"])


def verdict(api: str, token: str, file_id: str, timeout: float = 60) -> dict[str, Any]:
    """What the uploader's page polls: 404 until the workflow registers the file, then its status."""
    deadline = time.monotonic() + timeout
    while True:
        answer = public(api, "GET", f"/public/requests/{token}/uploads/{file_id}")
        if answer.status_code == 200 and answer.json()["status"] in TERMINAL:
            return dict(answer.json())
        assert answer.status_code in (200, 404), answer.text
        if time.monotonic() > deadline:
            raise TimeoutError(f"{file_id}: {answer.status_code} {answer.text}")
        time.sleep(0.2)


def request_item(stack: LocalStack, token_hash_of: dict[str, Any]) -> dict[str, Any]:
    """The request's item as stored, validated against its record schema."""
    answer = stack.client("dynamodb").query(
        TableName=stack.stack.ref("Table"),
        IndexName="gsi4",
        KeyConditionExpression="gsi4pk = :pk AND gsi4sk = :sk",
        ExpressionAttributeValues={
            ":pk": {"S": f"REQUEST#{token_hash_of['requestId']}"},
            ":sk": {"S": "REQUEST"},
        },
    )
    [raw] = answer["Items"]
    item = from_attribute_values(raw)
    validate("records/request-item.json", item)
    return item


def test_a_stranger_sends_two_files_and_the_owner_sees_both_with_their_verdicts(
    owner: Owner, local_stack: LocalStack, bus: BusRecorder
) -> None:
    # Given an owner's request, opened by someone with no account
    created = ask(owner, maxFiles=5)
    assert created["url"].endswith(f"/r/{created['token']}") and created["filesReceived"] == 0
    page = public(owner.api, "GET", f"/public/requests/{created['token']}").json()
    assert page == {
        "title": "Receipts for March",
        "expiresAt": created["expiresAt"],
        "filesLeft": 5,
        "maxBytes": created["maxBytes"],
        "passwordRequired": False,
    }

    # When they send a clean file and the EICAR test file, giving their name
    clean_id = upload_through(owner.api, created["token"], CLEAN, "minutes.txt", uploaderName="Ada\u202e Lovelace")
    infected_id = upload_through(owner.api, created["token"], eicar(), "invoice.txt", uploaderName="Ada Lovelace")

    # Then the uploader sees each verdict, and nothing of the owner
    clean, infected = verdict(owner.api, created["token"], clean_id), verdict(owner.api, created["token"], infected_id)
    assert (clean["status"], infected["status"]) == ("READY", "INFECTED")
    assert owner.email not in str(page) + str(clean) + str(infected)
    # And the owner sees both on the request and among their files, with the uploader's (cleaned) name
    mine = owner.call("GET", f"/requests/{created['requestId']}").json()
    assert [(f["fileId"], f["status"]) for f in mine["files"]] == [(infected_id, "INFECTED"), (clean_id, "READY")]
    assert mine["filesReceived"] == 2 and mine["filesAccepted"] == 2
    assert {f["uploaderName"] for f in mine["files"]} == {"Ada Lovelace"}
    files = {f["fileId"]: f for f in owner.call("GET", "/files").json()["items"]}
    assert files[clean_id]["requestId"] == created["requestId"] == files[infected_id]["requestId"]
    # A received file gets no link until its owner makes one
    assert files[clean_id]["shares"] == []
    assert file_item(local_stack, clean_id)["sharesCreated"] == 0  # type: ignore[index]
    assert owner.call("POST", f"/files/{clean_id}/shares", json={}).status_code == 201
    # And a RequestFileReceived event for each, valid against its schema (the recorder validates it)
    [ready_event] = bus.events_for(clean_id, "RequestFileReceived")
    [infected_event] = bus.events_for(infected_id, "RequestFileReceived")
    assert ready_event["detail"]["requestTitle"] == "Receipts for March"
    assert ready_event["detail"]["uploaderName"] == "Ada Lovelace" and ready_event["detail"]["status"] == "READY"
    assert infected_event["detail"]["status"] == "INFECTED" and infected_event["detail"]["name"] == "invoice.txt"
    assert created["token"] not in str(ready_event)
    [file_ready] = bus.events_for(clean_id, "FileReady")
    assert "shareId" not in file_ready["detail"]
    request_item(local_stack, created)


def test_the_uploader_sees_only_files_sent_through_the_request(owner: Owner) -> None:
    own_file = owner.upload(CLEAN, name="private.txt")
    created = ask(owner)
    other_request = ask(owner)
    sent = upload_through(owner.api, created["token"], CLEAN, "sent.txt")
    verdict(owner.api, created["token"], sent)

    # The owner's own file, and a file sent through another of their requests: the same 404
    for token, file_id in ((created["token"], own_file), (other_request["token"], sent)):
        answer = public(owner.api, "GET", f"/public/requests/{token}/uploads/{file_id}")
        assert (answer.status_code, answer.json()["error"]["code"]) == (404, "not_found")
    # No route lists anything for an uploader
    for path in (f"/public/requests/{created['token']}/uploads", f"/public/requests/{created['token']}/files"):
        assert public(owner.api, "GET", path).status_code == 404
    assert requests.get(f"{owner.api}/files", timeout=10).status_code == 401
    assert requests.get(f"{owner.api}/requests", timeout=10).status_code == 401


def test_max_files_holds_under_twenty_concurrent_uploaders(owner: Owner) -> None:
    created = ask(owner, maxFiles=1)

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda n: ticket(owner.api, created["token"], CLEAN, f"file-{n}.txt"), range(20)))

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] + [404] * 19, statuses
    assert owner.call("GET", f"/requests/{created['requestId']}").json()["filesAccepted"] == 1
    # A full request is a dead link to everyone
    assert public(owner.api, "GET", f"/public/requests/{created['token']}").status_code == 404


def test_a_closed_or_expired_request_refuses_uploads_with_the_single_404(owner: Owner, local_stack: LocalStack) -> None:
    unknown = public(owner.api, "GET", "/public/requests/" + "A" * 43).json()
    received = ask(owner)
    sent = upload_through(owner.api, received["token"], CLEAN, "before.txt")
    verdict(owner.api, received["token"], sent)

    assert owner.call("DELETE", f"/requests/{received['requestId']}").status_code == 204
    assert owner.call("DELETE", f"/requests/{received['requestId']}").status_code == 204  # already closed

    for answer in (
        public(owner.api, "GET", f"/public/requests/{received['token']}"),
        ticket(owner.api, received["token"], CLEAN, "after.txt"),
    ):
        assert (answer.status_code, answer.json()) == (404, unknown)
    closed = owner.call("GET", f"/requests/{received['requestId']}").json()
    assert closed["closed"] is True and closed["accepting"] is False and "token" not in closed
    assert [f["fileId"] for f in closed["files"]] == [sent]  # what arrived stays
    assert verdict(owner.api, received["token"], sent)["status"] == "READY"  # the uploader still sees it

    # An expired request: its expiry moved into the past, as time would
    expired = ask(owner)
    item = request_item(local_stack, expired)
    local_stack.client("dynamodb").update_item(
        TableName=local_stack.stack.ref("Table"),
        Key={"pk": {"S": item["pk"]}, "sk": {"S": "REQUEST"}},
        UpdateExpression="SET expiresAt = :past",
        ExpressionAttributeValues={":past": {"S": "2020-01-01T00:00:00.000Z"}},
    )
    for answer in (
        public(owner.api, "GET", f"/public/requests/{expired['token']}"),
        ticket(owner.api, expired["token"], CLEAN, "late.txt"),
    ):
        assert (answer.status_code, answer.json()) == (404, unknown)


def test_guessing_a_request_password_locks_it_and_the_right_one_unlocks_it(owner: Owner) -> None:
    created = ask(owner, password="open sesame")
    token = created["token"]
    assert public(owner.api, "GET", f"/public/requests/{token}").json() == {
        "passwordRequired": True,
        "expiresAt": created["expiresAt"],
    }
    needs = ticket(owner.api, token, CLEAN, "a.txt")
    assert (needs.status_code, needs.json()["error"]["code"]) == (403, "password_required")

    # A wrong guess, then the right password: the details, and the count starts again
    wrong = public(owner.api, "POST", f"/public/requests/{token}/unlock", json={"password": "wrong horse"})
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (403, "wrong_password")
    right = public(owner.api, "POST", f"/public/requests/{token}/unlock", json={"password": "open sesame"})
    assert right.status_code == 200 and right.json()["title"] == "Receipts for March"
    assert ticket(owner.api, token, CLEAN, "a.txt", password="open sesame").status_code == 201

    # PasswordMaxAttempts (5) wrong guesses: then even the right password gets the lock's 429
    codes = [ticket(owner.api, token, CLEAN, "b.txt", password=f"guess {n}").status_code for n in range(5)]
    assert codes == [403] * 5
    locked = ticket(owner.api, token, CLEAN, "b.txt", password="open sesame")
    assert (locked.status_code, locked.json()["error"]["code"]) == (429, "too_many_attempts")
    mine = owner.call("GET", f"/requests/{created['requestId']}").json()
    assert "lockedUntil" in mine and mine["filesAccepted"] == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "invalid_request"),
        ({"title": ""}, "invalid_request"),
        ({"title": "\u202e\u200b \t"}, "invalid_request"),
        ({"title": "x" * 201}, "invalid_request"),
        ({"title": "ok", "maxFiles": 0}, "invalid_request"),
        ({"title": "ok", "maxBytes": 10**12}, "invalid_request"),
        ({"title": "ok", "expiresInSeconds": 10**9}, "invalid_request"),
        ({"title": "ok", "password": "short"}, "invalid_request"),
        ({"title": "ok", "colour": "blue"}, "invalid_request"),
    ],
)
def test_bad_request_options_get_a_400(owner: Owner, body: dict[str, Any], code: str) -> None:
    answer = owner.call("POST", "/requests", json=body)
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, code)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"name": "a.txt", "size": 2000, "contentType": "text/plain"}, 400, "upload_too_large"),
        ({"name": "a.txt", "size": 10, "contentType": "text/plain", "uploaderName": "x" * 65}, 400, "invalid_request"),
        ({"name": "", "size": 10, "contentType": "text/plain"}, 400, "invalid_request"),
        ({"name": "a.txt", "size": -1, "contentType": "text/plain"}, 400, "invalid_request"),
        ({"name": "é" * 300, "size": 10, "contentType": "text/plain"}, 400, "name_too_long"),
        ({"name": "a.txt", "size": 10, "contentType": "not a type"}, 400, "invalid_request"),
        ({"name": "a.txt", "size": 10, "contentType": "text/plain", "owner": "me"}, 400, "invalid_request"),
    ],
)
def test_bad_upload_tickets_get_a_4xx_and_take_no_file(
    owner: Owner, body: dict[str, Any], status: int, code: str
) -> None:
    created = ask(owner, maxFiles=1, maxBytes=1000)

    answer = public(owner.api, "POST", f"/public/requests/{created['token']}/uploads", json=body)

    assert (answer.status_code, answer.json()["error"]["code"]) == (status, code)
    assert owner.call("GET", f"/requests/{created['requestId']}").json()["filesAccepted"] == 0


def test_junk_tokens_ids_and_bodies_get_a_4xx_never_a_5xx(owner: Owner) -> None:
    created = ask(owner)
    token = created["token"]
    for method, path, kwargs in (
        ("GET", "/public/requests/not-a-token", {}),
        ("POST", "/public/requests/not-a-token/uploads", {"json": {"name": "a", "size": 1, "contentType": "a/b"}}),
        ("GET", f"/public/requests/{token}/uploads/not-a-file-id", {}),
        ("POST", f"/public/requests/{token}/uploads", {"data": "{not json"}),
        ("POST", f"/public/requests/{token}/unlock", {"json": {}}),
    ):
        answer = public(owner.api, method, path, **kwargs)
        assert 400 <= answer.status_code < 500, (path, answer.text)
    for method, path in (("GET", "/requests/zzz"), ("DELETE", "/requests/zzz"), ("GET", "/requests?limit=0")):
        assert 400 <= owner.call(method, path).status_code < 500, path


def test_another_owner_gets_404_for_a_request(owner: Owner, local_stack: LocalStack) -> None:
    created = ask(owner)
    stranger = Owner(local_stack)

    assert stranger.call("GET", f"/requests/{created['requestId']}").status_code == 404
    assert stranger.call("DELETE", f"/requests/{created['requestId']}").status_code == 404
    assert stranger.call("GET", "/requests").json()["items"] == []
    assert owner.call("GET", "/requests").json()["items"][0]["requestId"] == created["requestId"]
    assert public(owner.api, "GET", f"/public/requests/{created['token']}").status_code == 200  # still open
