"""The contracts themselves: valid schemas whose references resolve, an OpenAPI document that names
them and every route, fixtures that match, and what our code really produces (records, API views,
workflow-step outputs, a whole API function on an API Gateway event) checked against them.

Offline: presigning needs credentials and a region but no network; the few calls that would reach
AWS (KMS, HeadObject, GetObject, CreateMultipartUpload) are replaced by fakes."""

from __future__ import annotations

import base64
import copy
import hashlib
import importlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import fastjsonschema
import pytest
import yaml
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2
from jsonschema import Draft202012Validator, ValidationError
from openapi_spec_validator import validate as validate_openapi
from referencing.exceptions import Unresolvable

from fileshare.api.http import error_response
from fileshare.core import aws, clock, errors, keyring, storage
from fileshare.core.quota import Usage
from fileshare.core.records import FileRecord, ShareRecord
from fileshare.core.scan_rendezvous import guardduty_verdict
from fileshare.core.shares import Link, file_view, owner_view, presign_download, public_view
from fileshare.core.store import IndexReader, from_attribute_values, to_attribute_values
from fileshare.core.uploads import UploadLimits, UploadRequest, plan_upload
from fileshare.core.validation import UploadFacts, inspect_stream, validate_upload
from tests.contracts import (
    OPENAPI_PATH,
    ROOT,
    SCHEMAS,
    openapi,
    plain,
    registry,
    schema_files,
    validate,
    validate_event,
    validate_response,
    validator_for,
)
from tests.corpus import ELF, encrypted_zip, zip_of
from tests.stack_support import eicar

EVENTS = ROOT / "tests" / "events"
FIXTURES = {
    "s3/object-created.json": "events/s3-object-created.json",
    "guardduty/object-scan-result.json": "events/guardduty-object-scan-result.json",
    "fileshare/file-ready.json": "events/file-ready.json",
    "fileshare/file-rejected.json": "events/file-rejected.json",
}
APIGW_FIXTURE = "apigw/create-upload.json"
BUCKET = "fileshare-local-uploadsbucket"
OWNER = "0f4a6d1e-1111-2222-3333-444455556666"
FILE_ID = "0123456789abcdef0123456789abcdef"
TOKEN = "Q2hhbmdlTWUtdGhpcy1pcy1hLTQzLWNoYXItdG9rZW4"
APP_URL = "http://127.0.0.1:8000"
EICAR = eicar()

# From the design's api.md: (method, path) served now, and those it lists for later.
API_MD_NOW = {
    ("post", "/uploads"),
    ("get", "/files"),
    ("get", "/files/{fileId}"),
    ("get", "/public/shares/{token}"),
    ("post", "/public/shares/{token}/download"),
}
API_MD_LATER = {
    ("post", "/files/{fileId}/shares"),
    ("delete", "/files/{fileId}/shares/{shareId}"),
    ("delete", "/files/{fileId}"),
    ("get", "/ops/executions"),
    ("get", "/ops/files/{fileId}"),
    ("post", "/ops/executions/{executionId}/redrive"),
}
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def fixture(relative: str) -> dict[str, Any]:
    return dict(json.loads((EVENTS / relative).read_text()))


def schema_id(path: Path) -> str:
    return str(path.relative_to(SCHEMAS))


def walk(node: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair in a JSON document, depth first."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def operations() -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    for path, item in openapi()["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield method, path, item, operation


# --- (a) the schemas are valid and their references resolve -----------------------------------


@pytest.mark.parametrize("path", schema_files(), ids=schema_id)
def test_every_schema_is_draft_2020_12_and_its_id_matches_its_place(path: Path) -> None:
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://fileshare.example/schemas/{schema_id(path)}"
    assert schema.get("title"), "every schema says what it is"


def _refs(node: Any, base: str) -> Iterator[tuple[str, str]]:
    """(base URI, $ref) for every reference, following nested $id changes of base."""
    if isinstance(node, dict):
        base = node.get("$id", base)
        if "$ref" in node:
            yield base, node["$ref"]
        for value in node.values():
            yield from _refs(value, base)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value, base)


@pytest.mark.parametrize("path", schema_files(), ids=schema_id)
def test_every_ref_resolves_through_the_registry(path: Path) -> None:
    schema = json.loads(path.read_text())
    for base, ref in _refs(schema, schema["$id"]):
        resolved = registry().resolver(base_uri=base).lookup(ref)
        assert isinstance(resolved.contents, dict), (base, ref)


def test_a_reference_to_a_missing_schema_does_not_resolve() -> None:
    with pytest.raises(Unresolvable):
        registry().resolver(base_uri="https://fileshare.example/schemas/api/file.json").lookup("nope.json")


def test_the_cross_file_references_are_used_and_checked() -> None:
    """file-list -> file -> share: a bad share deep inside a list fails through two references."""
    share = {"shareId": "0" * 16, "createdAt": "x"}
    listing = {"items": [{**api_file(), "shares": [share]}]}
    with pytest.raises(ValidationError):
        validate("api/file-list.response.json", listing)


@pytest.mark.parametrize("path", sorted(SCHEMAS.rglob("*.request.json")), ids=schema_id)
def test_request_schemas_are_self_contained_and_compile_as_the_functions_compile_them(path: Path) -> None:
    """The functions validate bodies with Powertools (fastjsonschema): no references to fetch."""
    schema = json.loads(path.read_text())
    assert not [v for k, v in walk(schema) if k == "$ref"]
    fastjsonschema.compile(schema)


