"""The bench's side of the stack: the stack process (``benchmarks.host``), accounts, uploads as
the web app sends them, and reading outcomes from the index."""

from __future__ import annotations

import io
import json
import secrets
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import requests
from botocore.config import Config

PASSWORD = "Bench-password-1"  # noqa: S105 - a throwaway account in a throwaway local stack
TERMINAL = ("READY", "REJECTED", "INFECTED", "FAILED")


class StackProcess:
    """The local stack running in a child process; ``cpu()`` asks it for CPU seconds per component."""

    def __init__(self, log_path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.host", str(log_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the stack process exited; see {log_path}")
        self.hello: dict[str, Any] = json.loads(line)
        self.api_url: str = self.hello["apiUrl"]
        self.table: str = self.hello["table"]
        self.bucket: str = self.hello["bucket"]
        self.functions: dict[str, Any] = self.hello["functions"]

    def _ask(self, command: str) -> Any:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def cpu(self) -> dict[str, float]:
        return dict(self._ask("cpu"))

    def client(self, service: str) -> Any:
        return boto3.session.Session(
            aws_access_key_id=self.hello["admin"]["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=self.hello["admin"]["AWS_SECRET_ACCESS_KEY"],
            region_name="us-east-1",
        ).client(
            service,
            endpoint_url=self.hello["motoEndpoint"],
            config=Config(retries={"max_attempts": 2}, max_pool_connections=32),
        )

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Account:
    email: str
    sub: str
    headers: dict[str, str]


def sign_up(stack: StackProcess) -> Account:
    cognito = stack.client("cognito-idp")
    client_id = stack.hello["outputs"]["UserPoolClientId"]
    email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    answer = cognito.sign_up(
        ClientId=client_id, Username=email, Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": email}]
    )
    auth = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD}
    )
    token = auth["AuthenticationResult"]["IdToken"]
    return Account(email, answer["UserSub"], {"Authorization": f"Bearer {token}"})


def text_body(size: int) -> bytes:
    """``size`` bytes of random hex text: every upload is a new, clean, allowed file."""
    return secrets.token_bytes((size + 1) // 2).hex().encode()[:size]


def upload(http: requests.Session, api_url: str, account: Account, body: bytes, name: str = "bench.txt") -> str:
    """POST /uploads, then the presigned POST, as the web app does; the file id once S3 said 204."""
    plan = http.post(
        f"{api_url}/uploads",
        headers=account.headers,
        timeout=60,
        json={"name": name, "size": len(body), "contentType": "text/plain"},
    )
    plan.raise_for_status()
    answer = plan.json()
    sent = http.post(answer["url"], data=answer["fields"], files={"file": (name, io.BytesIO(body))}, timeout=60)
    if sent.status_code != 204:
        raise RuntimeError(f"S3 refused the upload: {sent.status_code} {sent.text[:200]}")
    return str(answer["fileId"])


def file_status(ddb: Any, table: str, file_id: str) -> str | None:
    item = ddb.get_item(
        TableName=table,
        Key={"pk": {"S": f"FILE#{file_id}"}, "sk": {"S": "FILE"}},
        ConsistentRead=True,
        ProjectionExpression="#s",
        ExpressionAttributeNames={"#s": "status"},
    ).get("Item")
    return item["status"]["S"] if item else None


def wait_terminal(ddb: Any, table: str, file_id: str, timeout: float = 120.0, interval: float = 0.02) -> str:
    """Polls the record; every 20 ms by default: finer polling would take moto's time from the
    workflow it is timing."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = file_status(ddb, table, file_id)
        if status in TERMINAL:
            return status
        time.sleep(interval)
    raise TimeoutError(f"{file_id} did not leave PROCESSING in {timeout:.0f} s")


def owner_files(ddb: Any, table: str, sub: str) -> dict[str, tuple[str, str]]:
    """Every file of an owner in the index: its status and when the index last changed it (the
    workflow's ``updatedAt``, the entry time of the state that wrote it). The owner's listing, all
    pages."""
    found: dict[str, tuple[str, str]] = {}
    params: dict[str, Any] = {
        "TableName": table,
        "IndexName": "gsi1",
        "KeyConditionExpression": "gsi1pk = :pk",
        "ExpressionAttributeValues": {":pk": {"S": f"OWNER#{sub}"}},
        "ProjectionExpression": "pk, #s, updatedAt",
        "ExpressionAttributeNames": {"#s": "status"},
    }
    while True:
        answer = ddb.query(**params)
        for item in answer.get("Items", []):
            found[item["pk"]["S"].removeprefix("FILE#")] = (item["status"]["S"], item["updatedAt"]["S"])
        if "LastEvaluatedKey" not in answer:
            return found
        params["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def owner_statuses(ddb: Any, table: str, sub: str) -> dict[str, str]:
    """Every file of an owner in the index and its status."""
    return {file_id: status for file_id, (status, _) in owner_files(ddb, table, sub).items()}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
