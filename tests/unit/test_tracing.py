"""X-Ray never receives a secret: the API functions' answers (share tokens and URLs, presigned GETs,
POST policies) are not recorded as trace metadata, even with the tracer on and Powertools' default
of recording every traced method's return value."""

from __future__ import annotations

import base64
import copy
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment

from fileshare.core import aws, clock, keyring
from fileshare.core.quota import Usage
from fileshare.core.records import FileRecord, RequestRecord, ShareRecord
from fileshare.core.tokens import hash_token, mint_share_token

ROOT = Path(__file__).resolve().parents[2]
OWNER = "0f4a6d1e-1111-2222-3333-444455556666"
FILE_ID = "0123456789abcdef0123456789abcdef"
NOW = clock.now()
ENVIRONMENT = {
    "POWERTOOLS_SERVICE_NAME": "fileshare",
    "POWERTOOLS_METRICS_NAMESPACE": "Fileshare",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "TABLE_NAME": "fileshare-table",
    "APP_URL": "https://files.example",
    "UPLOADS_BUCKET": "fileshare-uploads",
    "MAX_UPLOAD_BYTES": str(10 * 2**30),
    "SINGLE_POST_MAX_BYTES": str(100 * 2**20),
    "MULTIPART_PART_BYTES": str(16 * 2**20),
    "SHARE_DEFAULT_TTL_SECONDS": "604800",
    "SHARE_MAX_TTL_SECONDS": "2592000",
    "MAX_BYTES_STORED": str(50 * 2**30),
    "MAX_UPLOADS_PER_HOUR": "60",
    "MAX_SHARES_PER_FILE": "20",
    "PROCESSING_TIMEOUT_SECONDS": "3600",
    "CREATE_SHARE_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:create",
    "REVOKE_SHARE_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:revoke",
    "DELETE_FILE_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:delete",
    "REDEEM_SHARE_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:redeem",
    "SEND_SHARE_EMAIL_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:send-share-email",
    "UPDATE_NOTIFICATIONS_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:notifications",
    "MAX_SHARE_EMAILS_PER_HOUR": "20",
    "SENDS_MAIL": "true",
    "CREATE_REQUEST_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:create-request",
    "CLOSE_REQUEST_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:close-request",
    "REDEEM_REQUEST_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:redeem-request",
    "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "offline",
    "AWS_DEFAULT_REGION": "us-east-1",
}


class RecordingSegment(BaseSegment):
    def __init__(self, name: str, recorded: list[tuple[str, Any]]) -> None:
        self.name = name
        self.recorded = recorded

    def close(self, end_time: int | None = None) -> None:
        return None

    def add_subsegment(self, subsegment: Any) -> None:
        return None

    def remove_subsegment(self, subsegment: Any) -> None:
        return None

    def put_annotation(self, key: str, value: Any) -> None:
        self.recorded.append((f"{self.name} annotation {key}", value))

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        self.recorded.append((f"{self.name} metadata {key}", copy.deepcopy(value)))

    def add_exception(self, exception: BaseException, stack: Any, remote: bool = False) -> None:
        self.recorded.append((f"{self.name} exception", str(exception)))


class RecordingProvider(BaseProvider):
    """A tracing provider that keeps everything the tracer would send to X-Ray."""

    def __init__(self) -> None:
        self.recorded: list[tuple[str, Any]] = []
        self.subsegments: list[str] = []

    @contextmanager
    def in_subsegment(self, name: str = "", **kwargs: Any) -> Iterator[RecordingSegment]:
        self.subsegments.append(name)
        yield RecordingSegment(name, self.recorded)

    in_subsegment_async = in_subsegment  # BaseProvider requires it; our handlers are synchronous

    def put_annotation(self, key: str, value: Any) -> None:
        self.recorded.append((f"annotation {key}", value))

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        self.recorded.append((f"metadata {key}", copy.deepcopy(value)))

    def patch(self, modules: Any) -> None:
        return None

    def patch_all(self) -> None:
        return None

    def text(self) -> str:
        return json.dumps(self.recorded, default=str)


class Context:
    function_name = "fileshare-test"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:fileshare-test"
    memory_limit_in_mb = 256
    aws_request_id = "5f2c9b8f-1a10-4c55-9d3e-2d7b3d1a7f9e"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


