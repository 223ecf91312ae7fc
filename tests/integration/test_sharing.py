"""Sharing over HTTP: link options, revocation, deletion, atomic download limits, passwords,
download audit and authorization on every route."""

from __future__ import annotations

import hashlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from devstack.stack import LocalStack
from tests.contracts import validate_response
from tests.integration.test_upload_to_download import Owner
from tests.stack_support import BusRecorder, Uploaded, eicar, file_item, reconfigured, redefined, wait_for_executions
from tests.workflow.test_guardduty_engine import scan_result, wait_until_parked

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def bus(local_stack: LocalStack) -> BusRecorder:
    return BusRecorder(local_stack, "sharing-test-recorder")


@pytest.fixture
def owner(local_stack: LocalStack) -> Owner:
    return Owner(local_stack)


@pytest.fixture
def ready_file(owner: Owner) -> dict[str, Any]:
    file_id = owner.upload(b"shared content\n" * 10, name="shared.txt")
    return owner.wait_until_done(file_id)


def share(owner: Owner, file_id: str, **options: Any) -> requests.Response:
    return owner.call("POST", f"/files/{file_id}/shares", json=options)


def redeem(api: str, token: str, **body: Any) -> requests.Response:
    return public(api, "POST", f"/public/shares/{token}/download", json=body)


def unlock(api: str, token: str, **body: Any) -> requests.Response:
    return public(api, "POST", f"/public/shares/{token}/unlock", json=body)


def describe(api: str, token: str) -> requests.Response:
    return public(api, "GET", f"/public/shares/{token}")


def public(api: str, method: str, path: str, **kwargs: Any) -> requests.Response:
    """A recipient's request; every answer matches the contract."""
    answer = requests.request(method, f"{api}{path}", timeout=60, **kwargs)
    validate_response(method, path, answer.status_code, answer.json())
    return answer


def test_an_owner_creates_a_link_with_options(owner: Owner, ready_file: dict[str, Any], bus: BusRecorder) -> None:
    answer = share(owner, ready_file["fileId"], expiresInSeconds=3600, maxDownloads=3, password="open sesame")

    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert created["maxDownloads"] == 3 and created["downloads"] == 0
    assert created["passwordProtected"] is True and created["revoked"] is False
    assert created["url"].endswith(created["token"])
    listed = owner.call("GET", f"/files/{ready_file['fileId']}").json()["shares"]
    assert [s["shareId"] for s in listed][-1] == created["shareId"] and len(listed) == 2
    info = unlock(owner.api, created["token"], password="open sesame").json()
    assert info["passwordRequired"] is True and info["downloadsLeft"] == 3
    [event] = [
        e for e in bus.events_for(ready_file["fileId"], "FileShared") if e["detail"]["shareId"] == created["shareId"]
    ]
    assert event["detail"]["passwordProtected"] is True
    assert created["token"] not in str(event)


@pytest.mark.parametrize(
    ("options", "status", "code"),
    [
        ({"expiresInSeconds": 10**9}, 400, "invalid_request"),
        ({"expiresInSeconds": 5}, 400, "invalid_request"),
        ({"maxDownloads": 0}, 400, "invalid_request"),
        ({"password": ""}, 400, "invalid_request"),
        ({"password": "seven77"}, 400, "invalid_request"),
        ({"colour": "blue"}, 400, "invalid_request"),
    ],
)
def test_bad_link_options_get_a_400(
    owner: Owner, ready_file: dict[str, Any], options: dict[str, Any], status: int, code: str
) -> None:
    answer = share(owner, ready_file["fileId"], **options)
    assert (answer.status_code, answer.json()["error"]["code"]) == (status, code)


def test_a_file_that_is_not_ready_cannot_be_shared(owner: Owner) -> None:
    infected = owner.wait_until_done(owner.upload(eicar()))

    answer = share(owner, infected["fileId"])

    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "file_not_ready"


def test_a_revoked_link_stops_working_at_once(owner: Owner, ready_file: dict[str, Any], bus: BusRecorder) -> None:
    [link] = ready_file["shares"]

    answer = owner.call("DELETE", f"/files/{ready_file['fileId']}/shares/{link['shareId']}")

    assert answer.status_code == 204
    assert requests.get(f"{owner.api}/public/shares/{link['token']}", timeout=10).status_code == 404
    assert redeem(owner.api, link["token"]).status_code == 404
    [after] = owner.call("GET", f"/files/{ready_file['fileId']}").json()["shares"]
    assert after["revoked"] is True
    assert bus.events_for(ready_file["fileId"], "ShareRevoked")


