"""fileshare.core.store page tokens: a ``nextToken`` resumes the caller's own listing and nobody else's,
and any tampered token is a clean 400 (BadPageToken), never a crash."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fileshare.core.records import owner_gsi1pk
from fileshare.core.store import BadPageToken, decode_page_token, encode_page_token, from_attribute_values

OWNERS = st.uuids().map(str)
KEY_TEXT = st.text(min_size=1, max_size=60)


def last_key(owner_id: str, file_id: str, created_at: str) -> dict[str, Any]:
    """The LastEvaluatedKey DynamoDB returns when listing an owner's files on gsi1."""
    return {
        "pk": {"S": f"FILE#{file_id}"},
        "sk": {"S": "FILE"},
        "gsi1pk": {"S": owner_gsi1pk(owner_id)},
        "gsi1sk": {"S": f"{created_at}#{file_id}"},
    }


def token_of(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@given(OWNERS, KEY_TEXT, KEY_TEXT)
def test_a_page_token_resumes_the_same_listing(owner: str, file_id: str, created_at: str) -> None:
    # Given the key where a page of the owner's files ended
    key = last_key(owner, file_id, created_at)

    # When it is handed out as nextToken and comes back on the next request
    token = encode_page_token(key)

    # Then it fits in a query string as is, and decodes to the same key
    assert re.fullmatch(r"[A-Za-z0-9_-]*", token)
    assert decode_page_token(token, owner_gsi1pk(owner)) == key


@given(OWNERS, OWNERS, KEY_TEXT, KEY_TEXT)
def test_another_owners_page_token_is_refused(owner: str, intruder: str, file_id: str, created_at: str) -> None:
    assume(owner != intruder)
    token = encode_page_token(last_key(owner, file_id, created_at))

    with pytest.raises(BadPageToken):
        decode_page_token(token, owner_gsi1pk(intruder))


def test_the_refusal_says_the_token_belongs_to_another_listing() -> None:
    token = encode_page_token(last_key("alice", "f1", "2026-01-01T00:00:00.000Z"))
    with pytest.raises(BadPageToken, match="does not belong to this listing"):
        decode_page_token(token, owner_gsi1pk("mallory"))


MINE = owner_gsi1pk("alice")


@pytest.mark.parametrize(
    "token",
    [
        "",
        "!!!not base64!!!",
        "bm90IGpzb24",  # "not json"
        token_of(["a", "list"]),
        token_of("a string"),
        token_of(None),
        token_of({"gsi1pk": MINE}),  # the attribute value without its {"S": ...} wrapper
        token_of({"gsi1pk": [MINE]}),
        token_of({"gsi1pk": {"S": MINE}}),  # the other key attributes missing
        token_of({**last_key("alice", "f", "t"), "extra": {"S": "x"}}),
        token_of({**last_key("alice", "f", "t"), "pk": {"N": "1"}}),
        token_of({**last_key("alice", "f", "t"), "sk": "FILE"}),
        token_of({**last_key("alice", "f", "t"), "gsi1sk": {"S": 5}}),
        base64.urlsafe_b64encode(b"[" * 2000).decode(),  # nested too deeply for the JSON parser
    ],
)
def test_a_malformed_page_token_is_a_bad_page_token(token: str) -> None:
    with pytest.raises(BadPageToken):
        decode_page_token(token, MINE)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=12,
)
KEYISH = st.fixed_dictionaries(
    {},
    optional={
        "pk": JSON | st.builds(lambda v: {"S": v}, JSON),
        "sk": JSON | st.builds(lambda v: {"S": v}, JSON),
        "gsi1pk": JSON | st.just({"S": MINE}) | st.just(MINE) | st.builds(lambda v: {"S": v}, JSON),
        "gsi1sk": JSON | st.builds(lambda v: {"S": v}, JSON),
    },
)


@given(st.one_of(JSON, KEYISH).map(token_of) | st.text(max_size=80))
def test_any_token_either_decodes_into_the_callers_partition_or_is_refused(token: str) -> None:
    try:
        key = decode_page_token(token, MINE)
    except BadPageToken:
        return
    assert key["gsi1pk"] == {"S": MINE}
    assert set(key) == {"pk", "sk", "gsi1pk", "gsi1sk"}


def test_a_string_set_reads_as_a_sorted_list_so_an_item_is_json_as_it_is() -> None:
    # GET /ops/files/{id} answers the file item as stored; a set would not serialise (a 500)
    item = from_attribute_values({"pk": {"S": "FILE#1"}, "shareKeys": {"SS": ["SHARE#b", "SHARE#a"]}})
    assert item["shareKeys"] == ["SHARE#a", "SHARE#b"]
    assert json.loads(json.dumps(item)) == item
