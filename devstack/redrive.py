"""Standard executions as AWS finishes them, which moto's engine does not:

* ``RedriveExecution``: a FAILED, TIMED_OUT or ABORTED Standard execution continues from the state
  that did not finish, with that state's input, under the **same execution ARN**. The history keeps
  the first attempt's events and goes on after an ``ExecutionRedriven`` event; ``redriveCount`` and
  ``redriveDate`` appear in ``DescribeExecution`` and ``$$.Execution.RedriveCount``. As in AWS, a
  Task is run again (its retry count starts from zero), a Fail state is entered again and fails
  again, and a SUCCEEDED or RUNNING execution is refused with ``ExecutionNotRedrivable``.
* the **"Step Functions Execution Status Change"** event (``source: aws.states``) that AWS puts on
  the default bus when a Standard execution ends, so that rules on it (the record-upload-failure
  workflow) run locally too.
"""

from __future__ import annotations

import copy
import datetime
import json
from collections.abc import Callable
from typing import Any, cast

from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.stepfunctions.parser.api import (
    ExecutionStatus,
    HistoryEventType,
)
from moto.stepfunctions.parser.asl.component.common.flow.start_at import StartAt
from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
from moto.stepfunctions.responses import StepFunctionResponse

REDRIVABLE = {ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED}
_originals: dict[str, Any] = {}


