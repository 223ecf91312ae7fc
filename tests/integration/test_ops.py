"""Operators over HTTP and from the terminal: a failed upload is listed, traced and redriven to
READY (once); every /ops route refuses non-operators; no secret leaves an /ops answer; every call
is audited; reconciliation finds and repairs what the event path lost."""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests

from devstack.stack import LocalStack
from fileshare.core.records import FileRecord
from fileshare.core.store import to_attribute_values
from tests.integration.test_client import PASSWORD as CLI_PASSWORD
from tests.integration.test_client import Terminal, sign_up
from tests.integration.test_upload_to_download import Owner
from tests.stack_support import file_item, put_upload, reconfigured, share_items, wait_for_status

pytestmark = pytest.mark.stack

BROKEN_KEY = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"


def make_operator(stack: LocalStack, person: Owner) -> Owner:
    """Put ``person`` in the operators group and sign in again: the new ID token lists it."""
    cognito = stack.client("cognito-idp")
    pool = stack.stack.outputs["UserPoolId"]
    cognito.admin_add_user_to_group(UserPoolId=pool, Username=person.email, GroupName="operators")
    tokens = cognito.initiate_auth(
        ClientId=stack.stack.outputs["UserPoolClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": person.email, "PASSWORD": "Correct-horse-9"},
    )
    person.id_token = tokens["AuthenticationResult"]["IdToken"]
    return person


@pytest.fixture(scope="module")
def operator(local_stack: LocalStack) -> Owner:
    return make_operator(local_stack, Owner(local_stack))


@pytest.fixture
def owner(local_stack: LocalStack) -> Owner:
    return Owner(local_stack)


def since(minutes: int = 5) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat(timespec="seconds").replace("+00:00", "Z")


