"""Nothing stays PROCESSING: a file past its processing deadline is marked FAILED by the sweep, and
a late result of the stuck execution does not bring it back."""

from __future__ import annotations

import time

import pytest

from devstack.stack import LocalStack
from tests.stack_support import executions_for, file_item, put_upload, reconfigured, redefined, wait_for_executions
from tests.workflow.test_guardduty_engine import scan_result, wait_until_parked

pytestmark = pytest.mark.stack


def run_sweep(stack: LocalStack) -> dict[str, object]:
    sfn = stack.client("stepfunctions")
    arn = stack.stack.state_machines["SweepExpiredStateMachine"]
    execution = sfn.start_execution(stateMachineArn=arn, name=f"sweep-{time.time_ns()}", input="{}")["executionArn"]
    while (described := sfn.describe_execution(executionArn=execution))["status"] == "RUNNING":
        time.sleep(0.1)
    return dict(described)


def test_the_sweep_marks_an_upload_stuck_past_its_deadline_failed(local_stack: LocalStack, owner_id: str) -> None:
    # Given an upload whose workflow waits for a scan result that does not come, with a 1-second deadline
    with (
        redefined(local_stack, "ProcessUploadStateMachine", {"ScannerEngine": "guardduty"}),
        reconfigured(local_stack, "DescribeUploadFunction", {"PROCESSING_TIMEOUT_SECONDS": "1"}),
    ):
        stuck = put_upload(local_stack, owner_id, b"waiting for ever\n")
        wait_until_parked(local_stack, stuck.key)
    # and one that is still within its deadline
    with redefined(local_stack, "ProcessUploadStateMachine", {"ScannerEngine": "guardduty"}):
        waiting = put_upload(local_stack, owner_id, b"waiting a while\n")
        wait_until_parked(local_stack, waiting.key)
    time.sleep(1.1)
    assert file_item(local_stack, stuck.file_id)["status"] == "PROCESSING"

    # When the scheduled sweep runs
    assert run_sweep(local_stack)["status"] == "SUCCEEDED"

    # Then the stuck one is FAILED, says why, and left the stuck index; the other is untouched
    record = file_item(local_stack, stuck.file_id)
    assert record["status"] == "FAILED"
    assert record["reason"] == (
        f"processing did not finish by {record['processingDeadline']}: the upload is stuck; "
        "delete it and upload the file again"
    )
    assert "gsi3pk" not in record
    [execution] = executions_for(local_stack, stuck.key)
    assert record["failedExecution"] == record["processingExecution"] == execution["executionArn"]
    assert file_item(local_stack, waiting.file_id)["status"] == "PROCESSING"

    # And when the stuck execution finally gets its result, the file stays FAILED
    scan_result(local_stack, stuck, "NO_THREATS_FOUND")
    scan_result(local_stack, waiting, "NO_THREATS_FOUND")
    wait_for_executions(local_stack, stuck.key)
    assert file_item(local_stack, stuck.file_id)["status"] == "FAILED"
