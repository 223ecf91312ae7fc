"""Workflow executions as operators see them: summaries, step-by-step timelines from the
execution history, and redaction of every secret before anything leaves the function.

Pure logic over the shapes Step Functions answers (``DescribeExecution``, ``GetExecutionHistory``
events); ``fileshare.core.workflow_runs`` fetches them.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime
from typing import Any, NamedTuple

from fileshare.core import clock
from fileshare.core.errors import InvalidRequest
from fileshare.core.keys import FILE_ID_RE, parse_upload_key

STATUSES = ("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")
REDRIVABLE = ("FAILED", "TIMED_OUT", "ABORTED")
REDACTED = "[redacted]"
# Keys whose values are secrets wherever they appear (records, step inputs and outputs, causes):
# share tokens and links, passwords and their hashes, KMS ciphertexts and plaintexts.
SECRET_KEYS = frozenset(
    {
        "token",
        "url",
        "password",
        "passwordHash",
        "tokenHash",
        "tokenCiphertext",
        "CiphertextBlob",
        "Plaintext",
    }
)
# Values that carry a secret whatever their key: a share item's key holds the token's hash, a
# share link holds the token.
SECRET_VALUES = (re.compile(r"SHARE#[0-9a-f]{64}"), re.compile(r"/s/[A-Za-z0-9_-]{20,}"))


def redact(value: Any) -> Any:
    """A copy of ``value`` with every secret replaced; JSON held in strings is redacted inside."""
    if isinstance(value, dict):
        return {k: REDACTED if k in SECRET_KEYS else redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in ("{", "[") and text[-1:] in ("}", "]"):
            try:
                return json.dumps(redact(json.loads(text)), separators=(",", ":"))
            except ValueError:
                pass
        for pattern in SECRET_VALUES:
            value = pattern.sub(REDACTED, value)
        return value
    return value


def parse_json(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def iso(moment: Any) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return clock.to_iso(moment)
    return str(moment)


def millis_between(start: Any, stop: Any) -> int | None:
    if not isinstance(start, datetime) or not isinstance(stop, datetime):
        return None
    return max(0, round((stop - start).total_seconds() * 1000))


def file_id_of_input(input_text: str | None) -> str | None:
    """The file an execution is about, read from its input: an S3 upload event (process-upload),
    a status-change event whose input is one (record-upload-failure), or a command's ``fileId``."""
    value = parse_json(input_text)
    for _ in range(2):
        if not isinstance(value, dict):
            return None
        file_id = value.get("fileId")
        if isinstance(file_id, str) and FILE_ID_RE.match(file_id):
            return file_id
        detail = value.get("detail")
        if not isinstance(detail, dict):
            return None
        key = detail.get("object", {}).get("key") if isinstance(detail.get("object"), dict) else None
        if isinstance(key, str):
            try:
                return parse_upload_key(key).file_id
            except ValueError:
                return None
        value = parse_json(detail.get("input")) if isinstance(detail.get("input"), str) else None
    return None


def _details(event: dict[str, Any]) -> dict[str, Any]:
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, dict):
            return value
    return {}


def stopped_in(events: list[dict[str, Any]]) -> tuple[str, str] | None:
    """The outermost state the execution was in when it stopped (entered, never exited), and its
    type (``Task``, ``Fail``...): where a redrive continues."""
    open_states: list[tuple[str, str]] = []
    for event in events:
        if event.get("type") == "ExecutionRedriven":
            open_states = []  # the redrive enters the unfinished state again
        elif "stateEnteredEventDetails" in event:
            kind = str(event.get("type", "")).removesuffix("StateEntered")
            open_states.append((event["stateEnteredEventDetails"]["name"], kind))
        elif "stateExitedEventDetails" in event:
            name = event["stateExitedEventDetails"]["name"]
            for index in range(len(open_states) - 1, -1, -1):
                if open_states[index][0] == name:
                    del open_states[index]
                    break
    return open_states[0] if open_states else None


def unfinished_state(events: list[dict[str, Any]]) -> str | None:
    stopped = stopped_in(events)
    return stopped[0] if stopped else None


def _note(step: dict[str, Any], kind: str, details: dict[str, Any]) -> None:
    """A task event inside a step: each scheduling after the first is a retry; failures leave
    their error and cause."""
    if kind.endswith("Scheduled"):
        if step.get("scheduled"):
            step["retries"] += 1
        step["scheduled"] = True
    if "error" in details or "cause" in details:
        step["error"] = details.get("error")
        step["cause"] = redact(details.get("cause"))