def wait_for_execution(operator: Owner, arn: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        listed = operator.call("GET", "/ops/executions", params={"workflow": "process-upload", "since": since(10)})
        found = [e for e in listed.json()["items"] if e["executionArn"] == arn]
        if found and found[0]["status"] != "RUNNING":
            return found[0]
        if time.monotonic() > deadline:
            raise TimeoutError(f"{arn} still running")
        time.sleep(0.2)


def test_a_failed_step_is_listed_traced_and_redriven_to_ready_once(
    local_stack: LocalStack, operator: Owner, owner: Owner, tmp_path: Path
) -> None:
    # Given the mint step fails (an injected fault): the upload ends FAILED
    with reconfigured(local_stack, "MintShareFunction", {"TOKEN_KEY_ID": BROKEN_KEY}):
        file_id = owner.upload(b"redrive me\n", name="redrive.txt")
        assert owner.wait_until_done(file_id)["status"] == "FAILED"

        # Then operators see it among the failures, with the step that failed and its error
        failures = operator.call("GET", "/ops/executions", params={"status": "FAILED", "since": since()})
        assert failures.status_code == 200
        [failed] = [e for e in failures.json()["items"] if e["fileId"] == file_id]
        assert failed["workflow"] == "process-upload"
        assert failed["failedState"] == "MintShareToken"
        assert failed["error"] == "NotFoundException"
        assert failed["redriveCount"] == 0

        # and the file's runs show every step up to the failure, with timings
        runs = operator.call("GET", f"/ops/files/{file_id}").json()
        [run] = runs["executions"]
        names = [s["name"] for s in run["steps"]]
        assert names[:3] == ["DescribeUpload", "KeepUpload", "Register"]
        assert run["steps"][-1]["name"] == "MintShareToken" and run["steps"][-1]["status"] == "FAILED"
        assert all(s["durationMs"] is not None for s in run["steps"])

    # When the cause is fixed (the fault is gone) and an operator redrives the execution
    redriven = operator.call("POST", f"/ops/executions/{quote(failed['executionArn'], safe='')}/redrive")
    assert redriven.status_code == 202, redriven.text
    assert redriven.json()["executionArn"] == failed["executionArn"]  # the same execution
    assert redriven.json()["redrivenFrom"] == "MintShareToken"

    # Then the file is READY with one record and one link
    done = wait_for_execution(operator, failed["executionArn"])
    assert done["status"] == "SUCCEEDED" and done["redriveCount"] == 1
    record = owner.wait_until_done(file_id)
    assert record["status"] == "READY" and "reason" not in record
    assert len(record["shares"]) == 1 and len(share_items(local_stack, file_id)) == 1
    item = file_item(local_stack, file_id)
    assert item is not None and "failedExecution" not in item and item["processingExecution"] == failed["executionArn"]
    # and the trace shows the first attempt's steps, then the redrive's, once each
    steps = operator.call("GET", f"/ops/files/{file_id}").json()["executions"][0]["steps"]
    assert [s["name"] for s in steps].count("DescribeUpload") == 1
    assert [s["attempt"] for s in steps if s["name"] == "MintShareToken"] == [0, 1]

    # And a second redrive of the succeeded execution is refused
    again = operator.call("POST", f"/ops/executions/{quote(failed['executionArn'], safe='')}/redrive")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "not_redrivable"

    # And the next upload's run starts at the workflow's first step, not where the redrive began
    after = owner.upload(b"after a redrive\n", name="after.txt")
    assert owner.wait_until_done(after)["status"] == "READY"
    [run] = operator.call("GET", f"/ops/files/{after}").json()["executions"]
    assert run["steps"][0]["name"] == "DescribeUpload"


def test_the_terminal_lists_failures_and_traces_a_file(local_stack: LocalStack, tmp_path: Path) -> None:
    # An operator signed in with `fileshare login`
    terminal = Terminal(tmp_path)
    email = sign_up(local_stack)
    local_stack.client("cognito-idp").admin_add_user_to_group(
        UserPoolId=local_stack.stack.outputs["UserPoolId"], Username=email, GroupName="operators"
    )
    login = terminal.run("login", "--url", local_stack.app_url, "--email", email, stdin=f"{CLI_PASSWORD}\n")
    assert login.returncode == 0, login.stderr

    with reconfigured(local_stack, "MintShareFunction", {"TOKEN_KEY_ID": BROKEN_KEY}):
        upload = put_upload(local_stack, "cli-operator-test", b"fails in the terminal\n")
        assert wait_for_status(local_stack, upload.file_id)["status"] == "FAILED"

    listed = terminal.json("ops", "executions", "--status", "FAILED", "--since", "10m")
    [failed] = [e for e in listed if e["fileId"] == upload.file_id]
    assert failed["status"] == "FAILED" and failed["failedState"] == "MintShareToken"

    table = terminal.run("ops", "executions", "--status", "FAILED", "--since", "10m")
    assert table.returncode == 0 and upload.file_id in table.stdout and "MintShareToken" in table.stdout

    trace = terminal.run("ops", "trace", upload.file_id)
    assert trace.returncode == 0, trace.stderr
    assert "MintShareToken" in trace.stdout and "NotFoundException" in trace.stdout and "█" in trace.stdout

    redrive = terminal.run("ops", "redrive", failed["executionArn"])
    assert redrive.returncode == 0, redrive.stderr
    assert "Redriven from MintShareToken" in redrive.stdout
    deadline = time.monotonic() + 60
    while (item := file_item(local_stack, upload.file_id)) and item["status"] != "READY":
        assert time.monotonic() < deadline, item
        time.sleep(0.2)

    # A non-operator gets an exit status and one sentence
    other = Terminal(tmp_path / "other")
    other.home.mkdir()
    assert (
        other.run(
            "login", "--url", local_stack.app_url, "--email", sign_up(local_stack), stdin=f"{CLI_PASSWORD}\n"
        ).returncode
        == 0
    )
    refused = other.run("ops", "executions")
    assert refused.returncode == 3
    assert "operators only" in refused.stderr


OPS_ROUTES = [
    ("GET", "/ops/executions", None),
    ("GET", "/ops/files/" + "0" * 32, None),
    (
        "POST",
        "/ops/executions/" + quote("arn:aws:states:us-east-1:123456789012:execution:x:y", safe="") + "/redrive",
        None,
    ),
    ("POST", "/ops/reconcile", {"repair": True}),
]


@pytest.mark.parametrize(("method", "path", "body"), OPS_ROUTES, ids=[f"{m} {p[:20]}" for m, p, _ in OPS_ROUTES])
def test_a_non_operator_gets_403_on_every_ops_route(owner: Owner, method: str, path: str, body: Any) -> None:
    answer = owner.call(method, path, json=body)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"
    # and no token at all is API Gateway's 401
    assert requests.request(method, f"{owner.api}{path}", json=body, timeout=10).status_code == 401


def test_every_ops_route_is_in_the_list_above() -> None:
    from tests.contracts import openapi

    documented = {
        (m.upper(), p)
        for p, item in openapi()["paths"].items()
        if p.startswith("/ops/")
        for m in item
        if m in ("get", "post")
    }
    assert len(documented) == len(OPS_ROUTES)


def test_no_secret_appears_in_any_ops_answer(local_stack: LocalStack, operator: Owner, owner: Owner) -> None:
    # Given a READY file with its default link and a password-protected link
    file_id = owner.upload(b"secret things\n", name="secrets.txt")
    assert owner.wait_until_done(file_id)["status"] == "READY"
    password = "Pass-" + secrets.token_hex(8)
    created = owner.call("POST", f"/files/{file_id}/shares", json={"password": password})
    assert created.status_code == 201
    shares = owner.call("GET", f"/files/{file_id}").json()["shares"]
    values = {password, *(s["token"] for s in shares), *(s["url"] for s in shares)}
    for item in share_items(local_stack, file_id):
        values |= {item["tokenHash"], item["tokenCiphertext"], item["pk"]}
        values |= {item["passwordHash"]} if "passwordHash" in item else set()
    assert len(values) >= 8

    # When an operator reads every /ops answer about it
    answers = [
        operator.call("GET", f"/ops/files/{file_id}"),
        operator.call("GET", "/ops/executions", params={"since": since(), "limit": "100"}),
        operator.call("POST", "/ops/reconcile", json={}),
    ]

    # Then none holds any of the secret values, though the file's answer names the links
    for answer in answers:
        assert answer.status_code == 200, answer.text
        for value in values:
            assert value not in answer.text
    assert answers[0].json()["shares"] and "[redacted]" in answers[0].text


def test_every_ops_call_is_audited_with_the_operators_sub(operator: Owner, stack_log_path: Path) -> None:
    operator.call("GET", "/ops/executions", params={"limit": "1"})
    payload = operator.id_token.split(".")[1]
    sub = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]
    deadline = time.monotonic() + 10
    while True:
        lines = [line.replace(" ", "") for line in stack_log_path.read_text().splitlines()]
        if any('"audit":"ops"' in line and f'"operator":"{sub}"' in line for line in lines):
            return
        assert time.monotonic() < deadline, "no audit line for the operator's call"
        time.sleep(0.2)


