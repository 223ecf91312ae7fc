"""The local RedriveExecution continues from the state the execution stopped in, as AWS does."""

from __future__ import annotations

from typing import Any

import pytest

from devstack.redrive import ExecutionNotRedrivable, unfinished_state


def entered(name: str, data: str = "{}") -> dict[str, Any]:
    return {"type": "TaskStateEntered", "stateEnteredEventDetails": {"name": name, "input": data}}


def exited(name: str) -> dict[str, Any]:
    return {"type": "TaskStateExited", "stateExitedEventDetails": {"name": name, "output": "{}"}}


def test_a_failed_task_is_where_the_redrive_continues_with_that_task_s_input() -> None:
    history = [entered("A"), exited("A"), entered("B", '{"x": 1}'), {"type": "ExecutionFailed"}]
    assert unfinished_state(history) == ("B", {"x": 1})


def test_a_fail_state_is_entered_again_and_a_second_redrive_goes_on_from_the_new_failure() -> None:
    caught = [
        entered("A"),
        exited("A"),
        {"type": "FailStateEntered", "stateEnteredEventDetails": {"name": "Failed", "input": "{}"}},
    ]
    assert unfinished_state(caught)[0] == "Failed"
    twice = [
        entered("A"),
        {"type": "ExecutionFailed"},
        {"type": "ExecutionRedriven"},
        entered("A"),
        exited("A"),
        entered("B"),
    ]
    assert unfinished_state(twice)[0] == "B"


def test_an_execution_that_stopped_outside_any_state_cannot_be_redriven() -> None:
    with pytest.raises(ExecutionNotRedrivable):
        unfinished_state([entered("A"), exited("A")])
