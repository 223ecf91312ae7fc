"""Step Functions adapter for the operators' reads: list, describe and read the history of the
Standard workflows' executions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fileshare.core.aws import client


class ExecutionMissing(LookupError):
    pass


def executions(state_machine_arn: str, status: str | None = None) -> Iterator[dict[str, Any]]:
    """Every execution of one state machine, newest first, page by page as the caller reads on."""
    params: dict[str, Any] = {"stateMachineArn": state_machine_arn, "maxResults": 100}
    if status:
        params["statusFilter"] = status
    while True:
        answer = client("stepfunctions").list_executions(**params)
        yield from answer.get("executions", [])
        if not answer.get("nextToken"):
            return
        params["nextToken"] = answer["nextToken"]


def describe(execution_arn: str) -> dict[str, Any]:
    sfn = client("stepfunctions")
    try:
        return dict(sfn.describe_execution(executionArn=execution_arn))
    except sfn.exceptions.ExecutionDoesNotExist as exc:
        raise ExecutionMissing(execution_arn) from exc


def history(execution_arn: str) -> list[dict[str, Any]]:
    """The whole history, oldest event first (redriven attempts included)."""
    events: list[dict[str, Any]] = []
    params: dict[str, Any] = {"executionArn": execution_arn, "maxResults": 1000, "includeExecutionData": True}
    while True:
        answer = client("stepfunctions").get_execution_history(**params)
        events += answer.get("events", [])
        if not answer.get("nextToken"):
            return events
        params["nextToken"] = answer["nextToken"]