def _dollars(pattern: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<!\\)\$", pattern)]


@pytest.mark.parametrize("path", schema_files(), ids=schema_id)
def test_no_pattern_has_a_dollar_but_its_final_anchor(path: Path) -> None:
    """fastjsonschema rewrites every unescaped ``$`` (even inside [...]) into ``\\Z``."""
    for key, value in walk(json.loads(path.read_text())):
        if key == "pattern":
            assert all(i == len(value) - 1 for i in _dollars(value)), value


SHARED_FIELDS = ("fileId", "shareId", "ownerId", "sha256", "tokenHash", "executionArn", "failedExecution")


def test_a_field_has_the_same_pattern_in_every_schema() -> None:
    seen: dict[str, set[str]] = {}
    for path in schema_files():
        for key, value in walk(json.loads(path.read_text())):
            if key == "properties":
                for name, prop in value.items():
                    if name in SHARED_FIELDS and isinstance(prop, dict) and prop.get("type") == "string":
                        seen.setdefault(name, set()).add(prop["pattern"])
    executions = seen.pop("executionArn") | seen.pop("failedExecution")
    assert len(executions) == 1, executions
    assert all(len(patterns) == 1 for patterns in seen.values()), seen


# --- (b) the OpenAPI document ----------------------------------------------------------------


def test_openapi_is_a_valid_3_1_document_and_every_schema_it_names_resolves() -> None:
    document = yaml.safe_load(OPENAPI_PATH.read_text())
    assert re.fullmatch(r"3\.1\.\d+", document["openapi"])
    assert "servers" not in document or all("127.0.0.1:8000" not in s["url"] for s in document["servers"])
    validate_openapi(document, base_uri=OPENAPI_PATH.as_uri())  # follows every ./x.json and their $refs


def test_openapi_has_every_route_of_api_md() -> None:
    present = {(method, path) for method, path, _, _ in operations()}
    planned = {(m, p) for m, p, item, op in operations() if "x-fileshare-status" in item or "x-fileshare-status" in op}
    assert present - planned >= API_MD_NOW
    assert present >= API_MD_LATER


def test_every_template_route_is_in_openapi_and_every_served_operation_is_a_template_route() -> None:
    template = (ROOT / "template.yaml").read_text()
    routes = {(m.lower(), p) for m, p in re.findall(r"Method: (\w+)\n\s+Path: (/\S+)", template)}
    served = {(m, p) for m, p, item, op in operations() if "x-fileshare-status" not in item | op}
    assert routes == served


def test_every_relative_ref_in_openapi_names_a_schema_file() -> None:
    refs = [v for k, v in walk(openapi()) if k == "$ref" and not v.startswith("#/")]
    assert refs
    for ref in refs:
        assert ref.startswith("./") and (OPENAPI_PATH.parent / ref).is_file(), ref