@contextmanager
def uploads_not_delivered(stack: LocalStack) -> Iterator[None]:
    """The upload rule disabled: objects land in the bucket and nobody is told (a lost event)."""
    events = stack.client("events")
    [rule] = [r["Name"] for r in events.list_rules()["Rules"] if r["Name"].endswith("UploadCreated")]
    events.disable_rule(Name=rule)
    try:
        yield
    finally:
        events.enable_rule(Name=rule)


def test_reconcile_finds_a_lost_object_and_a_stuck_record_and_repairs_both(
    local_stack: LocalStack, operator: Owner, owner_id: str
) -> None:
    # Given an object whose event never arrived, and a record stuck in PROCESSING with no execution
    with uploads_not_delivered(local_stack):
        lost = put_upload(local_stack, owner_id, b"nobody was told\n", name="lost.txt")
        stuck = put_upload(local_stack, owner_id, b"stuck\n", name="stuck.txt")
    registered = FileRecord.new(
        file_id=stuck.file_id,
        owner_id=owner_id,
        name="stuck.txt",
        size=6,
        content_type="text/plain",
        object_key=stuck.key,
        object_version=stuck.version_id,
        etag="0",
        created_at=datetime.now(UTC) - timedelta(hours=2),
    )
    local_stack.client("dynamodb").put_item(
        TableName=local_stack.stack.ref("Table"), Item=to_attribute_values(registered.to_item())
    )

    # When an operator reconciles (report only)
    found = operator.call("POST", "/ops/reconcile", json={"olderThanSeconds": 0})
    assert found.status_code == 200, found.text
    report = found.json()
    assert lost.file_id in [o["fileId"] for o in report["lostObjects"]]
    assert stuck.file_id in [r["fileId"] for r in report["stuckRecords"]]
    assert file_item(local_stack, lost.file_id) is None  # nothing repaired yet

    # and then with repair
    repaired = operator.call("POST", "/ops/reconcile", json={"olderThanSeconds": 0, "repair": True})
    assert repaired.status_code == 200 and repaired.json()["repair"] is True

    # Then the lost object is processed to READY, and the stuck record is FAILED with a reason
    assert wait_for_status(local_stack, lost.file_id)["status"] == "READY"
    record = file_item(local_stack, stuck.file_id)
    assert record is not None and record["status"] == "FAILED"
    assert "reconciliation" in record["reason"]
    # and a second look finds neither
    again = operator.call("POST", "/ops/reconcile", json={"olderThanSeconds": 0}).json()
    assert lost.file_id not in [o["fileId"] for o in again["lostObjects"]]
    assert stuck.file_id not in [r["fileId"] for r in again["stuckRecords"]]


def test_an_execution_that_stopped_in_a_fail_state_is_not_redriven(local_stack: LocalStack, operator: Owner) -> None:
    # Given an object at a key the API never issues: the execution ends in UnrecognisedUpload
    key = f"uploads/not-an-upload-{secrets.token_hex(4)}"
    local_stack.client("s3").put_object(Bucket=local_stack.stack.ref("UploadsBucket"), Key=key, Body=b"x")
    deadline = time.monotonic() + 60
    while True:
        failures = operator.call("GET", "/ops/executions", params={"status": "FAILED", "since": since()}).json()
        found = [e for e in failures["items"] if e["failedState"] == "UnrecognisedUpload" and e["fileId"] is None]
        described = [
            local_stack.client("stepfunctions").describe_execution(executionArn=e["executionArn"]) for e in found
        ]
        mine = [e for e, d in zip(found, described, strict=True) if key in d["input"]]
        if mine:
            break
        assert time.monotonic() < deadline, "the execution did not fail"
        time.sleep(0.2)

    # Then a redrive is refused: it would only enter the Fail state again
    refused = operator.call("POST", f"/ops/executions/{quote(mine[0]['executionArn'], safe='')}/redrive")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_redrivable"
    assert "UnrecognisedUpload" in refused.json()["error"]["message"]
