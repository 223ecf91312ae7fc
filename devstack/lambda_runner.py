"""The Lambda runner: each function runs in worker processes with exactly its own environment.

Workers are started on first use (a cold start, timed and logged) and reused while warm; a busy
function gets another worker, up to a concurrency limit (the runner's, or the function's reserved
concurrency when lower), as Lambda scales out; calls beyond it wait. A worker that times out is
killed, and the next invocation cold-starts a fresh one.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from devstack.provision import FunctionSpec

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Invocation:
    payload: bytes
    function_error: str | None  # "Unhandled" when the function failed, as Lambda's X-Amz-Function-Error
    cold_start_ms: float | None


class _Worker:
    def __init__(self, spec: FunctionSpec, environment: dict[str, str], log: Callable[[str, str], None]) -> None:
        self.spec = spec
        started = time.perf_counter()
        read_fd, write_fd = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "devstack.lambda_worker", str(spec.code_dir), spec.handler, str(write_fd)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=environment,
            cwd=str(spec.code_dir),
            pass_fds=(write_fd,),
            text=True,
        )
        os.close(write_fd)
        self.answers: IO[str] = os.fdopen(read_fd, "r")
        self._log_thread = threading.Thread(target=self._pump_logs, args=(log,), daemon=True)
        self._log_thread.start()
        hello = self.answers.readline()
        self.cold_start_ms = (time.perf_counter() - started) * 1000
        if not hello:
            raise RuntimeError(f"{spec.logical_id}: worker exited during init")
        self.init_error = json.loads(hello).get("initError")

    def _pump_logs(self, log: Callable[[str, str], None]) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            log(self.spec.logical_id, line.rstrip("\n"))

    def invoke(self, event: Any, timeout: float) -> dict[str, Any] | None:
        """The worker's answer, or None when it ran past ``timeout`` (and was killed)."""
        assert self.process.stdin is not None
        request = {"event": event, "requestId": str(uuid.uuid4()), "deadline": time.time() + timeout}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        box: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=lambda: box.put(self.answers.readline()), daemon=True)
        reader.start()
        try:
            line = box.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            return None
        if not line:
            return {"ok": False, "error": {"errorType": "Runtime.ExitError", "errorMessage": "the runtime exited"}}
        return dict(json.loads(line))

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()


class LambdaRunner:
    def __init__(
        self,
        functions: dict[str, FunctionSpec],
        *,
        base_environment: dict[str, str],
        log: Callable[[str, str], None],
        max_concurrency: int = 16,
    ) -> None:
        self.functions = functions
        self.base_environment = base_environment
        self.log = log
        self.max_concurrency = max_concurrency
        self._idle: dict[str, list[_Worker]] = {name: [] for name in functions}
        self._count: dict[str, int] = dict.fromkeys(functions, 0)
        self._lock = threading.Condition()
        self._all: list[_Worker] = []
        self.environment_overrides: dict[str, dict[str, str]] = {}

    def environment_for(self, spec: FunctionSpec) -> dict[str, str]:
        """Exactly what Lambda would give this function, pointed at the local endpoints."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(REPO_ROOT),
            "PYTHONDONTWRITEBYTECODE": "1",
            "LAMBDA_TASK_ROOT": str(spec.code_dir),
            "_HANDLER": spec.handler,
            "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
            "DEVSTACK_FUNCTION_ARN": spec.arn,
            **self.base_environment,
            **spec.environment,
            **self.environment_overrides.get(spec.logical_id, {}),
        }
        return env

    def _checkout(self, logical_id: str) -> _Worker | None:
        reserved = self.functions[logical_id].reserved_concurrency
        limit = self.max_concurrency if reserved is None else min(reserved, self.max_concurrency)
        if limit < 1:
            raise RuntimeError(f"{logical_id} has a reserved concurrency of {reserved}: Lambda throttles every call")
        with self._lock:
            while True:
                idle = self._idle[logical_id]
                while idle:
                    worker = idle.pop()
                    if worker.alive():
                        return worker
                    self._count[logical_id] -= 1
                if self._count[logical_id] < limit:
                    self._count[logical_id] += 1
                    return None
                self._lock.wait()

    def _checkin(self, logical_id: str, worker: _Worker | None) -> None:
        with self._lock:
            if worker is not None and worker.alive():
                self._idle[logical_id].append(worker)
            else:
                self._count[logical_id] -= 1
            self._lock.notify()

    def invoke(self, function: str, event: Any) -> Invocation:
        spec = self.functions.get(function)
        if spec is None:
            for candidate in self.functions.values():
                if function in (candidate.name, candidate.arn):
                    spec = candidate
        if spec is None:
            raise KeyError(f"no function {function!r} in the template")
        worker = self._checkout(spec.logical_id)
        cold: float | None = None
        try:
            if worker is None:
                worker = _Worker(spec, self.environment_for(spec), self.log)
                with self._lock:
                    self._all.append(worker)
                cold = worker.cold_start_ms
                self.log(spec.logical_id, f"cold start {cold:.0f} ms")
            answer = worker.invoke(event, spec.timeout)
        except BaseException:
            self._checkin(spec.logical_id, None)
            raise
        self._checkin(spec.logical_id, worker)
        if answer is None:
            error = {
                "errorType": "Sandbox.Timedout",
                "errorMessage": f"Task timed out after {spec.timeout:.2f} seconds",
            }
            return Invocation(json.dumps(error).encode(), "Unhandled", cold)
        if answer["ok"]:
            return Invocation(json.dumps(answer["result"]).encode(), None, cold)
        return Invocation(json.dumps(answer["error"]).encode(), "Unhandled", cold)

    def cold_start_probe(self, logical_id: str) -> float:
        """Start one fresh worker for a function (kept warm afterwards); its init time in ms."""
        spec = self.functions[logical_id]
        worker = _Worker(spec, self.environment_for(spec), self.log)
        with self._lock:
            self._all.append(worker)
            self._count[logical_id] += 1
            self._idle[logical_id].append(worker)
        return worker.cold_start_ms

    def reset(self, logical_id: str | None = None) -> None:
        """Retire warm workers (all, or one function's), so the next call cold-starts."""
        with self._lock:
            names = [logical_id] if logical_id else list(self._idle)
            for name in names:
                for worker in self._idle[name]:
                    worker.kill()
                    self._count[name] -= 1
                self._idle[name] = []

    def close(self) -> None:
        with self._lock:
            for worker in self._all:
                worker.kill()
            self._all.clear()
