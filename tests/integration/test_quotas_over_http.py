"""Quotas as a person meets them over HTTP: GET /me shows usage and limits, POST /uploads answers
413 and 429 past them with a sentence, links per file stop at their limit, revoked links stay
listed without their token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from devstack.stack import LocalStack
from tests.integration.test_upload_to_download import Owner
from tests.stack_support import reconfigured

pytestmark = pytest.mark.stack


@pytest.fixture
def owner(local_stack: LocalStack) -> Owner:
    return Owner(local_stack)


@pytest.fixture
def small_quota(local_stack: LocalStack) -> Iterator[None]:
    """300 bytes and 3 uploads an hour, for the API and the workflow alike."""
    limits = {"MAX_BYTES_STORED": "300", "MAX_UPLOADS_PER_HOUR": "3"}
    with (
        reconfigured(local_stack, "UploadsApiFunction", limits),
        reconfigured(local_stack, "AdmitUploadFunction", limits),
        reconfigured(local_stack, "FilesApiFunction", limits),
    ):
        yield


def plan(owner: Owner, size: int) -> tuple[int, dict[str, Any]]:
    answer = owner.call("POST", "/uploads", json={"name": "a.txt", "size": size, "contentType": "text/plain"})
    return answer.status_code, answer.json()


@pytest.mark.usefixtures("small_quota")
def test_me_shows_usage_and_uploads_stop_at_the_storage_quota(owner: Owner) -> None:
    # Given an owner with nothing stored
    assert owner.call("GET", "/me").json() == {
        "usage": {"bytesStored": 0, "uploadsLastHour": 0},
        "limits": {"maxBytesStored": 300, "maxUploadsPerHour": 3, "maxUploadBytes": 1048576, "maxSharesPerFile": 20},
        "notifications": {"uploadProblems": False},
    }

    # When they store 200 bytes
    owner.wait_until_done(owner.upload(b"x" * 200, name="a.txt"))

    # Then GET /me counts them, and a file that would not fit is refused before any upload
    assert owner.call("GET", "/me").json()["usage"] == {"bytesStored": 200, "uploadsLastHour": 1}
    status, refused = plan(owner, 101)
    assert (status, refused["error"]["code"]) == (413, "quota_exceeded")
    assert refused["error"]["message"] == (
        "This file (101 bytes) does not fit in your storage: you use 200 bytes of 300 bytes. "
        "Delete some files to make room."
    )
    assert plan(owner, 100)[0] == 201


@pytest.mark.usefixtures("small_quota")
def test_uploads_stop_at_the_hourly_limit_and_say_when_to_come_back(owner: Owner) -> None:
    for n in range(3):
        owner.wait_until_done(owner.upload(f"{n}\n".encode(), name=f"{n}.txt"))

    status, refused = plan(owner, 1)

    assert (status, refused["error"]["code"]) == (429, "upload_rate_exceeded")
    assert refused["error"]["message"].startswith(
        "You have started 3 uploads in the last hour, the most allowed (3). Try again in about 6"
    )
    assert owner.call("GET", "/me").json()["usage"]["uploadsLastHour"] == 3


def test_deleting_a_file_gives_its_bytes_back(owner: Owner) -> None:
    file_id = owner.upload(b"y" * 123, name="b.txt")
    owner.wait_until_done(file_id)
    assert owner.call("GET", "/me").json()["usage"]["bytesStored"] == 123

    assert owner.call("DELETE", f"/files/{file_id}").status_code == 204

    assert owner.call("GET", "/me").json()["usage"] == {"bytesStored": 0, "uploadsLastHour": 1}


def test_a_file_gets_no_more_links_than_its_limit_and_revoked_ones_show_no_token(
    owner: Owner, local_stack: LocalStack
) -> None:
    file_id = owner.upload(b"shared\n", name="s.txt")
    [default] = owner.wait_until_done(file_id)["shares"]
    with reconfigured(local_stack, "SharesApiFunction", {"MAX_SHARES_PER_FILE": "2"}):
        assert owner.call("POST", f"/files/{file_id}/shares", json={}).status_code == 201
        refused = owner.call("POST", f"/files/{file_id}/shares", json={})
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "share_limit_reached"
        assert refused.json()["error"]["message"] == (
            "This file already has 2 links, the most a file may have "
            "(revoked ones and links to several files count too)."
        )
        assert owner.call("DELETE", f"/files/{file_id}/shares/{default['shareId']}").status_code == 204
        assert owner.call("POST", f"/files/{file_id}/shares", json={}).status_code == 409

    listed = {s["shareId"]: s for s in owner.call("GET", f"/files/{file_id}").json()["shares"]}
    assert listed[default["shareId"]]["revoked"] is True
    assert "token" not in listed[default["shareId"]] and "url" not in listed[default["shareId"]]
    assert all("token" in s for s in listed.values() if not s["revoked"])
