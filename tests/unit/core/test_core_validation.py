"""fileshare.core.validation: the arrived object is checked again against what its upload promised."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fileshare.core.content_types import SNIFF_BYTES, TAIL_BYTES
from fileshare.core.validation import (
    ContentFacts,
    UploadFacts,
    check_before_reading,
    inspect_stream,
    validate_upload,
)

OWNER = "0f4a6d1e-1111-2222-3333-444455556666"
LIMIT = 1024
ELF = b"\x7fELF\x02\x01\x01" + bytes(57)
NOTES = b"Meeting notes\n- ship the release\n"


def facts(
    *,
    body: bytes = NOTES,
    metadata_owner: str | None = OWNER,
    name: str = "notes.txt",
    declared_size: int | None = None,
    declared_type: str = "text/plain",
) -> UploadFacts:
    return UploadFacts(
        owner_id=OWNER,
        metadata_owner=metadata_owner,
        declared_name=name,
        declared_size=len(body) if declared_size is None else declared_size,
        declared_type=declared_type,
        stored_size=len(body),  # what S3's HEAD reports for the object
    )


# ------------------------------------------------------------------------------ validate_upload


def test_a_matching_text_file_is_accepted_with_its_real_hash() -> None:
    # Given a text file uploaded exactly as its presigned POST described it
    upload = facts(name="../minutes/notes.txt")

    # When the object that arrived is validated
    result = validate_upload(upload, inspect_stream([NOTES]), max_upload_bytes=LIMIT)

    # Then it is accepted under its sanitized name, with the size and SHA-256 of the bytes themselves
    assert result.accepted
    assert result.code is None and result.reason is None
    assert result.name == "notes.txt"
    assert result.size == len(NOTES)
    assert result.sha256 == hashlib.sha256(NOTES).hexdigest()
    assert result.detected_type == "text/plain"
    assert "code" not in result.to_dict() and result.to_dict()["sha256"] == result.sha256


def test_a_file_of_exactly_the_limit_is_accepted() -> None:
    body = b"x" * LIMIT
    result = validate_upload(facts(body=body), inspect_stream([body]), max_upload_bytes=LIMIT)
    assert result.accepted


@pytest.mark.parametrize("metadata_owner", ["someone-else", None, ""])
def test_an_object_whose_metadata_names_another_owner_is_rejected(metadata_owner: str | None) -> None:
    # Given an object under OWNER's key whose pinned owner metadata is different or missing
    result = validate_upload(facts(metadata_owner=metadata_owner), inspect_stream([NOTES]), max_upload_bytes=LIMIT)

    # Then it is rejected as an owner mismatch
    assert not result.accepted
    assert result.code == "owner_mismatch"


def test_an_object_over_the_limit_is_rejected_as_too_large() -> None:
    body = b"x" * (LIMIT + 1)
    result = validate_upload(facts(body=body), inspect_stream([body]), max_upload_bytes=LIMIT)
    assert not result.accepted
    assert result.code == "too_large"
    assert str(LIMIT) in (result.reason or "")


@pytest.mark.parametrize("declared_size", [len(NOTES) - 1, len(NOTES) + 1, 0])
def test_an_object_of_another_size_than_declared_is_rejected(declared_size: int) -> None:
    result = validate_upload(facts(declared_size=declared_size), inspect_stream([NOTES]), max_upload_bytes=LIMIT)
    assert not result.accepted
    assert result.code == "size_mismatch"


def test_an_executable_declared_as_a_pdf_is_a_type_mismatch() -> None:
    # Given an ELF binary uploaded as "report.pdf" with Content-Type application/pdf
    upload = facts(body=ELF, name="report.pdf", declared_type="application/pdf")

    # When it is validated
    result = validate_upload(upload, inspect_stream([ELF]), max_upload_bytes=LIMIT)

    # Then it is rejected, and the reason says it is executable content
    assert not result.accepted
    assert result.code == "type_mismatch"
    assert "executable" in (result.reason or "")
    assert result.to_dict()["code"] == "type_mismatch" and result.to_dict()["reason"] == result.reason


def test_text_declared_as_an_image_is_a_type_mismatch() -> None:
    result = validate_upload(
        facts(name="photo.png", declared_type="image/png"), inspect_stream([NOTES]), max_upload_bytes=LIMIT
    )
    assert (result.accepted, result.code) == (False, "type_mismatch")


def test_an_empty_file_is_rejected() -> None:
    result = validate_upload(facts(body=b""), inspect_stream([]), max_upload_bytes=LIMIT)
    assert (result.accepted, result.code) == (False, "empty")


def test_rejections_after_reading_report_the_measured_size_and_hash() -> None:
    result = validate_upload(facts(name="notes.exe"), inspect_stream([NOTES]), max_upload_bytes=LIMIT)
    assert result.code == "type_mismatch"
    assert result.size == len(NOTES) and result.sha256 == hashlib.sha256(NOTES).hexdigest()


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (facts(metadata_owner="someone-else"), "owner_mismatch"),
        (facts(body=b"x" * (LIMIT + 1)), "too_large"),
        (facts(declared_size=len(NOTES) + 1), "size_mismatch"),
    ],
)
def test_what_s3s_head_settles_is_refused_before_a_byte_is_read(upload: UploadFacts, code: str) -> None:
    # Given only what S3 says about the object (no content at all)
    result = check_before_reading(upload, max_upload_bytes=LIMIT)

    # Then the refusal is decided, with the size S3 reported and no hash (nothing was read)
    assert result is not None and (result.accepted, result.code) == (False, code)
    assert result.size == upload.stored_size and result.sha256 is None
    assert "sha256" not in result.to_dict()
    assert check_before_reading(facts(), max_upload_bytes=LIMIT) is None


def test_bytes_that_differ_from_what_s3_reported_are_a_size_mismatch() -> None:
    upload = facts()  # S3 said len(NOTES) bytes
    result = validate_upload(upload, inspect_stream([NOTES + b"more"]), max_upload_bytes=LIMIT)
    assert (result.accepted, result.code) == (False, "size_mismatch")


# ------------------------------------------------------------------------------ inspect_stream


@given(st.binary(max_size=70_000), st.integers(min_value=1, max_value=7000))
def test_many_small_chunks_measure_the_same_as_one_chunk(data: bytes, chunk_size: int) -> None:
    # Given the same bytes as one chunk and as many small ones
    whole = inspect_stream([data])
    pieces = inspect_stream(data[i : i + chunk_size] for i in range(0, len(data), chunk_size))

    # Then size, hash and sniffed head are the same, and equal to measuring the bytes directly
    assert pieces == whole
    assert whole.size == len(data)
    assert whole.sha256 == hashlib.sha256(data).hexdigest()
    assert len(whole.head) <= SNIFF_BYTES
    assert whole.head == data[:SNIFF_BYTES]
    assert whole.tail == data[-TAIL_BYTES:]


def test_the_head_stops_at_64_kib_of_a_large_stream_and_the_tail_keeps_the_last_512_bytes() -> None:
    # 64 KiB reach ISO 9660's volume descriptors at 32 KiB; fixed VHDs and DMGs end in a 512-byte trailer
    chunks = [bytes([n]) * 50_000 for n in range(10)]
    measured = inspect_stream(iter(chunks))
    assert measured.size == 500_000
    assert len(measured.head) == SNIFF_BYTES == 64 * 1024
    assert measured.head == b"".join(chunks)[:SNIFF_BYTES]
    assert measured.tail == bytes([9]) * TAIL_BYTES


@pytest.mark.parametrize("chunks", [[], [b""], [b"", b"", b""]])
def test_an_empty_stream_has_size_zero_and_the_hash_of_nothing(chunks: list[bytes]) -> None:
    measured = inspect_stream(iter(chunks))
    assert measured == ContentFacts(size=0, sha256=hashlib.sha256(b"").hexdigest(), head=b"")
