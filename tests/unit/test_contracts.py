"""The contracts themselves: valid schemas whose references resolve, an OpenAPI document that
names them, fixtures that match, and the records our code writes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, ValidationError

from fileshare.core import clock
from fileshare.core.records import FileRecord, ShareRecord
from fileshare.core.scan_rendezvous import guardduty_verdict
from tests.contracts import ROOT, SCHEMAS, schema_files, validate, validate_event

OPENAPI = yaml.safe_load((SCHEMAS / "api" / "openapi.yaml").read_text())


@pytest.mark.parametrize("path", schema_files(), ids=lambda p: str(p.relative_to(SCHEMAS)))
def test_every_schema_is_valid_and_its_id_matches_its_place(path: Path) -> None:
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith("/schemas/" + str(path.relative_to(SCHEMAS)))


def test_openapi_covers_the_contract_in_api_md_and_its_refs_exist() -> None:
    assert OPENAPI["openapi"].startswith("3.1")
    implemented = {p for p, item in OPENAPI["paths"].items() if "x-fileshare-status" not in item}
    assert implemented >= {
        "/uploads",
        "/files",
        "/files/{fileId}",
        "/files/{fileId}/shares",
        "/files/{fileId}/shares/{shareId}",
        "/public/shares/{token}",
        "/public/shares/{token}/download",
    }
    refs = re.findall(r"\$ref: \"\./([^\"]+)\"", (SCHEMAS / "api" / "openapi.yaml").read_text())
    assert refs and all((SCHEMAS / "api" / ref).is_file() for ref in refs)


def test_every_route_of_the_template_is_in_the_openapi_document() -> None:
    template = (ROOT / "template.yaml").read_text()
    routes = set(re.findall(r"Method: (\w+)\n\s+Path: (/[^\s]+)", template))
    for method, path in routes:
        assert method.lower() in OPENAPI["paths"][path], (method, path)


@pytest.mark.parametrize("fixture", sorted((ROOT / "tests" / "events").rglob("*.json")), ids=lambda p: p.name)
def test_event_fixtures_match_their_schemas(fixture: Path) -> None:
    validate_event(json.loads(fixture.read_text()))


def test_the_guardduty_fixture_reads_as_infected() -> None:
    event = json.loads((ROOT / "tests" / "events" / "guardduty" / "object-scan-result.json").read_text())
    assert guardduty_verdict(event["detail"]) == {
        "engine": "guardduty",
        "verdict": "INFECTED",
        "signatures": ["EICAR-Test-File (not a virus)"],
    }


def test_records_as_written_match_the_record_schemas() -> None:
    record = FileRecord.new(
        file_id="0" * 32,
        owner_id="owner-1",
        name="a.txt",
        size=3,
        content_type="text/plain",
        object_key="uploads/owner-1/" + "0" * 32,
        object_version="v1",
        etag="e",
        created_at=clock.now(),
        retention_seconds=3600,
    )
    share = ShareRecord(
        share_id="0" * 16,
        file_id="0" * 32,
        token_hash="a" * 64,
        token_ciphertext="Y2lwaGVy",
        created_at=clock.to_iso(clock.now()),
        expires_at=clock.to_iso(clock.now()),
        max_downloads=2,
        password_hash="scrypt$16384$8$1$c2FsdA==$aGFzaA==",
    )
    validate("records/file-item.json", record.to_item())
    validate("records/share-item.json", share.to_item())


@pytest.mark.parametrize(
    ("schema", "instance"),
    [
        ("records/share-item.json", {"token": "plaintext-must-never-be-stored"}),
        ("api/error.json", {"error": {"message": "no code"}}),
        ("api/create-upload.response.json", {"fileId": "0" * 32, "method": "PUT", "url": "x", "expiresAt": "x"}),
    ],
)
def test_bad_payloads_are_refused(schema: str, instance: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        validate(schema, instance)


def test_a_file_ready_event_without_its_hash_is_refused() -> None:
    event = json.loads((ROOT / "tests" / "events" / "s3" / "object-created.json").read_text())
    event.update({"detail-type": "FileReady", "source": "fileshare", "detail": {"fileId": "0" * 32}})
    with pytest.raises(ValidationError, match="required"):
        validate_event(event)
