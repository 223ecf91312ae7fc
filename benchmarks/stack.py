"""`make bench`: the local stack's cold start, each function's cold start, and the time from an
upload POST's 204 to READY for 50 files of 100 KB."""

from __future__ import annotations

import io
import os
import secrets
import statistics
import sys
import time
import uuid
from pathlib import Path

import requests

from devstack.stack import ConsoleLog, LocalStack

FILES = int(os.environ.get("BENCH_FILES", "50"))
FILE_BYTES = 100 * 1024
PASSWORD = "Bench-password-1"  # noqa: S105 - a throwaway account in a throwaway local stack


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    log_path = Path(".bench") / "stack.log"
    log_path.parent.mkdir(exist_ok=True)
    with log_path.open("w") as log_file:
        started = time.perf_counter()
        stack = LocalStack(log=ConsoleLog(log_file)).start()
        stack_start = time.perf_counter() - started
        try:
            return run(stack, stack_start)
        finally:
            stack.stop()


def run(stack: LocalStack, stack_start: float) -> int:
    assert stack.stack is not None and stack.runner is not None
    outputs = stack.stack.outputs
    cognito = stack.client("cognito-idp")
    email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    cognito.sign_up(
        ClientId=outputs["UserPoolClientId"],
        Username=email,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    auth = cognito.initiate_auth(
        ClientId=outputs["UserPoolClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
    )
    headers = {"Authorization": f"Bearer {auth['AuthenticationResult']['IdToken']}"}
    ddb = stack.client("dynamodb")
    table = stack.stack.ref("Table")

    def upload_and_wait() -> float:
        body = secrets.token_bytes(FILE_BYTES // 2).hex().encode()
        plan = requests.post(
            f"{stack.api_url}/uploads",
            headers=headers,
            timeout=30,
            json={"name": "bench.txt", "size": len(body), "contentType": "text/plain"},
        ).json()
        sent = requests.post(
            plan["url"], data=plan["fields"], files={"file": ("bench.txt", io.BytesIO(body))}, timeout=30
        )
        assert sent.status_code == 204, sent.text
        accepted = time.perf_counter()
        key = {"pk": {"S": f"FILE#{plan['fileId']}"}, "sk": {"S": "FILE"}}
        while True:
            item = ddb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
            if item and item["status"]["S"] != "PROCESSING":
                assert item["status"]["S"] == "READY", item
                return time.perf_counter() - accepted
            time.sleep(0.005)

    first = upload_and_wait()  # cold: every workflow function starts its first worker here
    warm = [upload_and_wait() for _ in range(FILES)]

    print("Fileshare local stack benchmarks")
    print(f"  machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"  stack cold start (moto + resources from template.yaml + servers): {stack_start:.2f} s")
    print(f"  first upload, 204 -> READY, with cold Lambda workers:          {first:.2f} s")
    print(f"  {FILES} uploads of {FILE_BYTES // 1024} KB, 204 -> READY (one at a time, warm):")
    print(
        f"    median {statistics.median(warm) * 1000:.0f} ms   p95 {percentile(warm, 0.95) * 1000:.0f} ms   "
        f"min {min(warm) * 1000:.0f} ms   max {max(warm) * 1000:.0f} ms"
    )
    print("  function cold start (worker start + handler import), ms:")
    for name in sorted(stack.stack.functions):
        stack.runner.reset(name)
        invocation_ms = stack.runner.cold_start_probe(name)
        print(f"    {name:28s} {invocation_ms:7.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
