"""The Lambda runner: each function runs in worker processes with exactly its own environment.

Workers are started on first use (a cold start, timed and logged) and reused while warm; a busy
function gets another worker, up to a concurrency limit (the runner's, or the function's reserved
concurrency when lower), as Lambda scales out; calls beyond it wait. A worker that times out is
killed, and the next invocation cold-starts a fresh one.

Each function has a fork server (``devstack.lambda_worker``), started with the stack, that imports
the handler once; a new worker is forked from it in milliseconds instead of importing boto3 and
Powertools again (a third of a second of CPU each, which made bursts of concurrent uploads a storm
of cold starts on two cores). The cold start a new worker reports is still the one AWS would have:
the handler's import time, measured in the fork server. The fork server also makes the function's
SDK clients for the services its role may call, which on AWS each new environment makes on its
first call to each (tens of milliseconds a service): that part of a first call is cheaper locally
(docs/local-stack.md).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devstack.provision import FunctionSpec

REPO_ROOT = Path(__file__).resolve().parent.parent
SPAWN_TIMEOUT_SECONDS = 60.0


def default_concurrency() -> int:
    """Workers per function: twice the machine's cores. Lambda gives each concurrent call its own
    environment, and AWS has the cores to run them; here every worker shares this machine's, so
    more workers than calls that can run at once only add forks, first calls and copied pages.
    A burst of 20 redemptions of one link on two cores ended in 1.02 s with 16 workers and 0.63 s
    with 4, the calls past the fourth waiting for a warm worker (docs/decisions.md)."""
    return 2 * (os.cpu_count() or 1)


@dataclass(frozen=True)
class Invocation:
    payload: bytes
    function_error: str | None  # "Unhandled" when the function failed, as Lambda's X-Amz-Function-Error
    cold_start_ms: float | None


class _Worker:
    """One execution environment: a process forked from its function's fork server."""

    def __init__(self, conn: socket.socket, pid: int, cold_start_ms: float, function: str) -> None:
        self.function = function
        self.conn = conn
        self.pid = pid
        self.cold_start_ms = cold_start_ms
        self._buffer = b""
        self._dead = False

    def _read_line(self, deadline: float) -> bytes | None:
        """One answer line, b"" if the worker exited, None past the deadline."""
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.conn.settimeout(remaining)
            try:
                chunk = self.conn.recv(65536)
            except TimeoutError:
                return None
            if not chunk:
                return b""
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def invoke(self, event: Any, timeout: float) -> dict[str, Any] | None:
        """The worker's answer, or None when it ran past ``timeout`` (and was killed)."""
        request = {"event": event, "requestId": str(uuid.uuid4()), "deadline": time.time() + timeout}
        try:
            self.conn.sendall(json.dumps(request).encode() + b"\n")
            line = self._read_line(time.monotonic() + timeout)
        except OSError:
            line = b""
        if line is None:
            self.kill()
            return None
        if not line:  # the process died mid-invocation (killed, out of memory, exit()): as Lambda answers it
            self.kill()
            message = f"RequestId: {request['requestId']} Error: Runtime exited without providing a reason"
            return {"ok": False, "error": {"errorType": "Runtime.ExitError", "errorMessage": message}}
        return dict(json.loads(line))

    def alive(self) -> bool:
        return not self._dead

    def kill(self) -> None:
        if not self._dead:
            self._dead = True
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self.conn.close()


class _ForkServer:
    """A function's handler, imported once; ``spawn`` forks a new worker from it."""

    def __init__(self, spec: FunctionSpec, environment: dict[str, str], log: Callable[[str, str], None]) -> None:
        self.spec = spec
        self._dir = tempfile.mkdtemp(prefix="fileshare-lambda-")
        path = os.path.join(self._dir, "socket")
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(path)
        self._listener.listen(64)
        self._lock = threading.Lock()
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-u", "-m", "devstack.lambda_worker"),
                *(str(spec.code_dir), spec.handler, path, ",".join(spec.aws_services)),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=environment,
            cwd=str(spec.code_dir),
            text=True,
        )
        threading.Thread(target=self._pump_logs, args=(log,), daemon=True).start()

    def _pump_logs(self, log: Callable[[str, str], None]) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            log(self.spec.logical_id, line.rstrip("\n"))

    def spawn(self) -> tuple[_Worker, float]:
        """A new worker and how long forking it took (ms)."""
        assert self.process.stdin is not None
        with self._lock:
            asked = time.perf_counter()
            try:
                self.process.stdin.write("spawn\n")
                self.process.stdin.flush()
            except OSError as exc:
                raise RuntimeError(f"{self.spec.logical_id}: the fork server exited") from exc
            self._listener.settimeout(SPAWN_TIMEOUT_SECONDS)
            try:
                conn, _ = self._listener.accept()
            except TimeoutError as exc:
                raise RuntimeError(f"{self.spec.logical_id}: no worker within {SPAWN_TIMEOUT_SECONDS:.0f} s") from exc
            worker = _Worker(conn, 0, 0.0, self.spec.logical_id)
            hello = worker._read_line(time.monotonic() + SPAWN_TIMEOUT_SECONDS)
            if not hello:
                worker.kill()
                raise RuntimeError(f"{self.spec.logical_id}: worker exited during init")
            facts = json.loads(hello)
            worker.pid = facts["pid"]
            # What AWS would report: the handler's import. A worker asked for while the fork server
            # was still importing waited for that too, which forked_ms shows.
            worker.cold_start_ms = facts["initMs"]
            return worker, (time.perf_counter() - asked) * 1000

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()
        self._listener.close()
        shutil.rmtree(self._dir, ignore_errors=True)