class FakeIndex:
    def __init__(self, record: FileRecord, shares: list[ShareRecord]) -> None:
        self.record = record
        self.shares = shares

    def get_file(self, file_id: str) -> FileRecord | None:
        return self.record if file_id == self.record.file_id else None

    def get_share(self, token_hash: str) -> ShareRecord | None:
        return next((s for s in self.shares if s.token_hash == token_hash), None)

    def list_shares(self, file_id: str) -> list[ShareRecord]:
        return [s for s in self.shares if s.file_id == file_id]

    def usage(self, owner_id: str, *, since: str) -> Usage:
        return Usage(bytes_stored=0, uploads_last_hour=0)


def ready_file() -> FileRecord:
    return FileRecord(
        file_id=FILE_ID,
        owner_id=OWNER,
        name="report.pdf",
        size=48213,
        content_type="application/pdf",
        status="READY",
        created_at=clock.to_iso(NOW),
        updated_at=clock.to_iso(NOW),
        object_key=f"uploads/{OWNER}/{FILE_ID}",
        object_version="3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY",
        etag="0" * 32,
        expires_at=clock.to_iso(clock.later(NOW, 86400)),
    )


def share_for(token: str) -> ShareRecord:
    return ShareRecord(
        share_id="0123456789abcdef",
        file_id=FILE_ID,
        token_hash=hash_token(token),
        token_ciphertext=base64.b64encode(b"kms ciphertext").decode(),
        created_at=clock.to_iso(NOW),
        expires_at=clock.to_iso(clock.later(NOW, 3600)),
    )


def http_event(method: str, path: str, route: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    event = json.loads((ROOT / "tests/events/apigw/create-upload.json").read_text())
    event["routeKey"] = event["requestContext"]["routeKey"] = f"{method} {route}"
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    event["body"] = json.dumps(body) if body is not None else None
    return dict(event)


@pytest.fixture
def tracer_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingProvider]:
    """The shared tracer, on, with a provider that records; the functions' environment without
    POWERTOOLS_TRACER_CAPTURE_RESPONSE, so the code itself must keep secrets out."""
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN", "POWERTOOLS_TRACER_CAPTURE_RESPONSE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    aws.client.cache_clear()
    from fileshare.observability import metrics, tracer

    monkeypatch.setattr(metrics, "namespace", "Fileshare")
    provider = RecordingProvider()
    monkeypatch.setattr(tracer, "provider", provider)
    monkeypatch.setattr(tracer, "disabled", False)
    yield provider
    aws.client.cache_clear()


def api(name: str) -> ModuleType:
    return importlib.import_module(f"fileshare.api.{name}")


