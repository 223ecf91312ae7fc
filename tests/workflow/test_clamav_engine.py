"""The ClamAV engine (Debian's clamscan with the project's test signatures), chosen by
configuration. CI installs clamav; on a machine without it these tests are skipped, saying so."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from devstack.stack import LocalStack
from tests.corpus import zip_of
from tests.stack_support import eicar, put_upload, reconfigured, wait_for_status

pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(shutil.which("clamscan") is None, reason="clamscan is not installed (apt-get install clamav)"),
]


@pytest.fixture
def clamav(local_stack: LocalStack) -> Iterator[LocalStack]:
    with reconfigured(local_stack, "ScanUploadFunction", {"SCANNER_ENGINE": "clamav"}):
        yield local_stack


@pytest.mark.parametrize(
    ("name", "body", "content_type", "status", "signature"),
    [
        ("eicar.txt", eicar(), "text/plain", "INFECTED", "Fileshare.Test.EICAR-1"),
        (
            "nested.zip",
            zip_of({"inner.zip": zip_of({"x/eicar.txt": eicar()})}),
            "application/zip",
            "INFECTED",
            "Fileshare.Test.EICAR-1",
        ),
        ("clean.txt", b"nothing to see\n", "text/plain", "READY", ""),
    ],
    ids=["eicar", "eicar-in-nested-zip", "clean"],
)
def test_clamav_finds_the_test_signature(  # noqa: PLR0917 - pytest passes parameters positionally
    clamav: LocalStack, owner_id: str, name: str, body: bytes, content_type: str, status: str, signature: str
) -> None:
    upload = put_upload(clamav, owner_id, body, name=name, content_type=content_type)

    record = wait_for_status(clamav, upload.file_id)

    assert record["status"] == status
    assert signature in record.get("reason", "")
