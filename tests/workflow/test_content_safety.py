"""Every sample of the content-safety corpus ends in its expected terminal state, and only READY
files can be downloaded."""

from __future__ import annotations

import base64

import pytest
import requests

from devstack.stack import LocalStack
from tests.corpus import Sample, corpus, zip_of
from tests.stack_support import eicar, put_upload, reconfigured, share_items, wait_for_executions, wait_for_status

pytestmark = pytest.mark.stack


@pytest.mark.parametrize("sample", corpus(), ids=lambda s: s.name)
def test_each_sample_ends_in_its_expected_state(local_stack: LocalStack, owner_id: str, sample: Sample) -> None:
    upload = put_upload(local_stack, owner_id, sample.body, name=sample.name, content_type=sample.content_type)

    record = wait_for_status(local_stack, upload.file_id)

    assert record["status"] == sample.status, record.get("reason")
    assert sample.reason in record.get("reason", "")
    shares = share_items(local_stack, upload.file_id)
    if sample.status != "READY":
        assert shares == []  # nothing to redeem: never downloadable
        return
    [share] = shares
    assert "/" not in record["name"] and "\u202e" not in record["name"]
    tags = local_stack.client("s3").get_object_tagging(
        Bucket=local_stack.stack.ref("UploadsBucket"), Key=upload.key, VersionId=upload.version_id
    )["TagSet"]
    assert tags == [{"Key": "verdict", "Value": "clean"}]
    assert share["fileId"] == upload.file_id


@pytest.mark.parametrize(
    ("name", "body", "content_type", "served_as"),
    [
        ("page.html", b"<!DOCTYPE html><script>alert(1)</script>", "text/html", "application/octet-stream"),
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
            "application/octet-stream",
        ),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(24), "image/png", "image/png"),
    ],
)
def test_active_content_is_always_served_as_an_inert_attachment(  # noqa: PLR0917 - pytest passes parameters positionally
    local_stack: LocalStack, owner_id: str, name: str, body: bytes, content_type: str, served_as: str
) -> None:
    upload = put_upload(local_stack, owner_id, body, name=name, content_type=content_type)
    wait_for_status(local_stack, upload.file_id)
    [share] = share_items(local_stack, upload.file_id)
    token = (
        local_stack.client("kms")
        .decrypt(
            CiphertextBlob=base64.b64decode(share["tokenCiphertext"]),
            EncryptionContext={"fileId": share["fileId"], "shareId": share["shareId"]},
        )["Plaintext"]
        .decode()
    )

    link = requests.post(f"{local_stack.api_url}/public/shares/{token}/download", json={}, timeout=30).json()
    download = requests.get(link["url"], timeout=10)

    assert download.headers["Content-Type"] == served_as
    assert download.headers["Content-Disposition"].startswith("attachment;")


def test_markup_can_be_refused_by_configuration(local_stack: LocalStack, owner_id: str) -> None:
    allowed = {"ALLOWED_CONTENT": "documents,images,audio,video,archives"}
    with reconfigured(local_stack, "ValidateUploadFunction", allowed):
        svg = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
        upload = put_upload(local_stack, owner_id, svg, name="x.svg", content_type="image/svg+xml")
        record = wait_for_status(local_stack, upload.file_id)

    assert record["status"] == "REJECTED"
    assert "markup are not allowed" in record["reason"]


def test_an_archive_of_5000_infected_members_ends_infected_not_stuck(local_stack: LocalStack, owner_id: str) -> None:
    # Given 5,000 EICAR files inside an archive with a 200-character name: one signature each, every
    # one naming the member, would be over a megabyte of workflow state (Step Functions allows 256 KB)
    inner = zip_of({f"e{n}.txt": eicar() for n in range(5000)})
    body = zip_of({"x" * 200 + ".zip": inner})
    assert len(body) <= 1024 * 1024  # the test stack's MaxUploadBytes

    # When it is uploaded, with the entry limit raised so that every member is scanned
    with reconfigured(local_stack, "ScanUploadFunction", {"ARCHIVE_MAX_MEMBERS": "6000"}):
        upload = put_upload(local_stack, owner_id, body, name="many.zip", content_type="application/zip")
        record = wait_for_status(local_stack, upload.file_id, timeout=240)
        [execution] = wait_for_executions(local_stack, upload.key)

    # Then it ends INFECTED, naming a signature, and the execution succeeded
    assert record["status"] == "INFECTED", record.get("reason")
    assert record["reason"].startswith("malware found: EICAR_Test_File in ")
    assert len(record["reason"]) <= 600
    assert execution["status"] == "SUCCEEDED"