def test_a_new_share_link_is_not_recorded(tracer_on: RecordingProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    token = mint_share_token()
    shares = api("shares")
    created = share_for(token)
    monkeypatch.setattr(shares, "index", FakeIndex(ready_file(), []))
    monkeypatch.setattr(shares, "run_command", lambda arn, payload: {"item": _attribute_values(created)})
    monkeypatch.setattr(keyring, "decrypt_token", lambda **_: token)

    answer = shares.handler(http_event("POST", f"/files/{FILE_ID}/shares", "/files/{fileId}/shares", {}), Context())

    assert answer["statusCode"] == 201, answer
    assert json.loads(answer["body"])["token"] == token
    assert "## fileshare.api.shares.create_share" in tracer_on.subsegments  # it was traced
    assert token not in tracer_on.text()


def test_a_link_to_several_files_is_not_recorded_when_made_or_listed(
    tracer_on: RecordingProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = mint_share_token()
    shares = api("shares")
    second = ready_file()._replace(file_id="f" * 32)
    link = share_for(token)._replace(file_id=None, file_ids=(FILE_ID, second.file_id), owner_id=OWNER)
    index = FakeIndex(ready_file(), [])
    monkeypatch.setattr(index, "get_files", lambda ids: [ready_file(), second], raising=False)
    monkeypatch.setattr(index, "list_links", lambda owner_id, limit, next_token: ([link], None), raising=False)
    monkeypatch.setattr(shares, "index", index)
    monkeypatch.setattr(shares, "run_command", lambda arn, payload: {"item": _attribute_values(link)})
    monkeypatch.setattr(keyring, "decrypt_token", lambda **_: token)

    created = shares.handler(http_event("POST", "/shares", "/shares", {"fileIds": link.file_ids}), Context())
    listed = shares.handler(http_event("GET", "/shares", "/shares"), Context())

    assert (created["statusCode"], listed["statusCode"]) == (201, 200), (created, listed)
    assert token in created["body"] and token in listed["body"]
    assert {"## fileshare.api.shares.create_link", "## fileshare.api.shares.list_links"} <= set(tracer_on.subsegments)
    assert token not in tracer_on.text()


def test_an_owners_file_view_with_its_links_is_not_recorded(
    tracer_on: RecordingProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = mint_share_token()
    files = api("files")
    monkeypatch.setattr(files, "index", FakeIndex(ready_file(), [share_for(token)]))
    monkeypatch.setattr(keyring, "decrypt_token", lambda **_: token)

    answer = files.handler(http_event("GET", f"/files/{FILE_ID}", "/files/{fileId}"), Context())

    assert answer["statusCode"] == 200, answer
    assert token in answer["body"]
    assert "## fileshare.api.files.get_file" in tracer_on.subsegments
    assert token not in tracer_on.text()


def test_a_presigned_download_is_not_recorded(tracer_on: RecordingProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    token = mint_share_token()
    public = api("public_shares")
    monkeypatch.setattr(public.lookup, "index", FakeIndex(ready_file(), [share_for(token)]))
    monkeypatch.setattr(public, "run_redeem", lambda payload: {})

    answer = public.handler(
        http_event("POST", f"/public/shares/{token}/download", "/public/shares/{token}/download", {}), Context()
    )

    assert answer["statusCode"] == 200, answer
    url = json.loads(answer["body"])["url"]
    signature = url.split("X-Amz-Signature=")[1].split("&")[0]
    assert "## fileshare.api.public_shares.download" in tracer_on.subsegments
    assert signature not in tracer_on.text()


def test_an_upload_policy_is_not_recorded(tracer_on: RecordingProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    uploads = api("uploads")
    monkeypatch.setattr(uploads, "index", FakeIndex(ready_file(), []))  # an owner well within quota

    answer = uploads.handler(json.loads((ROOT / "tests/events/apigw/create-upload.json").read_text()), Context())

    assert answer["statusCode"] == 201, answer
    fields = json.loads(answer["body"])["fields"]
    assert "## fileshare.api.uploads.create_upload" in tracer_on.subsegments
    assert fields["x-amz-signature"] not in tracer_on.text()
    assert fields["policy"] not in tracer_on.text()


def test_a_request_upload_ticket_is_not_recorded(tracer_on: RecordingProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    token = mint_share_token()
    public = api("public_requests")
    request = RequestRecord(
        request_id="0123456789abcdef",
        owner_id=OWNER,
        title="Receipts",
        token_hash=hash_token(token),
        token_ciphertext=base64.b64encode(b"kms ciphertext").decode(),
        created_at=clock.to_iso(NOW),
        expires_at=clock.to_iso(clock.later(NOW, 3600)),
        max_bytes=10**6,
    )
    index = FakeIndex(ready_file(), [])
    monkeypatch.setattr(index, "get_request", lambda token_hash: request, raising=False)
    monkeypatch.setattr(public.lookup, "index", index)
    monkeypatch.setattr(public, "index", index)
    monkeypatch.setattr(public, "run_redeem", lambda payload: {"filesAccepted": 1})
    body = {"name": "a.txt", "size": 10, "contentType": "text/plain", "uploaderName": "Ada"}

    answer = public.handler(
        http_event("POST", f"/public/requests/{token}/uploads", "/public/requests/{token}/uploads", body), Context()
    )

    assert answer["statusCode"] == 201, answer
    fields = json.loads(answer["body"])["fields"]
    assert "## fileshare.api.public_requests.create_upload" in tracer_on.subsegments
    assert fields["x-amz-signature"] not in tracer_on.text()
    assert fields["policy"] not in tracer_on.text()


def _attribute_values(share: ShareRecord) -> dict[str, Any]:
    from fileshare.core.store import to_attribute_values

    return dict(to_attribute_values(share.to_item()))


def test_the_tracer_records_every_aws_call_and_loads_no_library_the_functions_do_not_call() -> None:
    # Imported as Lambda imports a function, tracing on as the template deploys it
    code = ROOT / "functions"
    environment = {**ENVIRONMENT, "LAMBDA_TASK_ROOT": str(code), "PATH": "/usr/bin:/bin"}
    probe = (
        "import json, sys\n"
        "import fileshare.observability\n"
        "from aws_xray_sdk.core.patcher import _PATCHED_MODULES\n"
        "print(json.dumps({'patched': sorted(_PATCHED_MODULES), 'requests': 'requests' in sys.modules}))\n"
    )
    answer = subprocess.run(
        [sys.executable, "-c", probe],
        env=environment,
        cwd=code,
        capture_output=True,
        text=True,
        check=True,
    )
    # Every call to AWS is traced (botocore), and requests, which no function calls, is not imported
    assert json.loads(answer.stdout) == {"patched": ["botocore"], "requests": False}
