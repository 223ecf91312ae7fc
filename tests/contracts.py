"""The JSON Schemas in schemas/, as validators that tests apply to real payloads: every event the
bus recorder sees, every API answer the integration client gets, every index item read back.

    from tests.contracts import validator_for
    validator_for("api/file.json").validate(body)

Every schema file is loaded once into one ``referencing.Registry`` keyed by its ``$id``
(https://fileshare.example/schemas/<folder>/<file>), so relative refs such as ``"share.json"``
resolve offline. The answers of the HTTP API are looked up in ``schemas/api/openapi.yaml`` itself,
so the integration tests check the OpenAPI document, not a second copy of it.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
SCHEMA_BASE = "https://fileshare.example/schemas/"
OPENAPI_PATH = SCHEMAS / "api" / "openapi.yaml"

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


def schema_files() -> list[Path]:
    return sorted(SCHEMAS.rglob("*.json"))


@cache
def registry() -> Registry:
    """Every schema file, keyed by its ``$id``; built once per process."""
    resources = []
    for path in schema_files():
        contents = json.loads(path.read_text())
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources).crawl()


def _relative(schema_path: str) -> str:
    """``api/file.json``; also accepts ``schemas/api/file.json``, ``./api/file.json`` or the ``$id``."""
    text = schema_path.removeprefix(SCHEMA_BASE).removeprefix("./").removeprefix("schemas/")
    if not (SCHEMAS / text).is_file():
        raise FileNotFoundError(f"no schema {schema_path!r} under {SCHEMAS}")
    return text


@cache
def _validator(relative: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": SCHEMA_BASE + relative}, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def validator_for(schema_relative_path: str) -> Draft202012Validator:
    """A (cached) validator for one schema file, path relative to schemas/ (``events/file-ready.json``)."""
    return _validator(_relative(schema_relative_path))


def plain(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal and string sets as sets; JSON Schema speaks JSON."""
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def validate(relative: str, instance: Any) -> None:
    validator_for(relative).validate(plain(instance))


def validate_event(event: dict[str, Any]) -> None:
    validate(EVENT_SCHEMAS[event["detail-type"]], event)


# --- the HTTP API, from the OpenAPI document -------------------------------------------------


@cache
def openapi() -> dict[str, Any]:
    return dict(yaml.safe_load(OPENAPI_PATH.read_text()))


def _in_openapi(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``#/components/...`` reference."""
    while "$ref" in node and str(node["$ref"]).startswith("#/"):
        target: Any = openapi()
        for part in str(node["$ref"])[2:].split("/"):
            target = target[part]
        node = target
    return node


def _as_json_schema(node: Any) -> Any:
    """An OpenAPI schema object whose refs are relative to schemas/api/, with absolute refs."""
    if isinstance(node, dict):
        return {
            k: (SCHEMA_BASE + "api/" + v.removeprefix("./") if k == "$ref" else _as_json_schema(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_as_json_schema(v) for v in node]
    return node


def _path_pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")


@cache
def _routes() -> list[tuple[re.Pattern[str], str]]:
    # Literal paths first, so that /files/{fileId}/shares never shadows a more specific literal.
    templates = sorted(openapi()["paths"], key=lambda t: (t.count("{"), -len(t)))
    return [(_path_pattern(t), t) for t in templates]


def openapi_operation(method: str, path: str) -> dict[str, Any] | None:
    for pattern, template in _routes():
        if pattern.match(path):
            operation = openapi()["paths"][template].get(method.lower())
            return dict(operation) if operation else None
    return None


@cache
def _response_validator(method: str, template_path: str, status: int) -> Draft202012Validator | None:
    operation = openapi()["paths"][template_path][method.lower()]
    response = operation["responses"].get(str(status))
    if response is None:
        raise AssertionError(f"{method} {template_path} answered {status}, which openapi.yaml does not document")
    content = _in_openapi(response).get("content")
    if not content:
        return None
    schema = _as_json_schema(content["application/json"]["schema"])
    return Draft202012Validator(schema, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate_response(method: str, path: str, status: int, body: Any) -> None:
    """Check an API answer against what openapi.yaml documents for that operation and status.

    An undocumented status on a documented operation is a failure. A path the document does not
    know (the ``$default`` route) must answer a 4xx with the error schema."""
    for pattern, template in _routes():
        if pattern.match(path) and method.lower() in openapi()["paths"][template]:
            validator = _response_validator(method.upper(), template, status)
            if validator is None:
                assert body in (None, "", b""), f"{method} {path} {status} documents no body, got {body!r}"
            else:
                validator.validate(body)
            return
    assert 400 <= status < 500, f"{method} {path} is not in openapi.yaml and answered {status}"
    validate("api/error.json", body)
