"""Step Functions adapter for commands: writes run as synchronous Express workflows, so the API
functions stay read-only and every change is an execution an operator can inspect."""

from __future__ import annotations

import json
from typing import Any

from fileshare.core.aws import client


class CommandFailed(Exception):
    """The workflow ended in a Fail state; ``error`` is that state's error name."""

    def __init__(self, error: str, cause: str, execution_arn: str) -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause
        self.execution_arn = execution_arn


def run_command(state_machine_arn: str, payload: dict[str, Any]) -> dict[str, Any]:
    answer = client("stepfunctions").start_sync_execution(stateMachineArn=state_machine_arn, input=json.dumps(payload))
    if answer["status"] != "SUCCEEDED":
        raise CommandFailed(
            str(answer.get("error") or answer["status"]), str(answer.get("cause") or ""), str(answer["executionArn"])
        )
    output = json.loads(answer.get("output") or "null")
    return output if isinstance(output, dict) else {}
