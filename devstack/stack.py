"""The local stack, assembled: moto, the template's resources, the Lambda runner, EventBridge
delivery, the HTTP API gateway and the web app. ``LocalStack`` is what ``fileshare local`` runs and
what the tests start."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TextIO

import boto3
from botocore.config import Config

from devstack.event_delivery import StepFunctionsDelivery
from devstack.lambda_runner import LambdaRunner
from devstack.moto_host import MotoHost, install_hooks
from devstack.provision import Provisioner, Stack

REPO_ROOT = Path(__file__).resolve().parent.parent
REGION = "us-east-1"


class ConsoleLog:
    """Prefixed, line-at-a-time log lines from every piece of the stack."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()

    def __call__(self, source: str, line: str) -> None:
        with self._lock:
            self.stream.write(f"[{source}] {line}\n")
            self.stream.flush()


class LocalStack:
    def __init__(self, *, root: Path = REPO_ROOT, template: str = "template.yaml",
                 parameters: dict[str, Any] | None = None, app_url: str = "http://127.0.0.1:8000",
                 log: Callable[[str, str], None] | None = None) -> None:
        self.root = root
        self.template_path = root / template
        self.app_url = app_url
        self.parameters = parameters or {}
        self.log = log or ConsoleLog()
        self.moto = MotoHost()
        self.stack: Stack | None = None
        self.runner: LambdaRunner | None = None
        self.delivery: StepFunctionsDelivery | None = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> LocalStack:
        self.moto.start()
        self.log("moto", f"AWS services (moto, server mode) at {self.moto.endpoint}")
        origin = self.app_url.rstrip("/")
        parameters = {"AllowedOrigins": [origin], "AppUrl": origin, **self.parameters}
        provisioner = Provisioner(
            template_path=self.template_path,
            endpoint_url=self.moto.endpoint,
            region=REGION,
            parameters={k: v for k, v in parameters.items() if k in _template_parameters(self.template_path)},
        )
        self.stack = provisioner.provision()
        self.runner = LambdaRunner(self.stack.functions, base_environment=self.lambda_environment(), log=self.log)
        self.delivery = StepFunctionsDelivery(self.client, log=self.log)
        install_hooks(runner=self.runner, deliver=self.delivery, on_sign_up=self._signed_up)
        self.log("stack", f"{len(self.stack.functions)} functions, {len(self.stack.state_machines)} state machines "
                          f"read from {self.template_path.name}")
        return self

    def stop(self) -> None:
        if self.delivery:
            self.delivery.close()
        if self.runner:
            self.runner.close()
        self.moto.stop()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ helpers
    def lambda_environment(self) -> dict[str, str]:
        """What every local function gets besides its own variables: the way to moto."""
        return {
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_SESSION_TOKEN": "local",
            "AWS_ENDPOINT_URL": self.moto.endpoint,
            # There is no X-Ray daemon locally (docs/local-stack.md).
            "POWERTOOLS_TRACE_DISABLED": "true",
        }

    def client(self, service: str) -> Any:
        return _client(self.moto.endpoint, service)

    def _signed_up(self, username: str) -> None:
        self.log("cognito", f"signed up {username}: confirmed automatically (no email is sent locally)")


def _template_parameters(path: Path) -> set[str]:
    from devstack.template import load_template

    return set(load_template(path).get("Parameters", {}))


@cache
def _client(endpoint: str, service: str) -> Any:
    return boto3.session.Session(
        aws_access_key_id="local", aws_secret_access_key="local", region_name=REGION
    ).client(service, endpoint_url=endpoint, config=Config(retries={"max_attempts": 2}))
