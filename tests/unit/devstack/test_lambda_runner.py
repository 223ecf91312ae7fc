"""The local Lambda runner behaves as Lambda does where a handler can tell the difference."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from devstack.lambda_runner import REPO_ROOT, LambdaRunner
from devstack.provision import FunctionSpec

HANDLERS = """
import os, time
STARTED = time.time()

def echo(event, context):
    return {"event": event, "remaining": context.get_remaining_time_in_millis(), "name": context.function_name}

def environment(event, context):
    return dict(os.environ)

def boom(event, context):
    raise ValueError("the handler failed")

def slow(event, context):
    time.sleep(event.get("seconds", 2))
    return {"started": STARTED, "pid": os.getpid()}

def linger(event, context):
    return slow(event, context)
"""

SDK_HANDLER = """
from fileshare.core import aws

def made(event, context):
    return {"clients": aws.client.cache_info().currsize}
"""


@pytest.fixture
def code_dir(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(HANDLERS)
    (tmp_path / "broken.py").write_text("raise RuntimeError('cannot start')\n")
    (tmp_path / "sdk.py").write_text(SDK_HANDLER)
    return tmp_path


def spec(
    code_dir: Path,
    handler: str,
    *,
    timeout: int = 5,
    env: dict[str, str] | None = None,
    reserved_concurrency: int | None = None,
    aws_services: tuple[str, ...] = (),
) -> FunctionSpec:
    name = handler.replace(".", "-")
    return FunctionSpec(
        logical_id=name,
        name=f"local-{name}",
        arn=f"arn:aws:lambda:us-east-1:123456789012:function:local-{name}",
        handler=handler,
        code_dir=code_dir,
        environment=env or {},
        timeout=timeout,
        memory=128,
        reserved_concurrency=reserved_concurrency,
        aws_services=aws_services,
    )


@pytest.fixture
def make_runner() -> Any:
    runners: list[LambdaRunner] = []

    def make(*specs: FunctionSpec) -> LambdaRunner:
        runner = LambdaRunner(
            {s.logical_id: s for s in specs},
            base_environment={"AWS_REGION": "us-east-1"},
            log=lambda source, line: None,
        )
        runners.append(runner)
        return runner

    yield make
    for runner in runners:
        runner.close()


def at_once(runner: LambdaRunner, function: str, event: dict[str, Any], calls: int) -> list[Any]:
    """``calls`` invocations of one function, all started together; their answers once all ended."""
    answers: list[Any] = []
    threads = [threading.Thread(target=lambda: answers.append(runner.invoke(function, event))) for _ in range(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_a_handler_gets_the_event_and_a_context(code_dir: Path, make_runner: Any) -> None:
    runner = make_runner(spec(code_dir, "app.echo"))

    answer = runner.invoke("app-echo", {"hello": "world"})

    assert answer.function_error is None
    body = json.loads(answer.payload)
    assert body["event"] == {"hello": "world"}
    assert body["name"] == "local-app-echo"
    assert 0 < body["remaining"] <= 5000


def test_the_first_call_is_a_cold_start_and_the_next_is_warm(code_dir: Path, make_runner: Any) -> None:
    runner = make_runner(spec(code_dir, "app.echo"))

    first, second = runner.invoke("app-echo", {}), runner.invoke("app-echo", {})

    assert first.cold_start_ms is not None and first.cold_start_ms > 0
    assert second.cold_start_ms is None


def test_a_new_worker_starts_with_the_functions_clients_for_the_services_its_role_may_call(
    code_dir: Path, make_runner: Any
) -> None:
    """The fork server makes them once (on AWS each new environment makes them on its first call)."""
    path = f"{REPO_ROOT}{os.pathsep}{REPO_ROOT / 'functions'}"  # devstack, and the functions' package
    env = {"PYTHONPATH": path, "AWS_DEFAULT_REGION": "us-east-1"}
    runner = make_runner(spec(code_dir, "sdk.made", env=env, aws_services=("s3", "dynamodb")))

    answer = runner.invoke("sdk-made", {})

    assert answer.cold_start_ms is not None
    assert json.loads(answer.payload) == {"clients": 2}


def test_a_function_sees_exactly_its_own_environment(
    code_dir: Path, make_runner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARENT_SECRET", "must-not-leak")
    runner = make_runner(spec(code_dir, "app.environment", env={"TABLE_NAME": "files"}))

    env = json.loads(runner.invoke("app-environment", {}).payload)

    assert env["TABLE_NAME"] == "files"
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "local-app-environment"
    assert env["AWS_REGION"] == "us-east-1"
    assert env["_HANDLER"] == "app.environment"
    assert "PARENT_SECRET" not in env


def test_an_exception_is_an_unhandled_function_error(code_dir: Path, make_runner: Any) -> None:
    runner = make_runner(spec(code_dir, "app.boom"))

    answer = runner.invoke("app-boom", {})

    assert answer.function_error == "Unhandled"
    error = json.loads(answer.payload)
    assert error["errorType"] == "ValueError"
    assert error["errorMessage"] == "the handler failed"
    assert any("boom" in line for line in error["stackTrace"])


@pytest.mark.parametrize(
    ("handler", "error_type"),
    [
        ("missing_module.handler", "Runtime.ImportModuleError"),
        ("broken.handler", "Runtime.ImportModuleError"),
        ("app.no_such_function", "Runtime.HandlerNotFound"),
    ],
)
def test_init_failures_surface_as_lambda_reports_them(
    code_dir: Path, make_runner: Any, handler: str, error_type: str
) -> None:
    function = spec(code_dir, handler)
    runner = make_runner(function)

    answers = [runner.invoke(function.logical_id, {}) for _ in range(2)]

    for answer in answers:
        assert answer.function_error == "Unhandled"
        assert json.loads(answer.payload)["errorType"] == error_type


def test_a_timeout_kills_the_worker_and_the_next_call_starts_fresh(code_dir: Path, make_runner: Any) -> None:
    runner = make_runner(spec(code_dir, "app.slow", timeout=1))

    timed_out = runner.invoke("app-slow", {"seconds": 3})
    after = runner.invoke("app-slow", {"seconds": 0})

    assert timed_out.function_error == "Unhandled"
    assert json.loads(timed_out.payload) == {
        "errorType": "Sandbox.Timedout",
        "errorMessage": "Task timed out after 1.00 seconds",
    }
    assert after.function_error is None
    assert after.cold_start_ms is not None


def test_concurrent_calls_run_in_separate_workers(code_dir: Path, make_runner: Any) -> None:
    runner = make_runner(spec(code_dir, "app.slow"))
    runner.invoke("app-slow", {"seconds": 0})  # one warm worker
    answers = at_once(runner, "app-slow", {"seconds": 1}, 2)

    assert all(a.function_error is None for a in answers)
    assert sorted(a.cold_start_ms is None for a in answers) == [False, True]  # one warm, one new worker
    assert len({json.loads(a.payload)["pid"] for a in answers}) == 2


def test_reserved_concurrency_caps_a_functions_workers(code_dir: Path, make_runner: Any) -> None:
    runner = make_runner(spec(code_dir, "app.slow", reserved_concurrency=1))
    answers = at_once(runner, "app-slow", {"seconds": 0.5}, 3)

    # All three are served, one after another by the one worker the reservation allows.
    assert all(a.function_error is None for a in answers)
    assert len({json.loads(a.payload)["pid"] for a in answers}) == 1
    assert sum(a.cold_start_ms is not None for a in answers) == 1


def test_a_burst_gets_twice_the_machines_cores_in_workers_and_the_rest_wait_for_a_warm_one(
    code_dir: Path, make_runner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    runner = make_runner(spec(code_dir, "app.slow"))
    answers = at_once(runner, "app-slow", {"seconds": 0.3}, 5)

    # Five calls at once on one core: two workers serve them all, three calls reusing a warm one.
    assert len(answers) == 5 and all(a.function_error is None for a in answers)
    assert len({json.loads(a.payload)["pid"] for a in answers}) == 2
    assert sum(a.cold_start_ms is not None for a in answers) == 2


def test_a_waiting_call_gets_its_functions_worker_as_soon_as_it_is_free_whatever_else_waits(
    code_dir: Path, make_runner: Any
) -> None:
    runner = make_runner(
        spec(code_dir, "app.slow", reserved_concurrency=1), spec(code_dir, "app.linger", reserved_concurrency=1)
    )
    done: dict[str, float] = {}

    def call(name: str, function: str, seconds: float) -> None:
        runner.invoke(function, {"seconds": seconds})
        done[name] = time.monotonic()

    def start(name: str, function: str, seconds: float) -> threading.Thread:
        thread = threading.Thread(target=call, args=(name, function, seconds))
        thread.start()
        time.sleep(0.3)  # each call in turn: the ones past a limit wait in this order
        return thread

    threads = [
        start("long", "app-linger", 4),
        start("short", "app-slow", 1.5),
        start("after long", "app-linger", 0),  # waits for the long call
        start("after short", "app-slow", 0),  # waits for the short call, behind a waiter of the other
    ]
    for thread in threads:
        thread.join()

    # The short call's worker serves the call waiting for it at once, not when the long one ends.
    assert done["after short"] < done["long"] - 1


def test_an_unknown_function_is_refused(code_dir: Path, make_runner: Any) -> None:
    runner = make_runner(spec(code_dir, "app.echo"))
    with pytest.raises(KeyError):
        runner.invoke("nope", {})


def test_a_worker_killed_mid_invocation_is_answered_as_lambda_answers_a_runtime_exit(
    code_dir: Path, make_runner: Any
) -> None:
    runner = make_runner(spec(code_dir, "app.slow"))
    answers: list[Any] = []
    call = threading.Thread(target=lambda: answers.append(runner.invoke("app-slow", {"seconds": 3})))
    call.start()
    deadline = time.monotonic() + 10
    while not (busy := runner.busy_workers("app-slow")):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(busy[0], signal.SIGKILL)
    call.join()

    [killed] = answers
    assert killed.function_error == "Unhandled"
    error = json.loads(killed.payload)
    assert error["errorType"] == "Runtime.ExitError"
    assert error["errorMessage"].startswith("RequestId: ") and "Runtime exited" in error["errorMessage"]
    assert runner.busy_workers("app-slow") == []
    assert runner.invoke("app-slow", {"seconds": 0}).cold_start_ms is not None  # a fresh environment
