"""Synchronous Express executions (``StartSyncExecution``), which moto's engine can run but moto's
API does not expose. The execution runs to its end inside the request, as in AWS.

Clients reach it at the moto endpoint with ``AWS_DISABLE_HOST_PREFIX_INJECTION=true`` (AWS serves
this call at ``sync-states.<region>``; botocore would otherwise prefix ``sync-`` to 127.0.0.1).
"""

from __future__ import annotations

import copy
import datetime
import json
import uuid
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.stepfunctions.parser.api import StateMachineType
from moto.stepfunctions.parser.backend.execution import SyncExecution
from moto.stepfunctions.responses import StepFunctionResponse


def start_sync_execution(backend: Any, arn: str, name: str | None, execution_input: str | None) -> SyncExecution:
    state_machine = backend.describe_state_machine(arn)
    # moto records the type as ``type`` (its ``sm_type`` always says STANDARD).
    if state_machine.type != "EXPRESS":
        raise JsonRESTError("StateMachineTypeNotSupported", "StartSyncExecution needs an EXPRESS state machine")
    try:
        json.loads(execution_input or "{}")
    except ValueError as exc:
        raise JsonRESTError("InvalidExecutionInput", str(exc)) from exc
    name = name or str(uuid.uuid4())
    # A snapshot of the definition for this execution, as moto's own start_execution takes.
    snapshot = copy.deepcopy(
        state_machine, {id(state_machine.executions): [], id(state_machine.backend): state_machine.backend}
    )
    snapshot.sm_type = "EXPRESS"
    execution = SyncExecution(
        name=name,
        sm_type=StateMachineType.EXPRESS,
        role_arn=snapshot.roleArn,
        exec_arn=f"arn:aws:states:{backend.region_name}:{backend.account_id}:express:{state_machine.name}:{name}:{uuid.uuid4()}",
        account_id=backend.account_id,
        region_name=backend.region_name,
        state_machine=snapshot,
        start_date=datetime.datetime.now(tz=datetime.UTC),
        cloud_watch_logging_session=None,
        input_data=execution_input or "{}",
        trace_header=None,
        activity_store={},
    )
    state_machine.executions.append(execution)  # kept, so operators can inspect it locally
    execution.start()  # runs to the end in this thread
    return execution


def _start_sync_execution(self: StepFunctionResponse) -> ActionResult:
    execution = start_sync_execution(
        self.stepfunction_backend,
        self._get_param("stateMachineArn"),
        self._get_param("name"),
        self._get_param("input", if_none="{}"),
    )
    return ActionResult(dict(execution.to_start_sync_execution_output()))


def install() -> None:
    StepFunctionResponse.start_sync_execution = _start_sync_execution  # type: ignore[attr-defined]
