"""The local stack in a process of its own, for ``make bench``: the bench's clients run in the
parent, so their CPU and their share of the GIL are not the stack's.

Prints one JSON line when the stack is up (its endpoints, outputs and each function's environment),
then answers commands on stdin, one JSON line each: ``cpu`` (CPU seconds so far per component,
``benchmarks.cpu``), ``quit``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks import cpu

# Enough headroom that the bench measures the pipeline, not the quotas (each client is one owner).
# Multipart from 16 MiB, so the quick run's 64 MiB file goes up in parts as a 1 GiB one does.
BENCH_PARAMETERS = {
    "MaxUploadsPerHour": "100000",
    "MaxUploadBytes": str(2 * 1024**3),
    "SinglePostMaxBytes": str(16 * 1024**2),
}


def main() -> int:
    cpu.install()
    from devstack.stack import ConsoleLog, LocalStack

    log_path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".bench/stack.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log_file:
        stack = LocalStack(parameters=BENCH_PARAMETERS, log=ConsoleLog(log_file)).start()
        try:
            assert stack.stack is not None and stack.runner is not None
            cpu.server_ports[stack.moto.port] = "moto"
            cpu.server_ports[stack.web.port] = "web"
            for gateway in stack.gateways.values():
                cpu.server_ports[gateway.port] = "gateway"
            runner = stack.runner
            hello = {
                "apiUrl": stack.api_url,
                "motoEndpoint": stack.moto.endpoint,
                # IAM is enforced locally: the bench's own calls act as the stack's administrator.
                "admin": stack.admin_credentials,
                "outputs": stack.stack.outputs,
                "table": stack.stack.ref("Table"),
                "bucket": stack.stack.ref("UploadsBucket"),
                "functions": {
                    name: {"handler": spec.handler, "codeDir": str(spec.code_dir), "env": runner.environment_for(spec)}
                    for name, spec in stack.stack.functions.items()
                },
            }
            print(json.dumps(hello), flush=True)
            for line in sys.stdin:
                command = line.strip()
                if command == "cpu":
                    engine = {"engine": pid} if (pid := stack.moto.engine.pid()) else {}
                    print(json.dumps(cpu.snapshot(runner.pids(), engine)), flush=True)
                elif command == "quit":
                    break
        finally:
            stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
