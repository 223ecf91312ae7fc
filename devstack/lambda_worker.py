"""One function's fork server: imports the handler once, then forks an execution environment per
request from the runner.

Started by ``devstack.lambda_runner`` with exactly the function's environment and four arguments:
the code directory, the handler, the runner's Unix socket for this function and the AWS services
its role may call (comma-separated boto3 names). After the import it makes the function's client
for each service (``make_sdk_clients``), so every forked worker starts with them, and freezes the
garbage collector's view of what exists so far, so collections in a worker do not copy the shared
pages. Each ``spawn`` line on stdin forks a child that connects to that socket, says hello (its
pid, the init error if the import failed, and how long the import took — the cold start AWS would
have), then serves invocations: requests and answers are JSON lines on the socket, so the
function's own stdout and stderr stay free for its logs, as in Lambda. Forking a warm interpreter
takes milliseconds where a fresh one spends a third of a second importing boto3 and Powertools.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable
from typing import IO, Any

Handler = Callable[[Any, Any], Any]


class LocalContext:
    """The parts of ``LambdaContext`` that handlers and Powertools read."""

    def __init__(self, request_id: str, deadline: float) -> None:
        self.aws_request_id = request_id
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = os.environ["DEVSTACK_FUNCTION_ARN"]
        self.memory_limit_in_mb = int(os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"])
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "local"
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.time()) * 1000))


def _error(kind: str, exc: BaseException | None = None, message: str | None = None) -> dict[str, Any]:
    return {
        "errorType": kind,
        "errorMessage": message if message is not None else str(exc),
        "stackTrace": traceback.format_exception(exc) if exc else [],
    }


def load_handler(handler_path: str) -> tuple[Handler | None, dict[str, Any] | None]:
    """The handler, or the error Lambda would report for its init phase."""
    module_name, _, function_name = handler_path.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), function_name), None
    except ModuleNotFoundError as exc:
        return None, _error("Runtime.ImportModuleError", exc, f"Unable to import module '{module_name}': {exc}")
    except AttributeError as exc:
        return None, _error(
            "Runtime.HandlerNotFound", exc, f"Handler '{function_name}' missing on module '{module_name}'"
        )
    except Exception as exc:  # noqa: BLE001 - any init failure is reported the way Lambda reports it
        traceback.print_exc()
        return None, _error("Runtime.ImportModuleError", exc, f"Unable to import module '{module_name}': {exc}")


def serve(requests: IO[str], answers: IO[str], handler: Handler | None, init_error: dict[str, Any] | None) -> None:
    # Tests hold an invocation in flight this long (to kill its worker mid-run); never set otherwise.
    delay = float(os.environ.get("DEVSTACK_INVOKE_DELAY_SECONDS", "0"))
    for line in requests:
        request = json.loads(line)
        if init_error is not None or handler is None:
            answer: dict[str, Any] = {"ok": False, "error": init_error}
        else:
            context = LocalContext(request["requestId"], request["deadline"])
            time.sleep(delay)
            try:
                answer = {"ok": True, "result": handler(request["event"], context)}
                json.dumps(answer)
            except Exception as exc:  # noqa: BLE001 - reported to the caller as Lambda's Unhandled error
                traceback.print_exc()
                answer = {"ok": False, "error": _error(type(exc).__name__, exc)}
        sys.stdout.flush()
        sys.stderr.flush()
        answers.write(json.dumps(answer, default=str) + "\n")
        answers.flush()


def environment(socket_path: str, handler: Handler | None, init_error: dict[str, Any] | None, init_ms: float) -> None:
    """A forked child: one execution environment, until the runner hangs up or kills it."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # the fork server's command stream is not ours to read
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(socket_path)
        stream = conn.makefile("rw", encoding="utf-8", newline="\n")
        stream.write(json.dumps({"pid": os.getpid(), "initError": init_error, "initMs": init_ms}) + "\n")
        stream.flush()
        serve(stream, stream, handler, init_error)


def make_sdk_clients(services: list[str]) -> None:
    """Make, before forking, the clients the function would make on its first call: its own
    (``fileshare.core.aws.client``, which keeps one per service and process) when its import loaded
    that module, else throwaway ones, which still leave the models and endpoint rules in botocore's
    loader. No client made here has sent a request, so forked workers share no connection."""
    if not services:
        return
    import boto3  # here: a function that calls no AWS service need not import it
    import botocore.exceptions

    own = sys.modules.get("fileshare.core.aws")
    make = own.client if own is not None else boto3.client
    for service in services:
        try:
            make(service)
        except botocore.exceptions.BotoCoreError as exc:  # a speed-up only: workers make their clients anyway
            print(f"[lambda_worker] no {service} client made ahead: {exc}", file=sys.stderr)


def main() -> None:
    code_dir, handler_path, socket_path, services = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    sys.path.insert(0, code_dir)
    # The import's CPU time, not its wall time: the stack starts every fork server at once, and on
    # two cores their imports share the CPU, which AWS's environments would not.
    started = time.process_time()
    handler, init_error = load_handler(handler_path)
    init_ms = (time.process_time() - started) * 1000
    if init_error is None:
        make_sdk_clients([s for s in services.split(",") if s])
    gc.freeze()  # what the import made stays shared with every fork, not copied by the collector's writes
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    for command in sys.stdin:
        if command.strip() != "spawn":
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork() == 0:
            try:
                environment(socket_path, handler, init_error, init_ms)
            finally:
                os._exit(0)


if __name__ == "__main__":
    main()