class ExecutionNotRedrivable(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("ExecutionNotRedrivable", message)


def unfinished_state(events: list[dict[str, Any]]) -> tuple[str, Any]:
    """The top-level state the execution was in when it stopped, and that state's input.

    States inside a Map or Parallel run in their own frames; the outermost state entered and never
    exited is the one a redrive continues from (a Map or Parallel is then run again whole: a
    simplification, see docs/local-stack.md)."""
    open_states: list[dict[str, Any]] = []
    for event in events:
        if event.get("type") == "ExecutionRedriven":
            open_states = []  # the previous attempt's unfinished state was entered again
            continue
        entered = event.get("stateEnteredEventDetails")
        exited = event.get("stateExitedEventDetails")
        if entered is not None:
            open_states.append(entered)
        elif exited is not None:
            for index in range(len(open_states) - 1, -1, -1):
                if open_states[index]["name"] == exited["name"]:
                    del open_states[index]
                    break
    if not open_states:
        raise ExecutionNotRedrivable("the execution stopped outside any state; there is nothing to continue")
    state = open_states[0]
    return str(state["name"]), json.loads(state.get("input") or "null")


class RedriveWorker(ExecutionWorker):
    """Runs the program again from ``state`` with ``state_input``, appending to ``history``."""

    def __init__(
        self, *args: Any, state: str, state_input: Any, history: list[dict[str, Any]], redrive_count: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._state = state
        self._state_input = state_input
        self._history = history
        self._redrive_count = redrive_count

    def _execution_logic(self) -> None:
        # The program is shared by every execution of its definition: start this one elsewhere on a
        # copy of its top level only (the states themselves keep no execution's state).
        program: Any = copy.copy(self._get_evaluation_entrypoint())
        program.start_at = StartAt(self._state)
        self.env = self._get_evaluation_environment()
        self.env.states.context_object.context_object_data["Execution"]["RedriveCount"] = self._redrive_count  # type: ignore[typeddict-unknown-key]
        manager = self.env.event_manager
        manager._history_event_list.extend(cast(Any, self._history))
        manager._event_id_gen._next_id = len(self._history) + 1
        last = len(self._history)
        self.env.event_history_context.source_event_id = last
        self.env.event_history_context.last_published_event_id = last
        manager.add_event(
            context=self.env.event_history_context,
            event_type=HistoryEventType.ExecutionRedriven,
            # moto's EventDetails type predates redrive; the history event is AWS's own shape.
            event_details=cast(Any, {"executionRedrivenEventDetails": {"redriveCount": self._redrive_count}}),
        )
        self.env.states.reset(self._state_input)
        program.eval(self.env)
        self._execution_communication.terminated()


def redrive_execution(backend: Any, arn: str) -> Any:
    execution: Any = backend.describe_execution(arn)
    if getattr(execution.state_machine, "type", "STANDARD") == "EXPRESS" or ":express:" in arn:
        raise ExecutionNotRedrivable("Express executions cannot be redriven")
    if execution.exec_status not in REDRIVABLE:
        raise ExecutionNotRedrivable(f"Execution is {execution.exec_status.value}")
    history = list(execution.to_history_output()["events"])
    state, state_input = unfinished_state(history)
    count = getattr(execution, "redrive_count", 0) + 1
    worker = RedriveWorker(
        evaluation_details=execution.exec_worker._evaluation_details,
        exec_comm=execution._get_start_execution_worker_comm(),
        cloud_watch_logging_session=None,
        activity_store=execution._activity_store,
        state=state,
        state_input=state_input,
        history=history,
        redrive_count=count,
    )
    execution.redrive_count = count
    execution.redrive_date = datetime.datetime.now(tz=datetime.UTC)
    execution.exec_status = ExecutionStatus.RUNNING
    execution.stop_date = None
    execution.error = None
    execution.cause = None
    execution.exec_worker = worker
    worker.start()  # type: ignore[no-untyped-call]  # moto's engine is untyped
    return execution


def _redrive_execution(self: StepFunctionResponse) -> ActionResult:
    execution = redrive_execution(self.stepfunction_backend, self._get_param("executionArn"))
    return ActionResult({"redriveDate": execution.redrive_date})


def _describe_execution(self: StepFunctionResponse) -> ActionResult:
    answer: ActionResult = _originals["describe_execution"](self)
    execution: Any = self.stepfunction_backend.describe_execution(self._get_param("executionArn"))
    result: dict[str, Any] = answer.result  # type: ignore[assignment]  # moto types it as object
    count = getattr(execution, "redrive_count", 0)
    result["redriveCount"] = count
    if count:
        result["redriveDate"] = execution.redrive_date
    if execution.exec_status == ExecutionStatus.SUCCEEDED:
        result["redriveStatus"] = "NOT_REDRIVABLE"
        result["redriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven"
    elif execution.exec_status in REDRIVABLE:
        result["redriveStatus"] = "REDRIVABLE"
    return answer


def _millis(moment: datetime.datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def status_change_detail(execution: Any) -> dict[str, Any]:
    """The event's ``detail``, as AWS publishes it for a Standard execution that stopped."""
    status = execution.exec_status.value
    count = getattr(execution, "redrive_count", 0)
    return {
        "executionArn": execution.exec_arn,
        "stateMachineArn": execution.state_machine_arn,
        "name": execution.name,
        "status": status,
        "startDate": _millis(execution.start_date),
        "stopDate": _millis(execution.stop_date),
        "input": json.dumps(execution.input_data, separators=(",", ":")),
        "inputDetails": {"included": True},
        "output": json.dumps(execution.output, separators=(",", ":")) if status == "SUCCEEDED" else None,
        "outputDetails": {"included": True} if status == "SUCCEEDED" else None,
        "error": execution.error,
        "cause": execution.cause,
        "redriveCount": count,
        "redriveDate": _millis(getattr(execution, "redrive_date", None)),
        "redriveStatus": "NOT_REDRIVABLE" if status == "SUCCEEDED" else "REDRIVABLE",
    }


def _terminated(self: BaseExecutionWorkerCommunication) -> None:
    _originals["terminated"](self)
    execution: Any = self.execution
    if getattr(execution.state_machine, "type", "STANDARD") == "EXPRESS" or ":express:" in execution.exec_arn:
        return  # AWS publishes status changes for Standard executions only
    _originals["publish"](
        [
            {
                "Source": "aws.states",
                "DetailType": "Step Functions Execution Status Change",
                "Resources": [execution.exec_arn],
                "Detail": json.dumps(status_change_detail(execution)),
            }
        ]
    )


def install(publish: Callable[[list[dict[str, Any]]], None]) -> None:
    """``publish`` puts events on the default bus (``PutEvents`` entries)."""
    if _originals:
        return
    _originals["publish"] = publish
    _originals["describe_execution"] = StepFunctionResponse.describe_execution
    _originals["terminated"] = BaseExecutionWorkerCommunication.terminated
    StepFunctionResponse.redrive_execution = _redrive_execution  # type: ignore[attr-defined]
    StepFunctionResponse.describe_execution = _describe_execution  # type: ignore[method-assign]
    BaseExecutionWorkerCommunication.terminated = _terminated  # type: ignore[method-assign]
