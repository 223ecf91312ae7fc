"""The operators' pure logic: who is an operator, what leaves an /ops answer (redaction), a run's
timeline from its history, paging, and reconciliation's rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fileshare.core.errors import InvalidRequest
from fileshare.core.executions import (
    REDACTED,
    Cursor,
    file_id_of_input,
    parse_workflows,
    redact,
    timeline,
    unfinished_state,
    workflow_of_execution,
)
from fileshare.core.operators import groups, is_operator
from fileshare.core.reconcile import IndexedFile, StoredVersion, find, upload_event
from tests.contracts import validate

FILE_ID = "0123456789abcdef0123456789abcdef"
KEY = f"uploads/owner-1/{FILE_ID}"
T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


# --- who is an operator ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "operator"),
    [
        ("[operators]", True),  # API Gateway's form of a one-element array
        ("[admins operators]", True),
        ("[operatorsx admins]", False),
        ("operators", True),
        (["operators"], True),
        ("[]", False),
        (None, False),
        ("[Operators]", False),  # group names are case-sensitive
    ],
)
def test_the_groups_claim_as_api_gateway_passes_it(claim: Any, operator: bool) -> None:
    claims = {"sub": "x"} if claim is None else {"sub": "x", "cognito:groups": claim}
    assert is_operator(claims) is operator


def test_groups_are_split_on_spaces() -> None:
    assert groups({"cognito:groups": "[a b  c]"}) == {"a", "b", "c"}


# --- redaction --------------------------------------------------------------------------------------


TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde"


def test_every_kind_of_secret_is_redacted_wherever_it_sits() -> None:
    share_item = {
        "pk": {"S": "SHARE#" + "a" * 64},
        "tokenHash": {"S": "a" * 64},
        "tokenCiphertext": {"S": "AQICAHg..."},
        "passwordHash": {"S": "scrypt$..."},
        "shareId": {"S": "0123456789abcdef"},
    }
    history_output = json.dumps({"share": {"result": {"item": share_item}}, "url": f"https://x/s/{TOKEN}"})
    redacted = redact({"output": history_output, "cause": f"link https://app/s/{TOKEN} failed", "password": "pw"})
    text = json.dumps(redacted)
    for secret in ("a" * 64, "AQICAHg", "scrypt$", TOKEN, '"pw"'):
        assert secret not in text
    assert "0123456789abcdef" in text  # share ids are not secrets
    assert redacted["password"] == REDACTED


@given(st.recursive(st.text() | st.integers() | st.none(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)))
def test_redaction_never_fails_and_keeps_what_is_not_secret(value: Any) -> None:
    once = redact(value)
    assert redact(once) == once


# --- a run's timeline -------------------------------------------------------------------------------


def event(kind: str, at: int, **details: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"type": kind, "timestamp": T0 + timedelta(milliseconds=at)}
    if details:
        key = {
            "TaskStateEntered": "stateEnteredEventDetails",
            "TaskStateExited": "stateExitedEventDetails",
            "TaskFailed": "taskFailedEventDetails",
            "ExecutionFailed": "executionFailedEventDetails",
            "ExecutionRedriven": "executionRedrivenEventDetails",
        }[kind]
        found[key] = details
    return found


FAILED_THEN_REDRIVEN = [
    event("ExecutionStarted", 0),
    event("TaskStateEntered", 10, name="Validate", input="{}"),
    event("TaskScheduled", 11),
    event("TaskSucceeded", 50),
    event("TaskStateExited", 60, name="Validate", output='{"ok": true}'),
    event("TaskStateEntered", 70, name="MintShareToken", input='{"password": "pw"}'),
    event("TaskScheduled", 71),
    event("TaskFailed", 80, error="Lambda.Unknown", cause="boom"),
    event("TaskScheduled", 90),
    event("TaskFailed", 100, error="NotFoundException", cause="no key"),
    event("ExecutionFailed", 110, error="NotFoundException", cause="no key"),
    event("ExecutionRedriven", 500, redriveCount=1),
    event("TaskStateEntered", 510, name="MintShareToken", input='{"password": "pw"}'),
    event("TaskScheduled", 511),
    event("TaskSucceeded", 600),
    event("TaskStateExited", 610, name="MintShareToken", output="{}"),
]


def test_a_timeline_has_each_step_its_timing_retries_errors_and_attempt() -> None:
    first, failed, redriven = timeline(FAILED_THEN_REDRIVEN)
    assert (first["name"], first["status"], first["durationMs"], first["output"]) == (
        "Validate",
        "SUCCEEDED",
        50,
        {"ok": True},
    )
    assert (failed["status"], failed["retries"], failed["error"], failed["durationMs"]) == (
        "FAILED",
        1,
        "NotFoundException",
        40,
    )
    assert failed["input"] == {"password": REDACTED}
    assert (redriven["attempt"], redriven["status"], redriven["retries"]) == (1, "SUCCEEDED", 0)


def test_the_unfinished_state_is_where_a_redrive_continues() -> None:
    assert unfinished_state(FAILED_THEN_REDRIVEN[:11]) == "MintShareToken"
    assert unfinished_state(FAILED_THEN_REDRIVEN) is None


# --- which file, which workflow, which page ------------------------------------------------------


def s3_event(key: str) -> dict[str, Any]:
    return {"detail": {"object": {"key": key}}}


def test_the_file_is_read_from_an_upload_event_a_status_change_or_a_command() -> None:
    assert file_id_of_input(json.dumps(s3_event(KEY))) == FILE_ID
    assert file_id_of_input(json.dumps({"detail": {"input": json.dumps(s3_event(KEY))}})) == FILE_ID
    assert file_id_of_input(json.dumps({"fileId": FILE_ID})) == FILE_ID
    assert file_id_of_input(json.dumps(s3_event("uploads/not-ours"))) is None
    assert file_id_of_input("{}") is None and file_id_of_input("not json") is None


def test_an_execution_belongs_to_a_workflow_only_by_its_state_machine() -> None:
    workflows = parse_workflows(("process-upload=arn:aws:states:us-east-1:123456789012:stateMachine:s-process-upload",))
    ours = "arn:aws:states:us-east-1:123456789012:execution:s-process-upload:abc"
    assert workflow_of_execution(workflows, ours).name == "process-upload"  # type: ignore[union-attr]
    for other in (
        "arn:aws:states:us-east-1:123456789012:execution:someone-else:abc",
        "arn:aws:states:us-east-1:123456789012:express:s-process-upload:abc:def",
        "not an arn",
    ):
        assert workflow_of_execution(workflows, other) is None


def test_a_page_token_round_trips_and_junk_is_a_400() -> None:
    cursor = Cursor("2026-11-29T08:00:00.000Z", "arn:b")
    assert Cursor.decode(cursor.encode()) == cursor
    assert cursor.is_after("2026-11-29T07:00:00.000Z", "arn:z")
    assert cursor.is_after("2026-11-29T08:00:00.000Z", "arn:a")
    assert not cursor.is_after("2026-11-29T08:00:00.000Z", "arn:b")
    for junk in ("", "!!", "e30", Cursor("yesterday", "x").encode()):
        with pytest.raises(InvalidRequest):
            Cursor.decode(junk)


# --- reconciliation ---------------------------------------------------------------------------------


def version(file_id: str, *, minutes: int, latest: bool = True, vid: str = "v1") -> StoredVersion:
    return StoredVersion(
        key=f"uploads/owner-1/{file_id}",
        version_id=vid,
        last_modified=T0 - timedelta(minutes=minutes),
        size=3,
        etag="e",
        is_latest=latest,
    )


def indexed(file_id: str, status: str, *, minutes: int, vid: str = "v1") -> IndexedFile:
    stamp = (T0 - timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")
    return IndexedFile(file_id, status, f"uploads/owner-1/{file_id}", vid, stamp)


def test_reconciliation_finds_lost_objects_stuck_records_and_missing_objects() -> None:
    ids = [f"{n:032x}" for n in range(8)]
    findings = find(
        versions=[
            version(ids[0], minutes=30),  # lost
            version(ids[1], minutes=5),  # too young to call lost
            version(ids[2], minutes=30),  # in flight
            version(ids[3], minutes=30),  # registered and READY
            version(ids[4], minutes=90),  # stuck record's object
            version(ids[5], minutes=30, latest=False),  # an old version only
            StoredVersion("uploads/not-an-upload", "v", T0 - timedelta(hours=1), 1, "e", True),
        ],
        files=[
            indexed(ids[3], "READY", minutes=30),
            indexed(ids[4], "PROCESSING", minutes=90),
            indexed(ids[6], "PROCESSING", minutes=10),  # not stuck yet (and its object is missing)
            indexed(ids[7], "DELETED", minutes=90),  # gone on purpose
        ],
        running_keys={f"uploads/owner-1/{ids[2]}"},
        now=T0,
        lost_after=timedelta(minutes=15),
        stuck_after=timedelta(hours=1),
    )
    assert [v.key.rsplit("/", 1)[1] for v in findings.lost_objects] == [ids[0]]
    assert [f.file_id for f in findings.stuck_records] == [ids[4]]
    assert [f.file_id for f in findings.missing_objects] == [ids[6]]
    assert findings.counts() == {"lostObjects": 1, "stuckRecords": 1, "missingObjects": 1}


def test_a_lost_object_is_processed_with_the_event_s3_would_have_sent() -> None:
    event_ = upload_event(
        bucket="uploads-bucket", version=version(FILE_ID, minutes=30), region="us-east-1", account="123456789012", at=T0
    )
    validate("events/s3-object-created.json", event_)
    assert event_["detail"]["object"]["version-id"] == "v1"
