"""One Lambda execution environment: imports a handler once, then serves invocations.

Started by ``devstack.lambda_runner`` with exactly the function's environment. Requests arrive as
JSON lines on stdin; answers leave as JSON lines on a separate pipe (its descriptor is the third
argument), so the function's own
stdout and stderr stay free for its logs, as in Lambda.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
from typing import Any


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


def main() -> None:
    code_dir, handler_path, answer_fd = sys.argv[1], sys.argv[2], int(sys.argv[3])
    sys.path.insert(0, code_dir)
    answers = os.fdopen(answer_fd, "w", buffering=1)
    module_name, _, function_name = handler_path.rpartition(".")
    init_error: dict[str, Any] | None = None
    handler = None
    try:
        handler = getattr(importlib.import_module(module_name), function_name)
    except ModuleNotFoundError as exc:
        init_error = _error("Runtime.ImportModuleError", exc, f"Unable to import module '{module_name}': {exc}")
    except AttributeError as exc:
        init_error = _error(
            "Runtime.HandlerNotFound", exc, f"Handler '{function_name}' missing on module '{module_name}'"
        )
    except Exception as exc:  # noqa: BLE001 - any init failure is reported the way Lambda reports it
        init_error = _error("Runtime.ImportModuleError", exc, f"Unable to import module '{module_name}': {exc}")
        traceback.print_exc()
    answers.write(json.dumps({"ready": True, "initError": init_error}) + "\n")

    for line in sys.stdin:
        request = json.loads(line)
        if init_error is not None or handler is None:
            answer: dict[str, Any] = {"ok": False, "error": init_error}
        else:
            context = LocalContext(request["requestId"], request["deadline"])
            try:
                answer = {"ok": True, "result": handler(request["event"], context)}
                json.dumps(answer)
            except Exception as exc:  # noqa: BLE001 - reported to the caller as Lambda's Unhandled error
                traceback.print_exc()
                answer = {"ok": False, "error": _error(type(exc).__name__, exc)}
        sys.stdout.flush()
        sys.stderr.flush()
        answers.write(json.dumps(answer, default=str) + "\n")


if __name__ == "__main__":
    main()
