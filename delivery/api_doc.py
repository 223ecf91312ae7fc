"""``docs/api.md``, the HTTP contract for people, generated from ``schemas/api/openapi.yaml`` and
the JSON Schemas it references (``make docs``). A unit test fails when the file is stale."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

from delivery.stage import ROOT

API_DIR = ROOT / "schemas" / "api"
METHODS = ("get", "post", "put", "patch", "delete")


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return f"[{Path(schema['$ref']).stem}](../schemas/api/{Path(schema['$ref']).name})"
    if "enum" in schema:
        return " \\| ".join(f"`{v}`" for v in schema["enum"])
    if "const" in schema:
        return f"`{schema['const']}`"
    kind = schema.get("type", "any")
    kind = " or ".join(kind) if isinstance(kind, list) else kind
    if kind == "array" and "items" in schema:
        return f"array of {_type(schema['items'])}"
    return str(kind)


def _fields(schema: dict[str, Any]) -> list[str]:
    required = set(schema.get("required", []))
    lines = ["| field | type | required | notes |", "| --- | --- | --- | --- |"]
    for name, spec in schema.get("properties", {}).items():
        notes = spec.get("description", "")
        lines.append(f"| `{name}` | {_type(spec)} | {'yes' if name in required else ''} | {_cell(notes)} |")
    return lines


def _local(schema: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """Follows a ``$ref`` inside this schema (``#/$defs/...``) or to a file beside it."""
    ref = item.get("$ref")
    if ref is None:
        return item
    if ref.startswith("#/"):
        target: Any = schema
        for part in ref[2:].split("/"):
            target = target[part]
        return dict(target)
    return dict(json.loads((API_DIR / ref).read_text()))


def _schema(ref: str) -> list[str]:
    path = API_DIR / ref
    schema = json.loads(path.read_text())
    lines = [
        f"Schema: [{path.name}](../schemas/api/{path.name})" + (f" — {schema['title']}" if "title" in schema else "")
    ]
    if schema.get("description"):
        lines += ["", _cell(schema["description"])]
    alternatives = schema.get("oneOf") or schema.get("anyOf")
    if "properties" in schema:
        lines += ["", *_fields(schema)]
    elif alternatives:
        for alternative in alternatives:
            target = _local(schema, alternative)
            lines += ["", f"One of: **{_cell(target.get('title', 'object'))}**", "", *_fields(target)]
    return lines


def _resolve(item: dict[str, Any], components: dict[str, Any], kind: str) -> dict[str, Any]:
    """A ``#/components/<kind>/<name>`` reference's target, or the item itself."""
    return dict(components[kind][item["$ref"].rsplit("/", 1)[-1]]) if "$ref" in item else item


def _responses(operation: dict[str, Any], components: dict[str, Any]) -> list[str]:
    lines = ["| status | meaning | body |", "| --- | --- | --- |"]
    for status, given in operation.get("responses", {}).items():
        answer = _resolve(given, components, "responses")
        description = given.get("description")
        schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
        refs = [schema] if "$ref" in schema else schema.get("oneOf", [])
        body = ", ".join(_type(r) for r in refs) or "none"
        lines.append(f"| {status} | {_cell(description or answer.get('description', ''))} | {body} |")
    return lines


def _parameters(parameters: list[dict[str, Any]], components: dict[str, Any]) -> list[str]:
    lines = ["| parameter | in | required | notes |", "| --- | --- | --- | --- |"]
    for given in parameters:
        parameter = _resolve(given, components, "parameters")
        notes = _cell(parameter.get("description", ""))
        pattern = parameter.get("schema", {}).get("pattern")
        notes += f" (`{pattern}`)" if pattern else ""
        required = "yes" if parameter.get("required") else ""
        lines.append(f"| `{parameter['name']}` | {parameter['in']} | {required} | {notes} |")
    return lines


def render(openapi_path: Path = API_DIR / "openapi.yaml") -> str:
    spec = yaml.safe_load(openapi_path.read_text())
    components = spec.get("components", {})
    out = [
        "# HTTP API",
        "",
        "<!-- Generated from schemas/api/openapi.yaml by `make docs`; edit the contract, not this file."
        " tests/unit/test_docs.py fails when it is stale. -->",
        "",
        f"{spec['info']['summary']} Contract: [openapi.yaml](../schemas/api/openapi.yaml)"
        f" (OpenAPI {spec['openapi']}, version {spec['info']['version']}).",
        "",
        *[_cell(p) + "\n" for p in spec["info"]["description"].split("\n\n") if p.strip()],
        "## Routes",
        "",
        "| method | path | who | what |",
        "| --- | --- | --- | --- |",
    ]
    operations = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                public = operation.get("security", spec.get("security")) == []
                planned = " (planned)" if item.get("x-fileshare-status") == "planned" else ""
                who = "anyone" if public else "signed-in owner (JWT)"
                who = "operators (JWT)" if "ops" in operation.get("tags", []) else who
                anchor = f"{method}-{path}".lower().replace("/", "").replace("{", "").replace("}", "")
                out.append(
                    f"| {method.upper()} | [`{path}`](#{anchor}) | {who} | {_cell(operation['summary'])}{planned} |"
                )
                operations.append((method, path, item, operation))
    for method, path, item, operation in operations:
        out += ["", f"## {method.upper()} {path}", "", _cell(operation["summary"])]
        if item.get("x-fileshare-status") == "planned":
            out += ["", "**Planned:** in the contract, not served yet."]
        if operation.get("description"):
            out += ["", _cell(operation["description"])]
        parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
        if parameters:
            out += ["", "### Parameters", "", *_parameters(parameters, components)]
        body = operation.get("requestBody")
        if body:
            ref = body["content"]["application/json"]["schema"]["$ref"]
            optional = "" if body.get("required") else " (optional)"
            out += ["", f"### Request body{optional}", "", *_schema(ref)]
        out += ["", "### Responses", "", *_responses(operation, components)]
        for answer in operation.get("responses", {}).values():
            schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
            if "$ref" in schema and not schema["$ref"].endswith("error.json"):
                out += ["", *_schema(schema["$ref"])]
    return "\n".join(out).replace("\n\n\n", "\n\n").rstrip() + "\n"


def main() -> None:
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
