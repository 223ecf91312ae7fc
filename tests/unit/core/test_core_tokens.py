"""fileshare.core.tokens and passwords: share links carry 256 random bits and only their SHA-256 is
stored; a link's password is stored only as a salted scrypt hash."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fileshare.core.passwords import hash_password, verify_password
from fileshare.core.tokens import hash_token, looks_like_token, mint_share_token

URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
TOKEN_SHAPED = st.text(alphabet=URL_SAFE, min_size=43, max_size=43)


def test_minted_tokens_are_url_safe_256_bit_secrets() -> None:
    # When many share tokens are minted
    tokens = [mint_share_token() for _ in range(500)]

    # Then each one passes the shape check the download route applies, fits in a URL as is,
    # and decodes to 32 random bytes (43 url-safe characters = 256 bits, far above 128)
    for token in tokens:
        assert looks_like_token(token)
        assert len(token) == 43 and set(token) <= set(URL_SAFE)
        assert len(base64.urlsafe_b64decode(token + "=")) == 32
    # and no two links are the same
    assert len(set(tokens)) == len(tokens)


@given(TOKEN_SHAPED, TOKEN_SHAPED)
def test_a_token_hash_is_64_hex_stable_and_distinct_per_token(first: str, second: str) -> None:
    assume(first != second)

    first_hash = hash_token(first)

    # The stored key is the SHA-256 of the token, so a lookup finds the same share every time
    assert re.fullmatch(r"[0-9a-f]{64}", first_hash)
    assert first_hash == hash_token(first) == hashlib.sha256(first.encode("ascii")).hexdigest()
    # and another token never finds it
    assert hash_token(second) != first_hash
    assert first not in first_hash


@given(TOKEN_SHAPED)
def test_every_well_shaped_token_passes_the_shape_check(token: str) -> None:
    assert looks_like_token(token)


@given(st.text(max_size=60))
def test_anything_else_fails_the_shape_check(value: str) -> None:
    assume(not re.fullmatch(r"[A-Za-z0-9_-]{43}", value))
    assert not looks_like_token(value)


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "short",
        "x" * 42,
        "x" * 44,
        "a/b" * 15,
        "é" * 43,
        "x" * 42 + "=",
        "x" * 43 + "\n",  # a trailing newline must not slip through to a table lookup
        "\n" + "x" * 43,
        " " + "x" * 43,
    ],
)
def test_junk_is_not_a_token(junk: str) -> None:
    assert not looks_like_token(junk)


def test_passwords_are_stored_as_salted_scrypt_and_verified_in_constant_time() -> None:
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt$") and "correct horse" not in stored
    assert hash_password("correct horse") != stored  # salted
    assert verify_password("correct horse", stored)
    assert not verify_password("correct hors", stored)
    assert not verify_password("x", "not-a-hash")
