"""The local stack, assembled: moto, the template's resources, the Lambda runner, EventBridge
delivery, the HTTP API gateway and the web app. ``LocalStack`` is what ``fileshare local`` runs and
what the tests start."""

from __future__ import annotations

import json
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, TextIO

import boto3
from botocore.config import Config

from delivery.frontend import app_config
from devstack.event_delivery import TargetDelivery
from devstack.faults import SERVICES, FaultInjector
from devstack.gateway import Gateway, JwtVerifier
from devstack.lambda_runner import LambdaRunner
from devstack.mail import console_line, sent_mail
from devstack.moto_host import (
    MotoHost,
    enforce_iam,
    fewer_full_collections,
    install_aws_managed_policy,
    install_hooks,
    role_credentials,
)
from devstack.provision import Provisioner, ScheduleSpec, Stack
from devstack.scheduler import Scheduler
from devstack.web import WebApp, security_headers

REPO_ROOT = Path(__file__).resolve().parent.parent
REGION = "us-east-1"
# The template's default engine is GuardDuty, which cannot run here: locally, the project's YARA rules.
LOCAL_SCANNER_ENGINE = "yara"
# The sender locally; verified in moto's SES at start (in AWS the identity exists before the deploy).
LOCAL_MAIL_FROM = "no-reply@fileshare.local"
# Who the test harness, the demo account's creation and the local pieces act as once IAM is enforced.
ADMIN_USER = "fileshare-local-admin"
ADMIN_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


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
    # moto's backends are process-global: a second stack in the same process would share (and
    # reset) the first one's buckets, tables and workflows.
    _running: ClassVar[LocalStack | None] = None

    def __init__(
        self,
        *,
        root: Path = REPO_ROOT,
        template: str = "template.yaml",
        parameters: dict[str, Any] | None = None,
        app_port: int = 0,
        log: Callable[[str, str], None] | None = None,
    ) -> None:
        self.root = root
        self.template_path = root / template
        self.app_port = app_port
        self.parameters = parameters or {}
        self.log = log or ConsoleLog()
        self.moto = MotoHost(log=self.log)
        self.stack: Stack | None = None
        self.runner: LambdaRunner | None = None
        self.delivery: TargetDelivery | None = None
        self.gateways: dict[str, Gateway] = {}
        self.scheduler: Scheduler | None = None
        self.admin_credentials: dict[str, str] = {}
        self.web = WebApp(
            static_dir=root / "frontend" / "dist",
            schemas_dir=root / "schemas",
            config=self.app_config,
            headers=self.security_headers,
            mail=lambda: sent_mail(REGION),
        )

    @property
    def app_url(self) -> str:
        return f"http://127.0.0.1:{self.web.port}"

    @property
    def api_url(self) -> str:
        gateway = next(iter(self.gateways.values()))
        return f"http://127.0.0.1:{gateway.port}"

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> LocalStack:
        if LocalStack._running is not None:
            raise RuntimeError("a local stack is already running in this process (moto's state is process-global)")
        LocalStack._running = self
        self.web.bind(self.app_port)
        self.moto.start()
        self.log("moto", f"AWS services (moto, server mode) at {self.moto.endpoint}")
        self.log("engine", f"Step Functions (moto's engine) in process {self.moto.engine.pid()}, behind that endpoint")
        origin = self.app_url
        origins = [origin, origin.replace("127.0.0.1", "localhost")]
        parameters = {
            "AllowedOrigins": origins,
            "AppUrl": origin,
            "ScannerEngine": LOCAL_SCANNER_ENGINE,
            "MailFromAddress": LOCAL_MAIL_FROM,
            **self.parameters,
        }
        provisioner = Provisioner(
            template_path=self.template_path,
            endpoint_url=self.moto.endpoint,
            region=REGION,
            parameters={k: v for k, v in parameters.items() if k in _template_parameters(self.template_path)},
            install_managed_policy=install_aws_managed_policy,
        )
        self.stack = provisioner.provision()
        self.moto.front.use_bucket_policies(self.stack.bucket_policies)
        sender = self.stack.parameters.get("MailFromAddress")
        if sender:
            self.client("ses").verify_email_identity(EmailAddress=sender)
        self.admin_credentials = self._create_admin()
        self.moto.engine.use_credentials(self.admin_credentials)
        # From here on every signed call is checked against the caller's IAM policies.
        enforce_iam(True)
        self.runner = LambdaRunner(
            self.stack.functions,
            base_environment=self.lambda_environment(),
            credentials=lambda spec: role_credentials(spec.role_arn, spec.name),
            log=self.log,
        )
        self.runner.start_fork_servers()
        self.delivery = TargetDelivery(self.client, invoke=self.runner.invoke, log=self.log)
        install_hooks(
            runner=self.runner,
            deliver=self.delivery,
            on_sign_up=self._signed_up,
            on_mail=lambda mail: self.log("mail", console_line(mail)),
        )
        for logical_id, api in self.stack.http_apis.items():
            verifier = None
            if api.issuer:
                pool_id = api.issuer.rsplit("/", 1)[-1]
                verifier = JwtVerifier(
                    issuer=api.issuer,
                    audience=api.audience,
                    jwks_url=f"{self.moto.endpoint}/{pool_id}/.well-known/jwks.json",
                )
            gateway = Gateway(api, invoke=self._invoke_for_gateway, verifier=verifier, log=self.log)
            gateway.start()
            self.gateways[logical_id] = gateway
            self.log("api", f"HTTP API {logical_id} ({len(api.routes)} routes) at http://127.0.0.1:{gateway.port}")
        self.web.start()
        self.log("web", f"web app at {self.app_url} (what it would have emailed: {self.app_url}/local/mail)")
        self.scheduler = Scheduler(self.stack.schedules, fire=self._fire_schedule, log=self.log)
        self.scheduler.start()
        for schedule in self.stack.schedules:
            self.log("scheduler", f"{schedule.rule_name}: {schedule.expression}")
        self.log(
            "stack",
            f"{len(self.stack.functions)} functions, {len(self.stack.state_machines)} state machines "
            f"read from {self.template_path.name}",
        )
        fewer_full_collections()
        return self

    def stop(self) -> None:
        if self.scheduler:
            self.scheduler.stop()
        for gateway in self.gateways.values():
            gateway.stop()
        self.web.stop()
        if self.delivery:
            self.delivery.close()
        if self.runner:
            self.runner.close()
        self.moto.stop()
        enforce_iam(False)
        LocalStack._running = None

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ fault switches (tests)
    @contextmanager
    def transient_faults(
        self, rate: float, *, seed: int, services: Iterable[str] = SERVICES
    ) -> Iterator[FaultInjector]:
        """A fraction ``rate`` of the AWS calls made by the workflows' engine and the Lambda workers
        answered with a retryable error (``devstack.faults``); the injector counts what it did."""
        assert self.moto.faults is not None
        with self.moto.faults.active(rate, seed=seed, services=services) as injector:
            yield injector

    @contextmanager
    def duplicate_events(self, copies: int = 3, *, seed: int, spread_seconds: float = 1.0) -> Iterator[None]:
        """Every event delivered ``copies`` times, out of order (``TargetDelivery.duplicated``)."""
        assert self.delivery is not None
        with self.delivery.duplicated(copies, seed=seed, spread_seconds=spread_seconds):
            yield

    # ------------------------------------------------------------------ helpers
    def lambda_environment(self) -> dict[str, str]:
        """What every local function gets besides its own variables and its role's credentials: the
        way to moto."""
        return {
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": self.moto.endpoint,
            # AWS serves StartSyncExecution at sync-states.<region>; locally it is the moto endpoint.
            "AWS_DISABLE_HOST_PREFIX_INJECTION": "true",
            # There is no X-Ray daemon locally (docs/local-stack.md).
            "POWERTOOLS_TRACE_DISABLED": "true",
        }

    def _invoke_for_gateway(self, function: str, event: dict[str, Any]) -> tuple[bytes, str | None]:
        assert self.runner is not None
        answer = self.runner.invoke(function, event)
        return answer.payload, answer.function_error

    def _fire_schedule(self, schedule: ScheduleSpec, payload: str) -> None:
        if ":states:" in schedule.target_arn:
            self.client("stepfunctions").start_execution(
                stateMachineArn=schedule.target_arn, name=str(uuid.uuid4()), input=payload
            )
        else:
            assert self.runner is not None
            threading.Thread(
                target=self.runner.invoke, args=(schedule.target_arn, json.loads(payload)), daemon=True
            ).start()

    def app_config(self) -> dict[str, Any]:
        """``/config.json`` as ``make deploy-frontend`` writes it from the stack's outputs, with the
        local API and moto's Cognito in place of AWS's."""
        assert self.stack is not None
        return {**app_config(self.stack.outputs), "apiUrl": self.api_url, "cognitoEndpoint": self.moto.endpoint}

    def security_headers(self) -> dict[str, str]:
        """The headers of the distribution's response-headers policy in template.yaml, as CloudFront
        sends them, with ``connect-src`` naming the local API and moto (S3 and Cognito here)."""
        if self.stack is None:
            return {}
        policies = self.stack.response_headers_policies
        connect = [self.api_url, self.moto.endpoint] if self.gateways else []
        headers: dict[str, str] = {}
        for distribution in self.stack.distributions.values():
            policy_id = distribution["DefaultCacheBehavior"].get("ResponseHeadersPolicyId")
            if policy_id in policies:
                headers.update(security_headers(policies[policy_id], connect))
        return headers

    def client(self, service: str) -> Any:
        """A client acting as the local administrator (every action allowed)."""
        return _client(
            self.moto.endpoint,
            service,
            self.admin_credentials.get("AWS_ACCESS_KEY_ID", "local"),
            self.admin_credentials.get("AWS_SECRET_ACCESS_KEY", "local"),
        )

    def _create_admin(self) -> dict[str, str]:
        """An IAM user allowed everything, created before IAM is enforced: what the test harness,
        the demo account's creation, EventBridge delivery and the scheduler act as."""
        iam = self.client("iam")
        iam.create_user(UserName=ADMIN_USER)
        iam.put_user_policy(UserName=ADMIN_USER, PolicyName="everything", PolicyDocument=json.dumps(ADMIN_POLICY))
        key = iam.create_access_key(UserName=ADMIN_USER)["AccessKey"]
        return {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"]}

    def _signed_up(self, username: str) -> None:
        self.log("cognito", f"signed up {username}: confirmed automatically (no email is sent locally)")


def _template_parameters(path: Path) -> set[str]:
    from devstack.template import load_template

    return set(load_template(path).get("Parameters", {}))


@cache
def _client(endpoint: str, service: str, key_id: str, secret: str) -> Any:
    session = boto3.session.Session(aws_access_key_id=key_id, aws_secret_access_key=secret, region_name=REGION)
    return session.client(service, endpoint_url=endpoint, config=Config(retries={"max_attempts": 2}))
