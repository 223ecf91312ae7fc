"""The JSON Schemas in schemas/, as validators that tests apply to real payloads: every event the
bus recorder sees, every API answer the integration client gets, every index item read back."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"

EVENT_SCHEMAS = {
    "Object Created": "events/s3-object-created.json",
    "GuardDuty Malware Protection Object Scan Result": "events/guardduty-object-scan-result.json",
    "FileReady": "events/file-ready.json",
    "FileRejected": "events/file-rejected.json",
    "FileShared": "events/file-shared.json",
    "ShareRevoked": "events/share-revoked.json",
    "FileDeleted": "events/file-deleted.json",
    "FileDownloaded": "events/file-downloaded.json",
}
# (method, path pattern, status) -> the schema of the answer's body
RESPONSE_SCHEMAS = [
    ("POST", r"^/uploads$", 201, "api/create-upload.response.json"),
    ("GET", r"^/files$", 200, "api/file-list.response.json"),
    ("GET", r"^/files/[^/]+$", 200, "api/file.json"),
    ("GET", r"^/files/[^/]+/downloads$", 200, "api/downloads.response.json"),
    ("POST", r"^/files/[^/]+/shares$", 201, "api/share.json"),
    ("GET", r"^/public/shares/[^/]+$", 200, "api/public-share.response.json"),
    ("POST", r"^/public/shares/[^/]+/download$", 200, "api/download.response.json"),
]


def schema_files() -> list[Path]:
    return sorted(SCHEMAS.rglob("*.json"))


@cache
def registry() -> Registry:
    resources = []
    for path in schema_files():
        contents = json.loads(path.read_text())
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@cache
def validator_for(relative: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / relative).read_text())
    return Draft202012Validator(schema, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _plain(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal; JSON Schema speaks JSON."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def validate(relative: str, instance: Any) -> None:
    validator_for(relative).validate(_plain(instance))


def validate_event(event: dict[str, Any]) -> None:
    validate(EVENT_SCHEMAS[event["detail-type"]], event)


def validate_response(method: str, path: str, status: int, body: Any) -> None:
    """Check an API answer against its schema; every 4xx against the error schema."""
    if 400 <= status < 500 and status != 401:
        validate("api/error.json", body)
        return
    for want_method, pattern, want_status, relative in RESPONSE_SCHEMAS:
        if method == want_method and status == want_status and re.match(pattern, path):
            validate(relative, body)
            return
