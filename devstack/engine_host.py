"""Step Functions in a process of its own: moto's Step Functions service and its engine, beside
the stack's process, which serves every other service.

Why: the stack's process runs moto, the HTTP API gateway and EventBridge delivery, and Python runs
one thread of a process at a time. The engine's threads were half of that process's CPU under load
(docs/performance.md), so throughput stopped at what one core could do. Here they run on the other.

What is where:

* **The stack's process** (``MotoHost``) answers every AWS call at the one endpoint, Step
  Functions' included. A Step Functions call is authenticated and authorized there by moto's IAM,
  as any other, and then handed on to this process as it came (``forward``).
* **This process** (``main``) holds the state machines and their executions and runs the engine,
  with the engine's hooks (``devstack.moto_host.install_engine_hooks``: Express, redrive, the
  fixes and the speedups). The engine calls the other services at the stack's endpoint over HTTP,
  signed as the state machine's role, so moto's IAM and the fault switch see each call as they
  see a worker's.

The stack's process starts this one (``EngineHost``) and sends on stdin its own endpoint and a
secret, with which this process asks it for a state machine role's credentials (as Step Functions
assumes a role in AWS: ``moto_host.ROLE_CREDENTIALS_PATH``); then the administrator's credentials
once it has made them, which the status-change events are put with. The end of stdin (the stack
stopped, or died) ends this process.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

import requests
from requests.adapters import HTTPAdapter

CREDENTIALS_WAIT_SECONDS = 60.0  # from the start to the administrator's credentials
# The request headers a Step Functions call is handed on with (the rest are the connection's).
_FORWARDED = ("Authorization", "Content-Type", "User-Agent", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Target")
_HOP_BY_HOP = frozenset({"connection", "content-length", "date", "keep-alive", "server", "transfer-encoding"})


class EngineHost:
    """The engine's process, seen from the stack's: start it, hand it calls, stop it."""

    def __init__(self, log: Callable[[str, str], None]) -> None:
        self.log = log
        self.process: subprocess.Popen[str] | None = None
        self.endpoint = ""
        self.secret = secrets.token_urlsafe(32)  # what it asks the stack's process for roles with
        self._session = requests.Session()
        # One connection per concurrent call: a synchronous Express execution holds its own.
        self._session.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=64))

    def start(self, moto_endpoint: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "devstack.engine_host"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._send({"motoEndpoint": moto_endpoint, "secret": self.secret})
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("{"):
                self.endpoint = json.loads(line)["endpoint"]
                break
            self.log("engine", line.rstrip("\n"))
        if not self.endpoint:
            raise RuntimeError("the Step Functions engine's process exited while starting")
        threading.Thread(target=self._pump_logs, daemon=True, name="engine-log").start()

    def use_credentials(self, credentials: dict[str, str]) -> None:
        """Whom the engine puts the status-change events as (AWS puts them itself)."""
        self._send({"credentials": credentials})

    def forward(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, dict[str, str], bytes]:
        """A Step Functions call, already authorized, answered by the engine's process."""
        answer = self._session.request(
            method,
            self.endpoint + path,
            data=body,
            headers={name: headers[name] for name in _FORWARDED if name in headers},
            timeout=None,  # a synchronous Express execution answers when it ends
        )
        kept = {name: value for name, value in answer.headers.items() if name.lower() not in _HOP_BY_HOP}
        return answer.status_code, kept, answer.content

    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def stop(self) -> None:
        self._session.close()
        if self.process is None:
            return
        if self.process.stdin:
            with contextlib.suppress(OSError):
                self.process.stdin.close()  # its signal to end
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _send(self, message: dict[str, Any]) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def _pump_logs(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.log("engine", line.rstrip("\n"))


def main() -> None:
    import logging

    from devstack import moto_host
    from devstack.serving import MotoKeepAlive, Server

    config = json.loads(sys.stdin.readline())
    moto_endpoint: str = config["motoEndpoint"]
    credentials: dict[str, str] = {}
    have_credentials = threading.Event()

    def admin() -> dict[str, str]:
        if not have_credentials.wait(CREDENTIALS_WAIT_SECONDS):
            raise RuntimeError("the stack sent the engine no credentials")
        return credentials

    # moto's engine calls the other services at localhost:$MOTO_PORT: the stack's process.
    os.environ["MOTO_PORT"] = moto_endpoint.rsplit(":", 1)[1]
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log line per call
    # The engine logs every failed state with its whole parse tree; the history has the facts.
    logging.getLogger("moto.stepfunctions.parser.asl.component.eval_component").setLevel(logging.CRITICAL)
    moto_host.install_engine_hooks(moto_endpoint, config["secret"], admin)
    app = moto_host.engine_application()
    server = Server(app, name="moto", handler=MotoKeepAlive)
    server.start()
    endpoint = f"http://127.0.0.1:{server.port}"
    requests.post(f"{endpoint}/moto-api/config", json=moto_host.MOTO_CONFIG, timeout=10).raise_for_status()
    moto_host.fewer_full_collections()
    print(json.dumps({"endpoint": endpoint}), flush=True)
    for line in sys.stdin:
        message = json.loads(line)
        if "credentials" in message:
            credentials.update(message["credentials"])
            have_credentials.set()
    os._exit(0)  # the stack has gone: so does its engine, executions and all


if __name__ == "__main__":
    main()
