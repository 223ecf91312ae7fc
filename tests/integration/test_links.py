"""Links to several files over HTTP: one link, every file, one download counted per redemption;
files deleted later drop out; only the owner's own READY files; bad input never a 5xx."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import requests

from devstack.stack import LocalStack
from tests.integration.test_client import Terminal
from tests.integration.test_sharing import describe, redeem, unlock
from tests.integration.test_upload_to_download import Owner
from tests.stack_support import eicar

pytestmark = pytest.mark.stack


@pytest.fixture
def owner(local_stack: LocalStack) -> Owner:
    return Owner(local_stack)


@pytest.fixture
def three_files(owner: Owner) -> list[dict[str, Any]]:
    """Three READY files, uploaded one after another, with the bytes each holds."""
    made = []
    for n, name in enumerate(["report.pdf.txt", "photo notes.txt", "data.csv"]):
        body = f"file {n}: {name}\n".encode() * (n + 1)
        record = owner.wait_until_done(owner.upload(body, name=name))
        assert record["status"] == "READY"
        made.append({**record, "body": body})
    return made


def create_link(owner: Owner, file_ids: list[str], **options: Any) -> requests.Response:
    return owner.call("POST", "/shares", json={"fileIds": file_ids, **options})


def test_one_redemption_gives_every_file_and_the_limit_counts_per_link(
    owner: Owner, three_files: list[dict[str, Any]]
) -> None:
    ids = [f["fileId"] for f in three_files]
    created = create_link(owner, ids, maxDownloads=1)
    assert created.status_code == 201, created.text
    link = created.json()
    assert [f["fileId"] for f in link["files"]] == ids and link["maxDownloads"] == 1

    details = describe(owner.api, link["token"]).json()
    first = redeem(owner.api, link["token"])
    second = redeem(owner.api, link["token"])

    assert [(f["name"], f["size"]) for f in details["files"]] == [(f["name"], len(f["body"])) for f in three_files]
    assert details["downloadsLeft"] == 1
    assert first.status_code == 200 and second.status_code == 404
    granted = first.json()["files"]
    assert [g["fileId"] for g in granted] == ids
    for grant, original in zip(granted, three_files, strict=True):
        fetched = requests.get(grant["url"], timeout=10)
        assert fetched.content == original["body"]
        assert grant["sha256"] == hashlib.sha256(original["body"]).hexdigest()
        assert fetched.headers["Content-Disposition"].startswith("attachment;")
    assert describe(owner.api, link["token"]).status_code == 404  # used up: the one 404
    [listed] = owner.call("GET", "/shares").json()["items"]
    assert listed["shareId"] == link["shareId"] and listed["downloads"] == 1
    for file_id in ids:  # every file's audit shows the one redemption
        [audit] = owner.call("GET", f"/files/{file_id}/downloads").json()["items"]
        assert audit["shareId"] == link["shareId"]


def test_a_password_link_to_several_files_shows_nothing_before_it_and_locks_after_five_guesses(
    owner: Owner, three_files: list[dict[str, Any]]
) -> None:
    token = create_link(owner, [f["fileId"] for f in three_files[:2]], password="correct horse").json()["token"]

    before = describe(owner.api, token).json()
    guesses = [unlock(owner.api, token, password=f"guess {n}") for n in range(5)]
    locked = redeem(owner.api, token, password="correct horse")

    assert set(before) == {"passwordRequired", "expiresAt"}
    assert [g.status_code for g in guesses] == [403] * 5
    assert (locked.status_code, locked.json()["error"]["code"]) == (429, "too_many_attempts")


def test_the_right_password_opens_every_file(owner: Owner, three_files: list[dict[str, Any]]) -> None:
    token = create_link(owner, [f["fileId"] for f in three_files], password="correct horse").json()["token"]

    unlocked = unlock(owner.api, token, password="correct horse").json()
    granted = redeem(owner.api, token, password="correct horse").json()["files"]

    assert [f["name"] for f in unlocked["files"]] == [f["name"] for f in three_files]
    assert [requests.get(g["url"], timeout=10).content for g in granted] == [f["body"] for f in three_files]


def test_deleting_a_file_shrinks_the_link_and_deleting_all_kills_it(
    owner: Owner, three_files: list[dict[str, Any]]
) -> None:
    ids = [f["fileId"] for f in three_files]
    token = create_link(owner, ids).json()["token"]

    assert owner.call("DELETE", f"/files/{ids[1]}").status_code == 204
    shrunk = describe(owner.api, token).json()
    granted = redeem(owner.api, token).json()["files"]
    [listed] = owner.call("GET", "/shares").json()["items"]

    assert [f["fileId"] for f in shrunk["files"]] == [ids[0], ids[2]]
    assert [g["fileId"] for g in granted] == [ids[0], ids[2]]
    assert [f["fileId"] for f in listed["files"]] == [ids[0], ids[2]]

    for file_id in (ids[0], ids[2]):
        assert owner.call("DELETE", f"/files/{file_id}").status_code == 204
    dead = [describe(owner.api, token), redeem(owner.api, token), unlock(owner.api, token, password="whatever")]
    assert [d.status_code for d in dead] == [404] * 3
    assert dead[0].json() == describe(owner.api, "A" * 43).json()  # the same 404 as a link that never was


def test_another_owners_file_or_a_file_not_ready_cannot_be_put_in_a_link(
    local_stack: LocalStack, owner: Owner, three_files: list[dict[str, Any]]
) -> None:
    intruder = Owner(local_stack)
    theirs = intruder.wait_until_done(intruder.upload(b"not yours\n", name="theirs.txt"))["fileId"]
    infected = owner.wait_until_done(owner.upload(eicar(), name="eicar.txt"))
    mine = [f["fileId"] for f in three_files[:2]]

    foreign = create_link(owner, [*mine, theirs])
    not_ready = create_link(owner, [*mine, infected["fileId"]])
    stolen = create_link(intruder, [theirs, *mine])

    assert (foreign.status_code, foreign.json()["error"]["code"]) == (404, "not_found")
    assert theirs in foreign.json()["error"]["message"]
    assert (not_ready.status_code, not_ready.json()["error"]["code"]) == (409, "file_not_ready")
    assert stolen.status_code == 404
    assert owner.call("GET", "/shares").json()["items"] == []
    assert intruder.call("GET", "/shares").json()["items"] == []


def test_only_the_owner_revokes_a_link_and_it_stops_at_once(
    local_stack: LocalStack, owner: Owner, three_files: list[dict[str, Any]]
) -> None:
    link = create_link(owner, [f["fileId"] for f in three_files[:2]]).json()
    intruder = Owner(local_stack)

    refused = intruder.call("DELETE", f"/shares/{link['shareId']}")
    revoked = owner.call("DELETE", f"/shares/{link['shareId']}")

    assert refused.status_code == 404 and revoked.status_code == 204
    assert describe(owner.api, link["token"]).status_code == 404
    [listed] = owner.call("GET", "/shares").json()["items"]
    assert listed["revoked"] is True and "token" not in listed and "url" not in listed
    assert owner.call("DELETE", f"/shares/{link['shareId']}").status_code == 204  # revoking again changes nothing


def test_bad_link_input_gets_a_clear_4xx_never_a_5xx(owner: Owner, three_files: list[dict[str, Any]]) -> None:
    ids = [f["fileId"] for f in three_files]
    bodies: list[Any] = [
        {},
        {"fileIds": []},
        {"fileIds": ids[:1]},
        {"fileIds": [ids[0], ids[0]]},
        {"fileIds": [*ids, *([f"{n:032x}" for n in range(48)])]},  # 51 ids
        {"fileIds": [ids[0], "not-a-file-id"]},
        {"fileIds": ids[0]},
        {"fileIds": ids, "shareId": "x"},
        {"fileIds": ids, "password": "short"},
        {"fileIds": ids, "maxDownloads": 0},
        {"fileIds": ids, "expiresInSeconds": 10**9},
        [ids],
        "fileIds",
    ]
    answers = [owner.call("POST", "/shares", json=body) for body in bodies]
    answers.append(owner.call("POST", "/shares", data="{not json", headers={"Content-Type": "application/json"}))
    answers += [
        owner.call("GET", "/shares?limit=0"),
        owner.call("GET", "/shares?nextToken=bm9wZQ"),
        owner.call("DELETE", "/shares/not-a-share"),
        owner.call("DELETE", f"/shares/{'0' * 16}"),
    ]

    statuses = [a.status_code for a in answers]
    assert statuses == [400] * 14 + [400, 400, 404, 404], [a.text for a in answers]
    assert "less than or equal to 50 items" in answers[4].json()["error"]["message"]  # the cap, in words
    assert "unique" in answers[3].json()["error"]["message"]
    assert [f["fileId"] for f in three_files] == ids and owner.call("GET", "/shares").json()["items"] == []


def test_the_terminal_client_saves_every_file_of_a_link_with_one_download(
    owner: Owner, three_files: list[dict[str, Any]], tmp_path: Path
) -> None:
    link = create_link(owner, [f["fileId"] for f in three_files], maxDownloads=1).json()
    recipient = Terminal(tmp_path)

    got = recipient.json("get", link["url"])
    again = recipient.run("get", link["url"], "--force")

    assert [(tmp_path / f["path"]).read_bytes() for f in got["files"]] == [f["body"] for f in three_files]
    assert all(f["verified"] for f in got["files"])
    assert [Path(f["path"]).name for f in got["files"]] == [f["name"] for f in three_files]
    assert again.returncode == 4  # the one download is used: a dead link
