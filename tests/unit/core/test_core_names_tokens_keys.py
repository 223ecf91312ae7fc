"""Names, tokens and keys: the untrusted text and the secrets, over a large input space."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fileshare.core.errors import InvalidUploadKey
from fileshare.core.keys import new_file_id, parse_upload_key, upload_key
from fileshare.core.names import content_disposition, sanitize_name
from fileshare.core.passwords import hash_password, verify_password
from fileshare.core.tokens import hash_token, looks_like_token, mint_share_token

BIDI = {
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
}


@given(st.text(max_size=600))
def test_a_sanitized_name_is_always_safe_to_show_and_store(name: str) -> None:
    safe = sanitize_name(name)
    assert safe and len(safe.encode()) <= 255
    assert "/" not in safe and "\\" not in safe
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in safe)
    assert not BIDI & set(safe)
    assert not re.match(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", safe, re.IGNORECASE)
    assert sanitize_name(safe) == safe


@pytest.mark.parametrize(
    ("given_name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("CON.txt", "_CON.txt"),
        ("...", "file"),
        ("", "file"),
        ("  report  final .pdf ", "report final .pdf"),
        ("a\x00b\x1fc.txt", "abc.txt"),
    ],
)
def test_known_tricks_are_defused(given_name: str, expected: str) -> None:
    assert sanitize_name(given_name) == expected


def test_a_long_name_is_cut_but_keeps_its_extension() -> None:
    safe = sanitize_name("報" * 1000 + ".pdf")
    assert safe.endswith(".pdf") and len(safe.encode()) <= 255


@given(st.text(min_size=1, max_size=300))
def test_content_disposition_is_an_ascii_attachment_that_round_trips(name: str) -> None:
    header = content_disposition(name)
    assert header.startswith('attachment; filename="')
    header.encode("ascii")  # raises if not ASCII
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == sanitize_name(name)


def test_tokens_carry_256_bits_and_only_their_hash_is_a_key() -> None:
    tokens = {mint_share_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(looks_like_token(t) and len(t) == 43 for t in tokens)  # 43 url-safe chars = 256 bits
    hashes = {hash_token(t) for t in tokens}
    assert len(hashes) == 1000 and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes)


@pytest.mark.parametrize("junk", ["", "short", "x" * 44, "a/b" * 15, "é" * 43])
def test_junk_is_not_a_token(junk: str) -> None:
    assert not looks_like_token(junk)


@given(st.from_regex(r"[A-Za-z0-9-]{1,40}", fullmatch=True))
def test_upload_keys_round_trip(owner: str) -> None:
    file_id = new_file_id()
    key = upload_key(owner, file_id)
    assert parse_upload_key(str(key)) == key
    assert str(key) == f"uploads/{owner}/{file_id}"


@pytest.mark.parametrize(
    "key", ["other/x/" + "0" * 32, "uploads/x", "uploads/x/y/z", "uploads/../" + "0" * 32, "uploads/o/" + "G" * 32]
)
def test_keys_we_never_issue_are_refused(key: str) -> None:
    with pytest.raises(InvalidUploadKey):
        parse_upload_key(key)


def test_passwords_are_stored_as_salted_scrypt_and_verified_in_constant_time() -> None:
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt$") and "correct horse" not in stored
    assert hash_password("correct horse") != stored  # salted
    assert verify_password("correct horse", stored)
    assert not verify_password("correct hors", stored)
    assert not verify_password("x", "not-a-hash")
