"""fileshare.core.keys: an upload's object key names its owner and file id, and only keys we issue parse."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fileshare.core.errors import InvalidUploadKey
from fileshare.core.keys import new_file_id, parse_upload_key, upload_key

OWNER_IDS = st.from_regex(r"[A-Za-z0-9-]{1,128}", fullmatch=True)
FILE_IDS = st.binary(min_size=16, max_size=16).map(bytes.hex)
VALID_FILE_ID = "0123456789abcdef0123456789abcdef"


@given(OWNER_IDS, FILE_IDS)
def test_an_issued_key_parses_back_to_its_owner_and_file(owner: str, file_id: str) -> None:
    # Given the key an upload is told to use
    key = upload_key(owner, file_id)

    # When the workflow reads the key of the object that arrived
    parsed = parse_upload_key(str(key))

    # Then it recovers exactly that owner and file
    assert parsed == key
    assert (parsed.owner_id, parsed.file_id) == (owner, file_id)
    assert str(key) == f"uploads/{owner}/{file_id}"


NOISE = st.one_of(
    st.sampled_from(["", "\n", "\r\n", " ", "/", "//", "/..", "../", "x", "%2F", "\x00"]), st.text(max_size=3)
)


@given(NOISE, OWNER_IDS, FILE_IDS, NOISE)
def test_a_key_that_parses_is_exactly_the_key_it_names(prefix: str, owner: str, file_id: str, suffix: str) -> None:
    # Given a key that is an issued key with something around it
    key = f"{prefix}uploads/{owner}/{file_id}{suffix}"

    # When it is parsed, then either it is refused, or it is the very key of a well-formed owner and
    # file id (the workflow files the object under these ids, so they must be ones we could issue)
    try:
        parsed = parse_upload_key(key)
    except InvalidUploadKey:
        return
    assert str(parsed) == key
    assert re.fullmatch(r"[A-Za-z0-9-]{1,128}", parsed.owner_id)
    assert re.fullmatch(r"[0-9a-f]{32}", parsed.file_id)


def test_file_ids_are_fresh_128_bit_hex() -> None:
    ids = [new_file_id() for _ in range(1000)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    "key",
    [
        f"other/owner/{VALID_FILE_ID}",
        "uploads/owner",
        f"uploads/{VALID_FILE_ID}",
        f"uploads/owner/{VALID_FILE_ID}/extra",
        f"uploads/owner/{VALID_FILE_ID}/",
        f"uploads//{VALID_FILE_ID}",
        f"uploads/../{VALID_FILE_ID}",
        f"uploads/a/../b/{VALID_FILE_ID}",
        f"uploads/owner/{VALID_FILE_ID.upper()}",
        f"uploads/owner/{'G' * 32}",  # not hex at all
        "uploads/x/y/z",
        f"uploads/owner/{VALID_FILE_ID[:-1]}",
        f"uploads/owner/{VALID_FILE_ID}0",
        f"uploads/owner/{VALID_FILE_ID}\n",
        f"uploads/owner\n/{VALID_FILE_ID}",
        f"/uploads/owner/{VALID_FILE_ID}",
        f"uploads/own er/{VALID_FILE_ID}",
        f"uploads/{'o' * 129}/{VALID_FILE_ID}",
        "",
    ],
)
def test_keys_we_never_issue_are_refused(key: str) -> None:
    with pytest.raises(InvalidUploadKey):
        parse_upload_key(key)


@pytest.mark.parametrize(
    ("owner", "file_id"),
    [
        ("", VALID_FILE_ID),
        ("../etc", VALID_FILE_ID),
        ("a/b", VALID_FILE_ID),
        ("o" * 129, VALID_FILE_ID),
        ("owner\n", VALID_FILE_ID),
        ("owner", VALID_FILE_ID.upper()),
        ("owner", VALID_FILE_ID + "\n"),
        ("owner", "../" + VALID_FILE_ID[3:]),
    ],
)
def test_a_key_is_never_made_from_bad_parts(owner: str, file_id: str) -> None:
    with pytest.raises(ValueError, match=r"not an? (owner|file) id"):
        upload_key(owner, file_id)
