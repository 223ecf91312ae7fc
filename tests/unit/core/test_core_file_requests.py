"""fileshare.core.file_requests: what a request asks, what an uploader sees, and the order in which a
ticket is judged (everything that can refuse a file before one of the request's files is taken)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fileshare.core import aws, clock
from fileshare.core.commands import CommandFailed
from fileshare.core.errors import (
    Forbidden,
    InvalidRequest,
    NotFound,
    QuotaExceeded,
    TooManyAttempts,
    UploadRateExceeded,
    UploadTooLarge,
)
from fileshare.core.file_requests import (
    MAX_UPLOADER_NAME,
    RequestLimits,
    RequestLookup,
    TicketRequest,
    clean_text,
    create_request_input,
    issue_ticket,
    public_view,
    uploaded_file,
    uploader_view,
)
from fileshare.core.lockout import PasswordPolicy
from fileshare.core.passwords import hash_password, verify_password
from fileshare.core.quota import QuotaLimits, Usage
from fileshare.core.records import FileRecord, RequestRecord
from fileshare.core.tokens import hash_token
from fileshare.core.uploads import UploadLimits
from tests.unit.core.test_core_records import NOW, a_file

TOKEN = "UmVxdWVzdC10b2tlbi1vZi1mb3J0eS10aHJlZS1jaGE"
OWNER = "0f4a6d1e-1111-2222-3333-444455556666"
LIMITS = RequestLimits(default_ttl_seconds=604800, max_ttl_seconds=2592000, max_upload_bytes=1000)
UPLOADS = UploadLimits(
    max_upload_bytes=1000, single_post_max_bytes=500, part_bytes=100, post_ttl_seconds=600, multipart_ttl_seconds=3600
)
QUOTA = QuotaLimits(max_bytes_stored=10_000, max_uploads_per_hour=60)
POLICY = PasswordPolicy(max_attempts=5, lock_seconds=900)


@pytest.fixture(autouse=True)
def offline_credentials(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A ticket presigns a POST, which needs credentials but no server."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    aws.client.cache_clear()
    yield
    aws.client.cache_clear()


def a_request(**changes: Any) -> RequestRecord:
    record = RequestRecord(
        request_id="0123456789abcdef",
        owner_id=OWNER,
        title="Receipts",
        token_hash=hash_token(TOKEN),
        token_ciphertext="Y2lwaGVy",
        created_at=clock.to_iso(NOW - timedelta(hours=1)),
        expires_at=clock.to_iso(NOW + timedelta(days=1)),
        max_bytes=500,
    )
    return record._replace(**changes)


class Index:
    def __init__(self, request: RequestRecord, files: dict[str, FileRecord] | None = None) -> None:
        self.request = request
        self.files = files or {}

    def get_request(self, token_hash: str) -> RequestRecord | None:
        return self.request if token_hash == self.request.token_hash else None

    def get_file(self, file_id: str) -> FileRecord | None:
        return self.files.get(file_id)


class Workflow:
    """The redeem-request workflow as the API sees it: records each command; may refuse."""

    def __init__(self, refuse: dict[str, str] | None = None) -> None:
        self.modes: list[str] = []
        self.refuse = refuse or {}

    def __call__(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.modes.append(payload["mode"])
        if payload["mode"] in self.refuse:
            raise CommandFailed(self.refuse[payload["mode"]], "", "arn:aws:states:x")
        return {}


def ticket_for(request: RequestRecord, workflow: Workflow, usage: Usage | None = None, **body: Any) -> dict[str, Any]:
    values = {"name": "a.txt", "size": 100, "content_type": "text/plain", **body}
    return issue_ticket(
        lookup=RequestLookup(Index(request)),
        run=workflow,
        usage_of=lambda owner_id: usage or Usage(bytes_stored=0, uploads_last_hour=0),
        token=TOKEN,
        ticket=TicketRequest(**values),
        policy=POLICY,
        quota=QUOTA,
        limits=UPLOADS,
        bucket="uploads",
        at=NOW,
    )


@given(st.text(max_size=400))
def test_a_cleaned_title_or_name_is_short_visible_text_and_cleaning_it_again_changes_nothing(text: str) -> None:
    cleaned = clean_text(text, max_length=MAX_UPLOADER_NAME)
    assert len(cleaned) <= MAX_UPLOADER_NAME and cleaned == cleaned.strip()
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") for c in cleaned)
    assert clean_text(cleaned, max_length=MAX_UPLOADER_NAME) == cleaned


def test_a_name_cannot_reverse_what_the_owner_reads() -> None:
    assert clean_text("Ada\u202e evol\u200b\n\tLace", max_length=64) == "Ada evol Lace"


def test_a_request_is_refused_beyond_the_deploys_limits_and_its_password_enters_only_as_a_hash() -> None:
    for body in ({"title": " \u200b "}, {"title": "t", "maxBytes": 1001}, {"title": "t", "expiresInSeconds": 2592001}):
        with pytest.raises(InvalidRequest):
            create_request_input(OWNER, body, LIMITS)
    payload = create_request_input(OWNER, {"title": "  Tax\u202e papers ", "password": "open sesame"}, LIMITS)
    assert payload["title"] == "Tax papers" and payload["maxBytes"] == 1000 and payload["ttlSeconds"] == 604800
    assert "open sesame" not in str(payload) and verify_password("open sesame", payload["passwordHash"])


def test_an_uploader_sees_the_request_but_never_its_owner() -> None:
    view = public_view(a_request(max_files=3, files_accepted=1))
    assert view == {
        "title": "Receipts",
        "expiresAt": a_request().expires_at,
        "maxBytes": 500,
        "filesLeft": 2,
        "passwordRequired": False,
    }
    hidden = public_view(a_request(password_hash=hash_password("open sesame")))
    assert hidden == {"passwordRequired": True, "expiresAt": a_request().expires_at}
    assert OWNER not in str(uploader_view(a_file())) and "reason" not in uploader_view(a_file(reason="x"))


@pytest.mark.parametrize(
    "request_",
    [
        a_request(closed=True),
        a_request(expires_at=clock.to_iso(NOW)),
        a_request(max_files=2, files_accepted=2),
    ],
)
def test_a_closed_expired_or_full_request_is_the_one_404_and_runs_nothing(request_: RequestRecord) -> None:
    workflow = Workflow()
    with pytest.raises(NotFound) as dead:
        ticket_for(request_, workflow)
    assert dead.value.message == RequestLookup.dead().message and workflow.modes == []


@pytest.mark.parametrize(
    ("body", "usage", "error"),
    [
        ({"size": 501}, None, UploadTooLarge),
        ({"name": "é" * 300}, None, InvalidRequest),
        ({}, Usage(bytes_stored=9_950, uploads_last_hour=0), QuotaExceeded),
        ({}, Usage(bytes_stored=0, uploads_last_hour=60, oldest_upload_at=clock.to_iso(NOW)), UploadRateExceeded),
    ],
)
def test_a_refused_file_takes_none_of_the_requests_files(
    body: dict[str, Any], usage: Usage | None, error: type[Exception]
) -> None:
    workflow = Workflow()
    with pytest.raises(error) as refused:
        ticket_for(a_request(max_files=1), workflow, usage, **body)
    assert workflow.modes == []
    assert "9.7 KiB" not in str(refused.value) and "60" not in str(refused.value)  # nothing of the owner's usage


def test_a_password_request_takes_an_attempt_before_the_ticket_and_stops_when_locked() -> None:
    request = a_request(password_hash=hash_password("open sesame"))
    with pytest.raises(Forbidden):
        ticket_for(request, Workflow())
    wrong = Workflow()
    with pytest.raises(Forbidden):
        ticket_for(request, wrong, password="nope")
    assert wrong.modes == ["reserve"]
    right = Workflow()
    ticket_for(request, right, password="open sesame")
    assert right.modes == ["reserve", "ticket"]
    locked = Workflow()
    with pytest.raises(TooManyAttempts):
        ticket_for(request._replace(locked_until=clock.to_iso(NOW + timedelta(minutes=1))), locked, password="x")
    assert locked.modes == []


def test_the_race_for_the_last_file_is_lost_with_the_one_404() -> None:
    with pytest.raises(NotFound):
        ticket_for(a_request(max_files=1), Workflow(refuse={"ticket": "RequestUnavailable"}))


def test_a_ticket_is_an_upload_for_the_owner_that_names_the_request_and_its_uploader() -> None:
    plan = ticket_for(a_request(), Workflow(), uploader_name="Ada\u202e Lovelace")

    fields = plan["fields"]
    assert plan["method"] == "POST" and fields["key"] == f"uploads/{OWNER}/{plan['fileId']}"
    assert fields["x-amz-meta-owner"] == OWNER and fields["x-amz-meta-request"] == "0123456789abcdef"
    assert unquote(fields["x-amz-meta-uploader"]) == "Ada Lovelace"


def test_an_uploader_reads_only_files_sent_through_that_request() -> None:
    mine = a_file(request_id="0123456789abcdef")
    other = a_file(file_id="f" * 32, request_id="fedcba9876543210")
    own = a_file(file_id="e" * 32)
    lookup = RequestLookup(Index(a_request(closed=True), {f.file_id: f for f in (mine, other, own)}))

    assert uploaded_file(lookup=lookup, token=TOKEN, file_id=mine.file_id) == mine
    for file_id in (other.file_id, own.file_id, "not-an-id"):
        with pytest.raises(NotFound):
            uploaded_file(lookup=lookup, token=TOKEN, file_id=file_id)
    with pytest.raises(NotFound):
        uploaded_file(lookup=lookup, token="A" * 43, file_id=mine.file_id)