class LambdaRunner:
    def __init__(
        self,
        functions: dict[str, FunctionSpec],
        *,
        base_environment: dict[str, str],
        log: Callable[[str, str], None],
        credentials: Callable[[FunctionSpec], dict[str, str]] | None = None,
        max_concurrency: int | None = None,
    ) -> None:
        self.functions = functions
        self.base_environment = base_environment
        # The function's role's credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
        self.credentials = credentials
        self.log = log
        self.max_concurrency = max_concurrency or default_concurrency()
        self._idle: dict[str, list[_Worker]] = {name: [] for name in functions}
        self._count: dict[str, int] = dict.fromkeys(functions, 0)
        self._lock = threading.Condition()
        self._all: list[_Worker] = []
        self._servers: dict[str, _ForkServer] = {}
        self._busy: dict[str, set[int]] = {name: set() for name in functions}
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
            **(self.credentials(spec) if self.credentials else {}),
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
            # Every function's waiting calls share this condition: a single wake-up could go to a
            # call of another function, which waits again, and leave this one's waiter asleep.
            self._lock.notify_all()

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
                worker = self._new_worker(spec)
                cold = worker.cold_start_ms
            with self._lock:
                self._busy[spec.logical_id].add(worker.pid)
            try:
                answer = worker.invoke(event, spec.timeout)
            finally:
                with self._lock:
                    self._busy[spec.logical_id].discard(worker.pid)
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

    def busy_workers(self, logical_id: str) -> list[int]:
        """The pids of a function's workers that are running an invocation now."""
        with self._lock:
            return sorted(self._busy[logical_id])

    def start_fork_servers(self) -> None:
        """Start every function's fork server now, as a deploy makes each function's code ready:
        they import their handlers in their own processes while the stack finishes starting, so a
        function's first call waits for a fork, not for an import (a burst of first calls waited
        half a second for it). The cold start each new worker reports is unchanged."""
        for spec in self.functions.values():
            self._fork_server(spec)

    def _fork_server(self, spec: FunctionSpec) -> _ForkServer:
        with self._lock:
            server = self._servers.get(spec.logical_id)
            if server is None or not server.alive():
                if server is not None:
                    server.stop()
                server = self._servers[spec.logical_id] = _ForkServer(spec, self.environment_for(spec), self.log)
            return server

    def _new_worker(self, spec: FunctionSpec) -> _Worker:
        worker, forked_ms = self._fork_server(spec).spawn()
        with self._lock:
            self._all.append(worker)
        self.log(
            spec.logical_id,
            f"cold start {worker.cold_start_ms:.0f} ms (handler import; worker ready in {forked_ms:.0f} ms)",
        )
        return worker

    def cold_start_probe(self, logical_id: str) -> float:
        """A fresh import of a function's handler (a new fork server), kept warm; its init time in ms."""
        self.reset(logical_id)
        spec = self.functions[logical_id]
        with self._lock:
            self._count[logical_id] += 1
        worker = self._new_worker(spec)
        self._checkin(logical_id, worker)
        return worker.cold_start_ms

    def pids(self) -> dict[str, list[int]]:
        """Each function's live processes (its fork server and workers), for CPU accounting."""
        with self._lock:
            found: dict[str, list[int]] = {name: [] for name in self.functions}
            for name, server in self._servers.items():
                found[name].append(server.process.pid)
            for worker in self._all:
                if worker.alive():
                    found[worker.function].append(worker.pid)
            return found

    def reset(self, logical_id: str | None = None) -> None:
        """Retire warm workers and fork servers (all, or one function's): the next call cold-starts
        with the function's environment as it is now."""
        with self._lock:
            names = [logical_id] if logical_id else list(self._idle)
            for name in names:
                for worker in self._idle[name]:
                    worker.kill()
                    self._count[name] -= 1
                self._idle[name] = []
                server = self._servers.pop(name, None)
                if server is not None:
                    server.stop()

    def close(self) -> None:
        with self._lock:
            for worker in self._all:
                worker.kill()
            self._all.clear()
            for server in self._servers.values():
                server.stop()
            self._servers.clear()