def test_the_listing_shows_every_link_of_every_file_as_the_file_itself_does(
    owner: Owner, local_stack: LocalStack, ready_file: dict[str, Any]
) -> None:
    # Given a file with its default link, two more made later, one of them revoked
    file_id = ready_file["fileId"]
    later = [share(owner, file_id).json() for _ in range(2)]
    assert owner.call("DELETE", f"/files/{file_id}/shares/{later[1]['shareId']}").status_code == 204

    def listed() -> dict[str, Any]:
        [item] = [f for f in owner.call("GET", "/files").json()["items"] if f["fileId"] == file_id]
        return item

    # Then the listing (links read by the keys the file keeps) shows what GET /files/{id} shows
    alone = owner.call("GET", f"/files/{file_id}").json()
    assert listed() == alone
    assert [(s["shareId"], s["revoked"], "token" in s) for s in alone["shares"][1:]] == [
        (later[0]["shareId"], False, True),
        (later[1]["shareId"], True, False),
    ]

    # and so does a file indexed before files kept their links' keys (its links are queried)
    local_stack.client("dynamodb").update_item(
        TableName=local_stack.stack.ref("Table"),
        Key={"pk": {"S": f"FILE#{file_id}"}, "sk": {"S": "FILE"}},
        UpdateExpression="REMOVE shareKeys",
    )
    assert listed() == alone


def test_deleting_a_file_removes_the_object_and_every_link(
    owner: Owner, ready_file: dict[str, Any], local_stack: LocalStack, bus: BusRecorder
) -> None:
    file_id = ready_file["fileId"]
    second = share(owner, file_id).json()
    tokens = [ready_file["shares"][0]["token"], second["token"]]

    answer = owner.call("DELETE", f"/files/{file_id}")

    assert answer.status_code == 204
    assert owner.call("GET", f"/files/{file_id}").status_code == 404
    assert file_id not in [f["fileId"] for f in owner.call("GET", "/files").json()["items"]]
    assert all(requests.get(f"{owner.api}/public/shares/{t}", timeout=10).status_code == 404 for t in tokens)
    versions = local_stack.client("s3").list_object_versions(
        Bucket=local_stack.stack.ref("UploadsBucket"), Prefix="uploads/"
    )
    assert not [v for v in versions.get("Versions", []) if v["Key"].endswith(file_id)]
    [event] = bus.events_for(file_id, "FileDeleted")
    assert event["detail"]["reason"] == "deleted"
    assert owner.call("DELETE", f"/files/{file_id}").status_code == 404


def test_a_download_limit_of_one_holds_under_twenty_concurrent_redemptions(
    owner: Owner, ready_file: dict[str, Any]
) -> None:
    token = share(owner, ready_file["fileId"], maxDownloads=1).json()["token"]

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: redeem(owner.api, token), range(20)))

    assert sorted(a.status_code for a in answers) == [200] + [404] * 19
    [granted] = [a for a in answers if a.status_code == 200]
    assert hashlib.sha256(requests.get(granted.json()["url"], timeout=10).content).hexdigest() == ready_file["sha256"]
    shares = owner.call("GET", f"/files/{ready_file['fileId']}").json()["shares"]
    assert [s["downloads"] for s in shares if s["token"] == token] == [1]
    assert requests.get(f"{owner.api}/public/shares/{token}", timeout=10).status_code == 404


def test_a_password_protected_link(owner: Owner, ready_file: dict[str, Any]) -> None:
    token = share(owner, ready_file["fileId"], password="correct horse").json()["token"]

    missing = redeem(owner.api, token)
    wrong = redeem(owner.api, token, password="wrong horse")
    right = redeem(owner.api, token, password="correct horse")

    assert (missing.status_code, missing.json()["error"]["code"]) == (403, "password_required")
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (403, "wrong_password")
    assert right.status_code == 200


def test_a_password_shorter_than_eight_characters_is_refused_with_a_clear_400(
    owner: Owner, ready_file: dict[str, Any]
) -> None:
    answer = share(owner, ready_file["fileId"], password="1234567")

    assert answer.status_code == 400
    message = answer.json()["error"]["message"]
    assert "password" in message and "8" in message
    assert share(owner, ready_file["fileId"], password="12345678").status_code == 201


def test_guessing_passwords_locks_the_link(owner: Owner, ready_file: dict[str, Any]) -> None:
    token = share(owner, ready_file["fileId"], password="correct horse").json()["token"]

    guesses = [redeem(owner.api, token, password=f"guess {n}") for n in range(5)]
    after = redeem(owner.api, token, password="correct horse")

    # PasswordMaxAttempts (5) guesses are judged; then even the right password gets the lock's 429.
    assert [g.status_code for g in guesses] == [403] * 5
    assert (after.status_code, after.json()["error"]["code"]) == (429, "too_many_attempts")
    [locked] = [s for s in owner.call("GET", f"/files/{ready_file['fileId']}").json()["shares"] if s["token"] == token]
    assert "lockedUntil" in locked and locked["downloads"] == 0


