"""Operators (the ``operators`` Cognito group, checked once for every route by the resolver):
workflow executions, a file's runs step by step, redrive and reconciliation.

This function reads; redrive and reconciliation run as synchronous Express workflows, as the
owners' commands do. Every answer is redacted (``fileshare.core.executions.redact``) before it
leaves: no share token, link, password, password hash or KMS ciphertext.
"""

from __future__ import annotations

import itertools
from typing import Any, NamedTuple
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.api.http import caller_id, json_body, new_resolver, page_size
from fileshare.core import clock, config, workflow_runs
from fileshare.core.commands import CommandFailed, run_command
from fileshare.core.errors import Conflict, InvalidRequest, NotFound
from fileshare.core.executions import (
    REDRIVABLE,
    STATUSES,
    Cursor,
    parse_time,
    parse_workflows,
    redact,
    stopped_in,
    summary,
    timeline,
    workflow_of_execution,
)
from fileshare.core.keys import is_file_id
from fileshare.core.store import IndexReader
from fileshare.observability import logger, tracer


class Settings(NamedTuple):
    table_name: str
    ops_workflows: tuple[str, ...]  # name=arn of every Standard workflow, process-upload first
    redrive_execution_state_machine_arn: str
    reconcile_state_machine_arn: str


settings = config.load(Settings)
workflows = parse_workflows(settings.ops_workflows)
index = IndexReader(settings.table_name)
app = new_resolver(operators_only=True)


def _summary(workflow: str, arn: str) -> dict[str, Any]:
    described = workflow_runs.describe(arn)
    failed = described["status"] in REDRIVABLE
    return summary(workflow, described, workflow_runs.history(arn) if failed else None)


@app.get("/ops/executions")
@tracer.capture_method
def list_executions() -> dict[str, Any]:
    query = app.current_event.get_query_string_value
    status = query("status")
    if status is not None and status not in STATUSES:
        raise InvalidRequest(f"status must be one of {', '.join(STATUSES)}")
    name = query("workflow")
    if name is not None and name not in workflows:
        raise InvalidRequest(
            f"workflow must be one of {', '.join(workflows)} (Express commands are not kept by Step Functions)"
        )
    since, until = parse_time("since", query("since")), parse_time("until", query("until"))
    limit = page_size(query("limit"))
    token = query("nextToken")
    cursor = Cursor.decode(token) if token else None

    def wanted(item: dict[str, Any]) -> bool:
        started = item["startDate"]
        if until is not None and started > until:
            return False
        return cursor is None or cursor.is_after(clock.to_iso(started), item["executionArn"])

    found: list[tuple[str, dict[str, Any]]] = []
    for workflow in [workflows[name]] if name else workflows.values():
        listed = workflow_runs.executions(workflow.arn, status)
        # Newest first: stop at the window's start, and after one more than a page.
        recent = itertools.takewhile(lambda e: since is None or e["startDate"] >= since, listed)
        found += [(workflow.name, e) for e in itertools.islice(filter(wanted, recent), limit + 1)]
    found.sort(key=lambda pair: (pair[1]["startDate"], pair[1]["executionArn"]), reverse=True)
    page = found[:limit]
    answer: dict[str, Any] = {"items": [_summary(workflow, e["executionArn"]) for workflow, e in page]}
    if len(found) > limit:
        last = page[-1][1]
        answer["nextToken"] = Cursor(clock.to_iso(last["startDate"]), last["executionArn"]).encode()
    return answer


@app.get("/ops/files/<file_id>")
@tracer.capture_method
def get_file(file_id: str) -> dict[str, Any]:
    logger.append_keys(file_id=file_id)
    item = index.file_item(file_id) if is_file_id(file_id) else None
    if item is None:
        raise NotFound("no such file")
    # The execution that registered it (running, settled or stuck), and the one named as failed.
    arns = [a for a in (item.get("processingExecution"), item.get("failedExecution")) if a]
    runs = []
    for arn in dict.fromkeys(arns):
        workflow = workflow_of_execution(workflows, arn)
        try:
            described = workflow_runs.describe(arn)
        except workflow_runs.ExecutionMissing:
            continue  # Standard histories are kept 90 days
        events = workflow_runs.history(arn)
        run = summary(workflow.name if workflow else "unknown", described, events)
        run["steps"] = timeline(events)
        runs.append(run)
    return {
        "file": redact(item),
        "shares": [redact(share) for share in index.share_items(file_id)],
        "executions": runs,
    }


def _execution(execution_id: str) -> tuple[str, dict[str, Any]]:
    arn = unquote(execution_id)
    workflow = workflow_of_execution(workflows, arn)
    if workflow is None:
        raise NotFound("no such execution of a Standard workflow")
    try:
        return workflow.name, workflow_runs.describe(arn)
    except workflow_runs.ExecutionMissing as missing:
        raise NotFound("no such execution") from missing


@app.post("/ops/executions/<execution_id>/redrive")
@tracer.capture_method
def redrive(execution_id: str) -> Response[dict[str, Any]]:
    workflow, described = _execution(execution_id)
    arn = described["executionArn"]
    if described["status"] not in REDRIVABLE:
        raise Conflict(
            f"the execution is {described['status']}; only a failed one can be redriven", code="not_redrivable"
        )
    stopped = stopped_in(workflow_runs.history(arn))
    state = stopped[0] if stopped else None
    if stopped and stopped[1] == "Fail":
        raise Conflict(
            f"the execution stopped in its Fail state {state}: a redrive would only fail there again; "
            "start a new execution instead (docs/operations.md)",
            code="not_redrivable",
        )
    logger.info("redrive", extra={"execution": arn, "operator": caller_id(app), "state": state})
    try:
        run_command(settings.redrive_execution_state_machine_arn, {"executionArn": arn})
    except CommandFailed as failed:
        if failed.error == "ExecutionNotRedrivable":
            raise Conflict(f"Step Functions refused: {failed.cause}", code="not_redrivable") from failed
        raise
    after = _summary(workflow, arn)
    return Response(202, content_types.APPLICATION_JSON, {**after, "redrivenFrom": state})


@app.post("/ops/reconcile")
@tracer.capture_method
def reconcile() -> dict[str, Any]:
    body = json_body(app, "ops-reconcile.request")
    logger.info("reconcile", extra={"operator": caller_id(app), "repair": bool(body.get("repair"))})
    return redact(run_command(settings.reconcile_state_machine_arn, body))  # type: ignore[no-any-return]


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)


init_complete()