def timeline(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per state entered: its input and output, start and duration, the retries it took,
    its error and cause, and which attempt of the execution ran it (0, then 1 after a redrive)."""
    steps: list[dict[str, Any]] = []
    open_steps: list[tuple[dict[str, Any], Any]] = []
    attempt = 0
    for event in events:
        kind = str(event.get("type", ""))
        details = _details(event)
        at = event.get("timestamp")
        if kind == "ExecutionRedriven":
            attempt = int(details.get("redriveCount", attempt + 1))
        elif "stateEnteredEventDetails" in event:
            step: dict[str, Any] = {
                "name": details["name"],
                "type": kind.removesuffix("StateEntered") or "State",
                "attempt": attempt,
                "status": "RUNNING",
                "enteredAt": iso(at),
                "input": redact(parse_json(details.get("input"))),
                "retries": 0,
            }
            steps.append(step)
            open_steps.append((step, at))
        elif "stateExitedEventDetails" in event:
            for index in range(len(open_steps) - 1, -1, -1):
                step, started = open_steps[index]
                if step["name"] == details["name"]:
                    step.update(status="SUCCEEDED", exitedAt=iso(at), durationMs=millis_between(started, at))
                    step["output"] = redact(parse_json(details.get("output")))
                    del open_steps[index]
                    break
        elif kind.startswith("Execution") and kind != "ExecutionStarted":
            # The execution stopped: every step still open stopped with it (until a redrive).
            status = {"ExecutionFailed": "FAILED", "ExecutionTimedOut": "TIMED_OUT", "ExecutionAborted": "ABORTED"}
            for step, started in open_steps:
                step.update(status=status.get(kind, "FAILED"), durationMs=millis_between(started, at))
            open_steps = []
        elif open_steps:
            _note(open_steps[-1][0], kind, details)
    for step in steps:
        step.pop("scheduled", None)
    return steps


class Workflow(NamedTuple):
    name: str
    arn: str


def parse_workflows(pairs: tuple[str, ...]) -> dict[str, Workflow]:
    """``name=arn`` pairs from the configuration."""
    found = {}
    for pair in pairs:
        name, _, arn = pair.partition("=")
        found[name.strip()] = Workflow(name.strip(), arn.strip())
    return found


def workflow_of_execution(workflows: dict[str, Workflow], execution_arn: str) -> Workflow | None:
    """The workflow an execution ARN belongs to (``...:execution:<machine>:<name>``), if ours."""
    parts = execution_arn.split(":")
    if len(parts) != 8 or parts[2] != "states" or parts[5] != "execution":
        return None
    machine = ":".join([*parts[:5], "stateMachine", parts[6]])
    return next((w for w in workflows.values() if w.arn == machine), None)


def summary(workflow: str, described: dict[str, Any], history: list[dict[str, Any]] | None) -> dict[str, Any]:
    """The list item for one execution (``schemas/api/ops-execution.json``)."""
    item: dict[str, Any] = {
        "executionArn": described["executionArn"],
        "workflow": workflow,
        "name": described.get("name") or described["executionArn"].rsplit(":", 1)[1],
        "status": described["status"],
        "startedAt": iso(described["startDate"]),
        "fileId": file_id_of_input(described.get("input")),
        "redriveCount": int(described.get("redriveCount") or 0),
    }
    if described.get("stopDate") is not None:
        item["stoppedAt"] = iso(described["stopDate"])
        item["durationMs"] = millis_between(described["startDate"], described["stopDate"])
    if described["status"] in REDRIVABLE:
        item["error"] = described.get("error")
        item["cause"] = redact(described.get("cause"))
        item["failedState"] = unfinished_state(history or [])
    return item


class Cursor(NamedTuple):
    """Where a page of executions ended: newest first, by start time, then ARN."""

    started_at: str
    execution_arn: str

    def encode(self) -> str:
        raw = json.dumps({"t": self.started_at, "a": self.execution_arn}, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        try:
            value = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            cursor = cls(str(value["t"]), str(value["a"]))
            clock.from_iso(cursor.started_at)
            return cursor
        except (ValueError, TypeError, KeyError, RecursionError) as exc:
            raise InvalidRequest("nextToken is malformed") from exc

    def is_after(self, started_at: str, execution_arn: str) -> bool:
        """Whether an execution comes after this cursor in newest-first order."""
        return (started_at, execution_arn) < (self.started_at, self.execution_arn)


def parse_time(name: str, raw: str | None) -> datetime | None:
    if raw is None or raw == "":
        return None
    try:
        moment = clock.from_iso(raw)
    except ValueError as exc:
        raise InvalidRequest(f"{name} must be an ISO 8601 time such as 2026-11-29T08:00:00Z") from exc
    if moment.tzinfo is None:
        raise InvalidRequest(f"{name} must name its time zone (for example a trailing Z)")
    return moment