def test_forty_concurrent_guesses_get_at_most_five_judged_answers(owner: Owner, ready_file: dict[str, Any]) -> None:
    token = share(owner, ready_file["fileId"], password="correct horse").json()["token"]
    judged = 0
    lock_holds = threading.Event()
    counting = threading.Lock()

    def guess(n: int) -> requests.Response:
        nonlocal judged
        answer = redeem(owner.api, token, password=f"guess {n}")
        with counting:
            judged += answer.status_code == 403
            if judged >= 5 or answer.status_code == 429:
                lock_holds.set()
        return answer

    def right_password_once_the_lock_holds() -> requests.Response:
        assert lock_holds.wait(timeout=120)
        return redeem(owner.api, token, password="correct horse")

    with ThreadPoolExecutor(max_workers=41) as pool:
        right = pool.submit(right_password_once_the_lock_holds)
        guesses = list(pool.map(guess, range(40)))

    codes = sorted(g.status_code for g in guesses)
    assert codes.count(403) <= 5, codes
    assert set(codes) <= {403, 429}, codes
    assert (right.result().status_code, right.result().json()["error"]["code"]) == (429, "too_many_attempts")
    [link] = [s for s in owner.call("GET", f"/files/{ready_file['fileId']}").json()["shares"] if s["token"] == token]
    assert link["downloads"] == 0 and "lockedUntil" in link


def test_a_password_link_shows_nothing_before_the_password(owner: Owner, ready_file: dict[str, Any]) -> None:
    token = share(owner, ready_file["fileId"], password="correct horse", maxDownloads=2).json()["token"]

    before = describe(owner.api, token)
    wrong = unlock(owner.api, token, password="wrong horse")
    right = unlock(owner.api, token, password="correct horse")

    assert before.status_code == 200
    assert set(before.json()) == {"passwordRequired", "expiresAt"} and before.json()["passwordRequired"] is True
    assert "shared.txt" not in before.text
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (403, "wrong_password")
    assert "shared.txt" not in wrong.text
    assert right.status_code == 200
    assert right.json() == {
        "name": "shared.txt",
        "size": ready_file["size"],
        "contentType": "text/plain",
        "expiresAt": before.json()["expiresAt"],
        "downloadsLeft": 2,
        "passwordRequired": True,
    }
    [link] = [s for s in owner.call("GET", f"/files/{ready_file['fileId']}").json()["shares"] if s["token"] == token]
    assert link["downloads"] == 0  # unlocking counts no download


def test_a_link_without_a_password_is_described_at_once(owner: Owner, ready_file: dict[str, Any]) -> None:
    [link] = ready_file["shares"]

    info = describe(owner.api, link["token"])

    assert info.status_code == 200
    assert info.json()["name"] == "shared.txt" and info.json()["passwordRequired"] is False


def test_unlocking_shares_the_lockout_with_downloads_and_a_success_resets_it(
    owner: Owner, ready_file: dict[str, Any]
) -> None:
    token = share(owner, ready_file["fileId"], password="correct horse").json()["token"]

    first = [unlock(owner.api, token, password=f"guess {n}") for n in range(4)]
    opened = unlock(owner.api, token, password="correct horse")
    again = [redeem(owner.api, token, password=f"guess {n}") for n in range(5)]
    locked = [unlock(owner.api, token, password="correct horse"), redeem(owner.api, token, password="correct horse")]

    assert [a.status_code for a in first] == [403] * 4
    assert opened.status_code == 200  # and the count of failures starts again
    assert [a.status_code for a in again] == [403] * 5
    assert [(a.status_code, a.json()["error"]["code"]) for a in locked] == [(429, "too_many_attempts")] * 2


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [({}, 400, "invalid_request"), ({"password": ""}, 400, "invalid_request"), ({"pw": "x"}, 400, "invalid_request")],
)
def test_an_unlock_without_a_password_is_a_400(
    owner: Owner, ready_file: dict[str, Any], body: dict[str, Any], status: int, code: str
) -> None:
    token = share(owner, ready_file["fileId"], password="correct horse").json()["token"]

    answer = unlock(owner.api, token, **body)

    assert (answer.status_code, answer.json()["error"]["code"]) == (status, code)


def test_unlocking_a_dead_link_is_the_one_404(owner: Owner, ready_file: dict[str, Any]) -> None:
    created = share(owner, ready_file["fileId"], password="correct horse").json()
    owner.call("DELETE", f"/files/{ready_file['fileId']}/shares/{created['shareId']}")

    revoked = unlock(owner.api, created["token"], password="correct horse")
    unknown = unlock(owner.api, "A" * 43, password="correct horse")
    malformed = unlock(owner.api, "not-a-token", password="correct horse")

    assert [a.status_code for a in (revoked, unknown, malformed)] == [404] * 3
    assert revoked.json() == unknown.json() == malformed.json()