def _response(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = openapi()["components"]["responses"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_security_and_error_answers_are_documented_on_every_operation() -> None:
    scheme = openapi()["components"]["securitySchemes"]["cognito"]
    assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == ("http", "bearer", "JWT")
    assert openapi()["security"] == [{"cognito": []}]
    for method, path, item, operation in operations():
        public = path.startswith("/public/")
        assert (operation.get("security") == []) is public, (method, path)
        statuses = set(operation["responses"])
        if not public:
            assert "401" in statuses, (method, path)
        if "{" in path:
            assert "404" in statuses, (method, path)
        if "requestBody" in operation or any(p.get("in") == "query" for p in operation.get("parameters", [])):
            assert "400" in statuses or "x-fileshare-status" in item, (method, path)
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                schema = _response(response)["content"]["application/json"]["schema"]
                refs = {v for k, v in walk({"s": schema}) if k == "$ref"}
                assert "./error.json" in refs, (method, path, status)


def test_validate_response_reads_the_openapi_document() -> None:
    validate_response("GET", f"/files/{FILE_ID}", 404, {"error": {"code": "not_found", "message": "no such file"}})
    validate_response("GET", "/files", 401, {"message": "Unauthorized"})
    validate_response("DELETE", f"/files/{FILE_ID}", 204, None)
    validate_response("GET", "/no/such/route", 404, {"error": {"code": "not_found", "message": "no such route"}})
    with pytest.raises(AssertionError, match="does not document"):
        validate_response("GET", f"/files/{FILE_ID}", 418, {"error": {"code": "teapot", "message": "short and stout"}})
    with pytest.raises(ValidationError):
        validate_response("GET", f"/files/{FILE_ID}", 200, {"fileId": FILE_ID})


# --- (c) the fixtures ------------------------------------------------------------------------


def test_every_fixture_is_checked_against_a_schema() -> None:
    files = {str(p.relative_to(EVENTS)) for p in EVENTS.rglob("*.json")}
    assert files == {*FIXTURES, APIGW_FIXTURE}


@pytest.mark.parametrize(("name", "schema"), sorted(FIXTURES.items()))
def test_each_event_fixture_matches_its_schema(name: str, schema: str) -> None:
    event = fixture(name)
    validate(schema, event)
    validate_event(event)  # and the lookup by detail-type that the bus recorder uses agrees


def test_the_api_gateway_fixture_is_a_jwt_authorized_post_uploads() -> None:
    event = APIGatewayProxyEventV2(fixture(APIGW_FIXTURE))
    assert event.version == "2.0" and event.route_key == "POST /uploads" and event.raw_path == "/uploads"
    assert event.request_context.http.method == "POST"
    assert event.request_context.authorizer.jwt_claim["sub"] == OWNER
    validate("api/create-upload.request.json", event.json_body)
    operation = openapi()["paths"]["/uploads"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"] == "./create-upload.request.json"


def test_the_guardduty_fixture_reads_as_infected() -> None:
    event = fixture("guardduty/object-scan-result.json")
    verdict = guardduty_verdict(event["detail"])
    assert verdict == {"engine": "guardduty", "verdict": "INFECTED", "signatures": ["EICAR-Test-File (not a virus)"]}
    validate("workflow/scan-upload.output.json", verdict)


# --- (d) what must be refused ----------------------------------------------------------------


def _without(document: dict[str, Any], *path: str) -> dict[str, Any]:
    out = copy.deepcopy(document)
    node = out
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return out


def _with(document: dict[str, Any], value: Any, *path: str) -> dict[str, Any]:
    out = copy.deepcopy(document)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


def test_a_file_ready_event_without_its_hash_is_refused() -> None:
    event = _without(fixture("fileshare/file-ready.json"), "detail", "sha256")
    with pytest.raises(ValidationError, match="'sha256' is a required property"):
        validate_event(event)


def test_a_share_item_holding_its_token_is_refused() -> None:
    item = share_record().to_item()
    validate("records/share-item.json", item)
    with pytest.raises(ValidationError, match="'token' was unexpected"):
        validate("records/share-item.json", {**item, "token": TOKEN})


def test_an_error_without_a_code_is_refused() -> None:
    with pytest.raises(ValidationError, match="'code' is a required property"):
        validate("api/error.json", {"error": {"message": "no code"}})


REFUSED: list[tuple[str, str, Callable[[], Any]]] = [
    (
        "events/file-ready.json",
        "status is not READY",
        lambda: _with(fixture("fileshare/file-ready.json"), "FAILED", "detail", "status"),
    ),
    (
        "events/file-ready.json",
        "an extra detail field",
        lambda: _with(fixture("fileshare/file-ready.json"), TOKEN, "detail", "token"),
    ),
    ("events/file-ready.json", "no time", lambda: _without(fixture("fileshare/file-ready.json"), "time")),
    (
        "events/file-ready.json",
        "time not UTC",
        lambda: _with(fixture("fileshare/file-ready.json"), "2026-11-26T12:00:03+01:00", "time"),
    ),
    (
        "events/file-rejected.json",
        "READY is not a rejection",
        lambda: _with(fixture("fileshare/file-rejected.json"), "READY", "detail", "status"),
    ),
    (
        "events/file-rejected.json",
        "no reason",
        lambda: _without(fixture("fileshare/file-rejected.json"), "detail", "reason"),
    ),
    (
        "events/file-rejected.json",
        "not an execution",
        lambda: _with(fixture("fileshare/file-rejected.json"), "exec-1", "detail", "executionArn"),
    ),
    (
        "events/s3-object-created.json",
        "another source",
        lambda: _with(fixture("s3/object-created.json"), "fileshare", "source"),
    ),
    (
        "events/s3-object-created.json",
        "outside uploads/",
        lambda: _with(fixture("s3/object-created.json"), "x/y", "detail", "object", "key"),
    ),
    (
        "events/s3-object-created.json",
        "no etag at all",
        lambda: _without(fixture("s3/object-created.json"), "detail", "object", "etag"),
    ),
    (
        "events/s3-object-created.json",
        "unknown detail field",
        lambda: _with(fixture("s3/object-created.json"), 1, "detail", "extra"),
    ),
    ("api/create-upload.response.json", "unknown method", lambda: {**post_plan(), "method": "PUT"}),
    ("api/create-upload.response.json", "POST plan with parts", lambda: {**post_plan(), "parts": []}),
    (
        "api/create-upload.response.json",
        "POST fields without policy",
        lambda: _without(post_plan(), "fields", "policy"),
    ),
    ("api/create-upload.response.json", "multipart without abortUrl", lambda: _without(multipart_plan(), "abortUrl")),
    ("api/file.json", "READY without sha256", lambda: _without(api_file(), "sha256")),
    ("api/file.json", "REJECTED without reason", lambda: {**api_file(), "status": "REJECTED"}),
    ("api/file.json", "unknown status", lambda: {**api_file(), "status": "CLEAN"}),
    ("api/share.json", "owner's share without token", lambda: _without(api_share(), "token")),
    ("api/share.json", "url to another page", lambda: {**api_share(), "url": f"{APP_URL}/files/{TOKEN}"}),
    ("api/public-share.response.json", "owner's id leaks", lambda: {**public_body(), "ownerId": OWNER}),
    (
        "api/download.response.json",
        "not a URL",
        lambda: {"url": "s3://bucket/key", "expiresAt": "2026-11-26T12:05:00.000Z"},
    ),
    ("api/error.json", "code for people", lambda: {"error": {"code": "Not Found", "message": "x"}}),
    ("records/share-item.json", "token in an unknown field", lambda: {**share_record().to_item(), "plainToken": TOKEN}),
    ("records/share-item.json", "pk is not the hash", lambda: {**share_record().to_item(), "pk": f"SHARE#{TOKEN}"}),
    ("records/file-item.json", "READY without hash", lambda: {**file_record().to_item(), "status": "READY"}),
    (
        "records/file-item.json",
        "FAILED without execution",
        lambda: file_record()._replace(status="FAILED", reason="x").to_item(),
    ),
    (
        "records/file-item.json",
        "DELETED still listed",
        lambda: {**file_record().to_item(), "status": "DELETED", "deletedAt": "2026-11-26T12:00:00.000Z"},
    ),
    (
        "workflow/validate-upload.output.json",
        "refusal without code",
        lambda: {**accepted_validation(), "accepted": False},
    ),
    (
        "workflow/validate-upload.output.json",
        "acceptance with code",
        lambda: {**accepted_validation(), "code": "empty"},
    ),
    (
        "workflow/scan-upload.output.json",
        "INFECTED without signature",
        lambda: {"engine": "yara", "verdict": "INFECTED", "signatures": []},
    ),
    (
        "workflow/scan-upload.output.json",
        "UNSCANNABLE without reason",
        lambda: {"engine": "yara", "verdict": "UNSCANNABLE", "signatures": []},
    ),
    ("workflow/mint-share.output.json", "token in the item", lambda: _with(minted(), {"S": TOKEN}, "item", "token")),
]


@pytest.mark.usefixtures("function")
@pytest.mark.parametrize(("schema", "why", "instance"), REFUSED, ids=[f"{s}: {w}" for s, w, _ in REFUSED])
def test_bad_payloads_are_refused(schema: str, why: str, instance: Callable[[], Any]) -> None:
    with pytest.raises(ValidationError):
        validate(schema, instance())


# --- (e) the records our code writes ---------------------------------------------------------

CREATED = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def file_record(**changes: Any) -> FileRecord:
    record = FileRecord.new(
        file_id=FILE_ID,
        owner_id=OWNER,
        name="hello.txt",
        size=11,
        content_type="text/plain",
        object_key=f"uploads/{OWNER}/{FILE_ID}",
        object_version="3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
        etag="5eb63bbbe01eeed093cb22bb8f5acdc3",
        created_at=CREATED,
        retention_seconds=30 * 24 * 3600,
        original_name="hello.txt",
    )
    return record._replace(**changes)


def ready_record() -> FileRecord:
    return file_record(status="READY", sha256=hashlib.sha256(b"hello world").hexdigest(), detected_type="text/plain")


def share_record(**changes: Any) -> ShareRecord:
    share = ShareRecord(
        share_id="a1b2c3d4e5f60718",
        file_id=FILE_ID,
        token_hash=hashlib.sha256(TOKEN.encode()).hexdigest(),
        token_ciphertext=base64.b64encode(b"kms ciphertext blob").decode(),
        created_at=clock.to_iso(CREATED),
        expires_at=clock.to_iso(clock.later(CREATED, 7 * 24 * 3600)),
    )
    return share._replace(**changes)


SECOND_FILE_ID = "f" * 32


def link_record(**changes: Any) -> ShareRecord:
    """A link to two files (POST /shares)."""
    return share_record()._replace(file_id=None, file_ids=(FILE_ID, SECOND_FILE_ID), owner_id=OWNER, **changes)


def second_record() -> FileRecord:
    return ready_record()._replace(file_id=SECOND_FILE_ID, name="notes.md", content_type="text/html")


RECORDS: list[tuple[str, Callable[[], dict[str, Any]]]] = [
    ("new file (PROCESSING)", lambda: file_record().to_item()),
    ("file kept forever", lambda: file_record()._replace(expires_at=None).to_item()),
    ("READY file", lambda: ready_record().to_item()),
    ("INFECTED file", lambda: file_record(status="INFECTED", reason="malware found: EICAR_Test_File").to_item()),
    (
        "FAILED file",
        lambda: file_record(
            status="FAILED",
            reason="processing failed: States.TaskFailed",
            failed_execution="arn:aws:states:us-east-1:123456789012:execution:ProcessUpload:7d3c0a4e",
        ).to_item(),
    ),
    ("EXPIRED file", lambda: file_record(status="EXPIRED").to_item()),
    ("share", lambda: share_record().to_item()),
    (
        "share with every option",
        lambda: share_record(
            max_downloads=3,
            downloads=1,
            password_hash="scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=",
            failed_attempts=2,
            locked_until=clock.to_iso(clock.later(CREATED, 900)),
        ).to_item(),
    ),
    ("link to several files", lambda: link_record().to_item()),
    (
        "used-up password link to several files",
        lambda: link_record(max_downloads=1, downloads=1, password_hash="scrypt$16384$8$1$c2FsdA==$aGFzaA==").to_item(),
    ),
]


@pytest.mark.parametrize("make", [m for _, m in RECORDS], ids=[n for n, _ in RECORDS])
def test_records_as_written_match_the_record_schemas(make: Callable[[], dict[str, Any]]) -> None:
    item = make()
    schema = "records/file-item.json" if item["sk"] == "FILE" else "records/share-item.json"
    validate(schema, item)
    # and as the table gives it back: attribute values, numbers as Decimal
    validate(schema, from_attribute_values(to_attribute_values(item)))


def test_a_real_password_hash_matches_the_share_item_schema() -> None:
    from fileshare.core.passwords import hash_password

    validate("records/share-item.json", share_record(password_hash=hash_password("correct horse")).to_item())


def test_a_file_as_the_workflows_leave_it_matches() -> None:
    """The items the state machines update, with $$.State.EnteredTime as AWS writes it."""
    entered = "2026-11-26T12:00:04.123Z"
    item = file_record().to_item()
    with pytest.raises(ValidationError):  # one format: moto's own (+00:00, microseconds) is not it
        validate("records/file-item.json", {**item, "updatedAt": "2026-11-26T12:00:04.123456+00:00"})
    validate(
        "records/file-item.json",
        {**item, "status": "READY", "sha256": "0" * 64, "detectedType": "text/plain", "updatedAt": entered},
    )
    deleted = {k: v for k, v in item.items() if k not in ("gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk")}
    validate("records/file-item.json", {**deleted, "status": "DELETED", "deletedAt": entered, "updatedAt": entered})
    share = share_record().to_item()
    validate("records/share-item.json", {**share, "revoked": True, "revokedAt": "2026-11-26T13:00:00.000Z"})
    validate("records/share-item.json", {**share, "downloads": 1, "lastDownloadAt": entered, "failedAttempts": 0})


# --- (f) what the API answers ----------------------------------------------------------------


@pytest.fixture
def kms(monkeypatch: pytest.MonkeyPatch) -> None:
    """KMS stand-in: the owner's view decrypts each link's token."""
    monkeypatch.setattr(keyring, "decrypt_token", lambda **_: TOKEN)
    monkeypatch.setattr(keyring, "encrypt_token", lambda **_: base64.b64encode(b"kms ciphertext blob").decode())


def api_share() -> dict[str, Any]:
    original = keyring.decrypt_token
    keyring.decrypt_token = lambda **_: TOKEN  # type: ignore[assignment]
    try:
        return owner_view(share_record(max_downloads=5, downloads=2), app_url=APP_URL)
    finally:
        keyring.decrypt_token = original  # type: ignore[assignment]


def api_file() -> dict[str, Any]:
    original = keyring.decrypt_token
    keyring.decrypt_token = lambda **_: TOKEN  # type: ignore[assignment]
    try:
        return file_view(ready_record(), [share_record()], app_url=APP_URL)
    finally:
        keyring.decrypt_token = original  # type: ignore[assignment]


def accepted_validation() -> dict[str, Any]:
    facts = UploadFacts(
        owner_id=OWNER,
        metadata_owner=OWNER,
        declared_name="hello.txt",
        declared_size=11,
        declared_type="text/plain",
        stored_size=11,
    )
    return validate_upload(facts, inspect_stream([b"hello world"]), max_upload_bytes=1024).to_dict()


def public_body() -> dict[str, Any]:
    return public_view(Link(share_record(max_downloads=5, downloads=2), [ready_record()]))


@pytest.mark.usefixtures("kms")
def test_a_file_with_its_links_matches_file_json() -> None:
    shares = [
        share_record(),
        share_record(
            share_id="0f0e0d0c0b0a0908",
            password_hash="scrypt$16384$8$1$c2FsdA==$aGFzaA==",
            max_downloads=1,
            downloads=1,
            revoked=True,
            locked_until=clock.to_iso(CREATED),
        ),
    ]
    view = file_view(ready_record(), shares, app_url=APP_URL)
    validate("api/file.json", view)
    assert view["shares"][0]["token"] == TOKEN and view["shares"][0]["url"] == f"{APP_URL}/s/{TOKEN}"
    for share in shares:
        validate("api/share.json", owner_view(share, app_url=APP_URL))


@pytest.mark.usefixtures("kms")
@pytest.mark.parametrize(
    "record",
    [
        file_record(),
        file_record()._replace(expires_at=None),
        file_record(status="REJECTED", reason="the file is empty"),
        file_record(status="FAILED", reason="processing failed: x", failed_execution="arn:aws:states:x"),
    ],
    ids=["processing", "no expiry", "rejected", "failed"],
)
def test_files_in_every_state_match_file_json_and_the_list(record: FileRecord) -> None:
    view = file_view(record, [], app_url=APP_URL)
    validate("api/file.json", view)
    validate("api/file-list.response.json", {"items": [view, api_file()], "nextToken": "eyJwayI6IC4uLn0="})
    validate("api/file-list.response.json", {"items": []})


def test_the_recipients_view_matches_public_share_json() -> None:
    validate("api/public-share.response.json", public_body())
    validate(
        "api/public-share.response.json",
        public_view(Link(share_record(password_hash="scrypt$1$1$1$AA==$AA=="), [ready_record()])),
    )


@pytest.fixture
def offline_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Credentials and a region, so boto3 can sign; no endpoint, so nothing here may call AWS."""
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "offline")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    aws.client.cache_clear()
    yield
    aws.client.cache_clear()


LIMITS = UploadLimits(
    max_upload_bytes=10 * 2**30,
    single_post_max_bytes=100 * 2**20,
    part_bytes=16 * 2**20,
    post_ttl_seconds=600,
    multipart_ttl_seconds=21600,
)


def post_plan() -> dict[str, Any]:
    request = UploadRequest(name="Q3 résumé.pdf", size=48213, content_type="application/pdf")
    return plan_upload(owner_id=OWNER, request=request, bucket=BUCKET, limits=LIMITS)


def multipart_plan() -> dict[str, Any]:
    original = storage.start_multipart
    storage.start_multipart = lambda **_: "VXBsb2FkSWQtZXhhbXBsZQ"  # type: ignore[assignment]
    try:
        request = UploadRequest(name="video.mp4", size=300 * 2**20 + 1, content_type="video/mp4")
        return plan_upload(owner_id=OWNER, request=request, bucket=BUCKET, limits=LIMITS)
    finally:
        storage.start_multipart = original  # type: ignore[assignment]


@pytest.mark.usefixtures("offline_aws")
def test_both_upload_plans_match_create_upload_response_json() -> None:
    post, multipart = post_plan(), multipart_plan()
    validate("api/create-upload.response.json", post)
    validate("api/create-upload.response.json", multipart)
    assert post["method"] == "POST" and multipart["method"] == "MULTIPART" and len(multipart["parts"]) == 19


@pytest.mark.usefixtures("offline_aws")
def test_a_download_link_matches_download_response_json() -> None:
    record = ready_record()
    link = presign_download(record, bucket=BUCKET, at=CREATED)
    validate("api/download.response.json", link.to_view())
    assert link.to_view()["sha256"] == record.sha256


@pytest.mark.parametrize(
    "error",
    [cls("m") for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, errors.DomainError)]
    + [
        errors.InvalidRequest("m", code="name_too_long"),
        errors.Conflict("m", code="file_not_ready"),
        errors.Forbidden("m", code="wrong_password"),
    ],
    ids=lambda e: e.code,
)
def test_every_domain_error_answers_error_json(error: errors.DomainError) -> None:
    answer = error_response(error.status, error.code, error.message)
    assert 400 <= answer.status_code < 500
    validate("api/error.json", json.loads(str(answer.body)))


# --- a whole function, and the workflow steps, on real inputs ----------------------------------


@dataclass
class LambdaContextStub:
    function_name: str = "fileshare-test"
    function_version: str = "$LATEST"
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:fileshare-test"
    memory_limit_in_mb: int = 256
    aws_request_id: str = "5f2c9b8f-1a10-4c55-9d3e-2d7b3d1a7f9e"
    log_group_name: str = "/aws/lambda/fileshare-test"
    log_stream_name: str = "2026/11/26/[$LATEST]0123456789abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


FUNCTION_ENVIRONMENT = {
    "POWERTOOLS_SERVICE_NAME": "fileshare",
    "POWERTOOLS_METRICS_NAMESPACE": "Fileshare",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "UPLOADS_BUCKET": BUCKET,
    "MAX_UPLOAD_BYTES": str(10 * 2**30),
    "SINGLE_POST_MAX_BYTES": str(100 * 2**20),
    "MULTIPART_PART_BYTES": str(16 * 2**20),
    "FILE_RETENTION_SECONDS": str(30 * 24 * 3600),
    "TOKEN_KEY_ID": "alias/fileshare-tokens",
    "SHARE_DEFAULT_TTL_SECONDS": str(7 * 24 * 3600),
    "SCANNER_ENGINE": "yara",
    "TABLE_NAME": "fileshare-test-table",
    "MAX_BYTES_STORED": str(50 * 2**30),
    "MAX_UPLOADS_PER_HOUR": "60",
}


@pytest.fixture
def function(offline_aws: None, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], ModuleType]:
    """Import a function's module as Lambda would, with its environment (read once, at import)."""
    for name, value in FUNCTION_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    # Powertools read their environment when fileshare.observability was first imported (by this module).
    from fileshare.observability import metrics

    monkeypatch.setattr(metrics, "namespace", FUNCTION_ENVIRONMENT["POWERTOOLS_METRICS_NAMESPACE"])
    # The owner's usage, from a fake index: one upload registered, nothing else stored.
    monkeypatch.setattr(IndexReader, "usage", lambda self, owner_id, *, since: Usage(0, 1))
    return importlib.import_module


def test_the_uploads_function_answers_the_fixture_with_a_plan_that_matches(
    function: Callable[[str], ModuleType],
) -> None:
    uploads = function("fileshare.api.uploads")
    answer = uploads.handler(fixture(APIGW_FIXTURE), LambdaContextStub())
    body = json.loads(answer["body"])
    assert answer["statusCode"] == 201, body
    validate_response("POST", "/uploads", 201, body)
    assert body["fields"]["key"] == f"uploads/{OWNER}/{body['fileId']}"
    assert body["fields"]["x-amz-meta-owner"] == OWNER  # the sub of the fixture's claims


@pytest.mark.filterwarnings("ignore:No application metrics to publish")
def test_the_uploads_function_answers_a_bad_body_with_error_json(function: Callable[[str], ModuleType]) -> None:
    uploads = function("fileshare.api.uploads")
    event = _with(fixture(APIGW_FIXTURE), json.dumps({"name": "a", "size": -1, "contentType": "text/plain"}), "body")
    answer = uploads.handler(event, LambdaContextStub())
    assert answer["statusCode"] == 400
    validate_response("POST", "/uploads", 400, json.loads(answer["body"]))


@pytest.mark.filterwarnings("ignore:No application metrics to publish")
@pytest.mark.parametrize("token_use", ["access", None])
def test_a_token_other_than_an_id_token_gets_401_with_error_json(
    function: Callable[[str], ModuleType], token_use: str | None
) -> None:
    # API Gateway's authorizer lets the app client's access tokens through; the function does not.
    uploads = function("fileshare.api.uploads")
    claims = fixture(APIGW_FIXTURE)["requestContext"]["authorizer"]["jwt"]["claims"]
    claims = {k: v for k, v in claims.items() if k not in ("aud", "token_use")}
    if token_use is not None:
        claims |= {"client_id": "4k1example7app1client2id3", "token_use": token_use}
    event = _with(fixture(APIGW_FIXTURE), claims, "requestContext", "authorizer", "jwt", "claims")
    answer = uploads.handler(event, LambdaContextStub())
    body = json.loads(answer["body"])
    assert answer["statusCode"] == 401
    assert body["error"]["code"] == "unauthorized"
    validate_response("POST", "/uploads", 401, body)


def _head(body: bytes) -> dict[str, Any]:
    return {
        "ETag": f'"{hashlib.md5(body).hexdigest()}"',  # noqa: S324 - S3's ETag, not a security use
        "ContentType": "text/plain",
        "ContentLength": len(body),
        "ChecksumSHA256": base64.b64encode(hashlib.sha256(body).digest()).decode(),
        "Metadata": {"owner": OWNER, "name": "hello%20world.txt", "size": str(len(body))},
    }


def described(function: Callable[[str], ModuleType], monkeypatch: pytest.MonkeyPatch, body: bytes) -> dict[str, Any]:
    step = function("fileshare.workflow.describe_upload")
    monkeypatch.setattr(storage, "head_object", lambda **_: _head(body))
    return dict(step.describe(fixture("s3/object-created.json")))


def test_describe_upload_on_the_s3_fixture_matches_and_its_item_is_a_file_item(
    function: Callable[[str], ModuleType], monkeypatch: pytest.MonkeyPatch
) -> None:
    upload = described(function, monkeypatch, b"hello world")
    validate("workflow/describe-upload.output.json", upload)
    validate("records/file-item.json", from_attribute_values(upload["item"]))
    assert upload["fileId"] == FILE_ID and upload["ownerId"] == OWNER and upload["declaredName"] == "hello world.txt"

    monkeypatch.setattr(storage, "head_object", lambda **_: {"ContentLength": 0, "Metadata": {}})
    bare = function("fileshare.workflow.describe_upload").describe(fixture("s3/object-created.json"))
    validate("workflow/describe-upload.output.json", bare)  # no metadata, no checksum: nulls, not gaps


@pytest.mark.parametrize(
    ("declared", "body", "accepted"),
    [(b"hello world", b"hello world", True), (b"hello world", b"hello world, and more", False), (b"", b"", False)],
    ids=["accepted", "size mismatch", "empty"],
)
def test_validate_upload_output_matches(
    function: Callable[[str], ModuleType], monkeypatch: pytest.MonkeyPatch, declared: bytes, body: bytes, accepted: bool
) -> None:
    upload = described(function, monkeypatch, declared)
    monkeypatch.setattr(storage, "iter_object", lambda **_: iter([body]))
    result = function("fileshare.workflow.validate_upload").validate(upload)
    validate("workflow/validate-upload.output.json", result)
    assert result["accepted"] is accepted


def unreadable(**_: Any) -> Iterator[bytes]:
    raise AssertionError("the object was read")


@pytest.mark.parametrize(
    ("head", "code"),
    [
        ({"size": 12}, "size_mismatch"),  # S3 says 12 bytes; 11 were declared
        ({"size": 11 * 2**30}, "too_large"),
        ({"metadataOwner": "someone-else"}, "owner_mismatch"),
    ],
)
def test_validate_upload_refuses_from_s3s_answer_before_reading_a_byte(
    function: Callable[[str], ModuleType], monkeypatch: pytest.MonkeyPatch, head: dict[str, Any], code: str
) -> None:
    upload = {**described(function, monkeypatch, b"hello world"), **head}
    monkeypatch.setattr(storage, "iter_object", unreadable)

    result = function("fileshare.workflow.validate_upload").validate(upload)

    validate("workflow/validate-upload.output.json", result)
    assert (result["accepted"], result["code"]) == (False, code)


@pytest.mark.parametrize(
    "refused",
    [None, ("quota_exceeded", "over"), ("upload_rate_exceeded", "r" * 900)],
    ids=["admitted", "bytes", "rate"],
)
def test_admit_upload_output_matches(
    function: Callable[[str], ModuleType], monkeypatch: pytest.MonkeyPatch, refused: tuple[str, str] | None
) -> None:
    upload = described(function, monkeypatch, b"hello world")
    step = function("fileshare.workflow.admit_upload")
    monkeypatch.setattr(step, "admit", lambda **_: refused)
    result = step.admit_upload(upload)
    validate("workflow/admit-upload.output.json", result)
    assert result["admitted"] is (refused is None)


@pytest.mark.parametrize(
    ("body", "verdict"),
    [
        (b"hello world", "CLEAN"),
        (EICAR, "INFECTED"),
        (zip_of({"bin/tool": ELF}), "REFUSED"),
        (encrypted_zip(), "UNSCANNABLE"),
    ],
    ids=["clean", "infected", "refused", "unscannable"],
)
def test_scan_upload_output_matches(
    function: Callable[[str], ModuleType], monkeypatch: pytest.MonkeyPatch, body: bytes, verdict: str
) -> None:
    upload = described(function, monkeypatch, body)
    monkeypatch.setattr(storage, "iter_object", lambda **_: iter([body]))
    step = function("fileshare.workflow.scan_upload")
    result = step.scan(upload)
    validate("workflow/scan-upload.output.json", result)
    assert result["verdict"] == verdict


@pytest.mark.parametrize(
    "status", ["NO_THREATS_FOUND", "THREATS_FOUND", "UNSUPPORTED", "ACCESS_DENIED", "FAILED", None]
)
def test_every_guardduty_verdict_matches_the_scan_output(status: str | None) -> None:
    detail: dict[str, Any] = {"scanStatus": "COMPLETED" if status else "SKIPPED", "scanResultDetails": {}}
    if status:
        detail["scanResultDetails"] = {"scanResultStatus": status, "threats": None}
    validate("workflow/scan-upload.output.json", guardduty_verdict(detail))


def minted(**event: Any) -> dict[str, Any]:
    """The MintShareToken step's output (run for real, KMS faked)."""
    original = keyring.encrypt_token
    keyring.encrypt_token = lambda **_: base64.b64encode(b"kms ciphertext blob").decode()  # type: ignore[assignment]
    try:
        step = importlib.import_module("fileshare.workflow.mint_share")
        return dict(step.handler({"fileId": FILE_ID, "fileExpiresAt": None, **event}, LambdaContextStub()))
    finally:
        keyring.encrypt_token = original  # type: ignore[assignment]


@pytest.mark.parametrize(
    "event",
    [
        {},
        {"fileExpiresAt": "2026-12-26T12:00:00.000Z"},
        {"ttlSeconds": 3600, "maxDownloads": 1, "passwordHash": "scrypt$16384$8$1$c2FsdA==$aGFzaA=="},
        {"ownerId": OWNER, "maxShares": 20},
        {"fileId": None, "fileIds": [FILE_ID, SECOND_FILE_ID], "ownerId": OWNER, "maxShares": 20, "maxDownloads": 1},
    ],
    ids=["default link", "capped by the file", "with options", "a command", "a link to several files"],
)
def test_mint_share_output_matches_and_its_item_is_a_share_item(
    function: Callable[[str], ModuleType], event: dict[str, Any]
) -> None:
    function("fileshare.workflow.mint_share")
    output = minted(**event)
    validate("workflow/mint-share.output.json", output)
    item = from_attribute_values(output["item"])
    validate("records/share-item.json", item)
    assert output["passwordProtected"] is ("passwordHash" in event)
    assert output["fileIds"] == event.get("fileIds", [FILE_ID])
    if "maxShares" in event:  # a command: one claim per file, then the link
        claims = [t["Update"]["Key"]["pk"]["S"] for t in output["transactItems"][:-1]]
        assert claims == [f"FILE#{f}" for f in output["fileIds"]]
        assert output["transactItems"][-1]["Put"]["Item"] == output["item"]
    else:
        assert "transactItems" not in output


def test_validator_for_is_built_once_and_takes_any_spelling() -> None:
    assert validator_for("api/file.json") is validator_for("schemas/api/file.json")
    assert validator_for("./api/file.json") is validator_for("https://fileshare.example/schemas/api/file.json")
    assert registry() is registry()
    with pytest.raises(FileNotFoundError):
        validator_for("api/nope.json")
    validator_for("records/file-item.json").validate(
        plain(from_attribute_values(to_attribute_values(ready_record().to_item())))
    )


@pytest.mark.usefixtures("kms")
def test_a_link_to_several_files_matches_share_json_and_the_link_list() -> None:
    view = owner_view(link_record(), app_url=APP_URL, files=[ready_record(), second_record()])
    validate("api/share.json", view)
    validate("api/link-list.response.json", {"items": [view], "nextToken": "eyJwayI6IC4uLn0="})
    assert [f["fileId"] for f in view["files"]] == [FILE_ID, SECOND_FILE_ID]
    assert view["files"][1]["contentType"] == "application/octet-stream"  # served as, like a download


def test_the_recipients_view_of_a_link_to_several_files_matches_the_contract() -> None:
    link = Link(link_record(max_downloads=2), [ready_record(), second_record()])
    locked = link._replace(share=link_record(password_hash="scrypt$1$1$1$AA==$AA=="))
    for body in (public_view(link), public_view(locked)):
        validate("api/public-share.response.json", body)
    validate("api/public-link-details.json", public_view(link))


@pytest.mark.usefixtures("offline_aws")
def test_a_redeemed_link_to_several_files_matches_link_download_response_json() -> None:
    from fileshare.core.shares import download_view

    body = download_view(Link(link_record(), [ready_record(), second_record()]), bucket=BUCKET, at=CREATED)
    validate("api/link-download.response.json", body)
    assert [f["name"] for f in body["files"]] == ["hello.txt", "notes.md"]
    assert all("response-content-disposition=attachment" in f["url"] for f in body["files"])