def test_downloads_are_audited_with_the_real_source_ip(
    owner: Owner, ready_file: dict[str, Any], bus: BusRecorder
) -> None:
    [link] = ready_file["shares"]
    headers = {"User-Agent": "audit-test/1.0", "X-Forwarded-For": "203.0.113.9"}

    answer = requests.post(f"{owner.api}/public/shares/{link['token']}/download", json={}, headers=headers, timeout=30)

    assert answer.status_code == 200
    [entry] = owner.call("GET", f"/files/{ready_file['fileId']}/downloads").json()["items"]
    assert entry == {
        "at": entry["at"],
        "shareId": link["shareId"],
        "sourceIp": "127.0.0.1",
        "userAgent": "audit-test/1.0",
    }
    record = owner.call("GET", f"/files/{ready_file['fileId']}").json()
    assert record["downloads"] == 1 and record["shares"][0]["downloads"] == 1
    [event] = bus.events_for(ready_file["fileId"], "FileDownloaded")
    assert event["detail"]["downloads"] == 1 and "sourceIp" not in event["detail"]


def test_another_owner_gets_404_on_every_route(
    local_stack: LocalStack, owner: Owner, ready_file: dict[str, Any]
) -> None:
    intruder = Owner(local_stack)
    file_id, share_id = ready_file["fileId"], ready_file["shares"][0]["shareId"]

    answers = {
        "get": intruder.call("GET", f"/files/{file_id}"),
        "downloads": intruder.call("GET", f"/files/{file_id}/downloads"),
        "share": intruder.call("POST", f"/files/{file_id}/shares", json={}),
        "revoke": intruder.call("DELETE", f"/files/{file_id}/shares/{share_id}"),
        "delete": intruder.call("DELETE", f"/files/{file_id}"),
    }

    assert {name: a.status_code for name, a in answers.items()} == dict.fromkeys(answers, 404)
    still = owner.call("GET", f"/files/{file_id}").json()
    assert still["status"] == "READY" and still["shares"][0]["revoked"] is False
    assert owner.call("DELETE", f"/files/{file_id}/shares/{'0' * 16}").status_code == 404


def test_a_file_stuck_in_processing_can_be_deleted_by_its_owner(owner: Owner, local_stack: LocalStack) -> None:
    # Given two uploads whose workflows wait for a scan result that does not come (GuardDuty's, here),
    # one with a deadline of one second
    with redefined(local_stack, "ProcessUploadStateMachine", {"ScannerEngine": "guardduty"}):
        recent = uploaded(local_stack, owner, owner.upload(b"still being scanned\n", name="recent.txt"))
        wait_until_parked(local_stack, recent.key)
        with reconfigured(local_stack, "DescribeUploadFunction", {"PROCESSING_TIMEOUT_SECONDS": "1"}):
            stuck = uploaded(local_stack, owner, owner.upload(b"stuck for good\n", name="stuck.txt"))
            wait_until_parked(local_stack, stuck.key)  # registered while the deadline is one second
    time.sleep(1.1)

    # Then the one within its deadline cannot be deleted yet, and the answer says when it can
    refused = owner.call("DELETE", f"/files/{recent.file_id}")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "file_processing"
    assert "when it counts as stuck" in refused.json()["error"]["message"]

    # But the one past its deadline can be deleted
    assert owner.call("GET", f"/files/{stuck.file_id}").json()["status"] == "PROCESSING"
    assert owner.call("DELETE", f"/files/{stuck.file_id}").status_code == 204
    assert owner.call("GET", f"/files/{stuck.file_id}").status_code == 404

    # And when the results come after all, the deleted one stays deleted
    for upload in (recent, stuck):
        scan_result(local_stack, upload, "NO_THREATS_FOUND")
    assert owner.wait_until_done(recent.file_id)["status"] == "READY"
    wait_for_executions(local_stack, stuck.key)
    assert file_item(local_stack, stuck.file_id)["status"] == "DELETED"


def uploaded(stack: LocalStack, owner: Owner, file_id: str) -> Uploaded:
    """The object key and version of one of ``owner``'s uploads, once it has arrived (listed, not
    read: the bucket policy refuses reading an object not yet tagged clean, to the admin too)."""
    [version] = [
        v
        for v in stack.client("s3").list_object_versions(Bucket=stack.stack.ref("UploadsBucket"), Prefix="uploads/")[
            "Versions"
        ]
        if v["Key"].endswith(file_id) and v["IsLatest"]
    ]
    key = version["Key"]
    return Uploaded(file_id, key.split("/")[1], key, version["VersionId"])
