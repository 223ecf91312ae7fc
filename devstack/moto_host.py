"""moto in server mode, in this process, with the three hooks the local stack needs:

* Lambda ``Invoke`` runs our handlers through the Lambda runner (moto's own simple backend only
  echoes);
* EventBridge rules deliver to Step Functions and Lambda targets (moto delivers only to SQS, logs,
  buses);
* DynamoDB writes are serialised: moto checks a ConditionExpression and then writes, with no lock
  between, so two concurrent conditional writes could both pass; DynamoDB makes each one atomic.
  Reads take the same lock: moto applies an update to the stored item one action at a time, so a
  read beside it could see half of it; DynamoDB shows a write whole or not at all;
* ``StartSyncExecution`` runs Express workflows synchronously (``devstack.express``);
* ``RedriveExecution`` continues a failed Standard execution, and a Standard execution that stops
  puts its status-change event on the default bus (``devstack.redrive``);
* Cognito sign-up confirms the user at once and prints it, since no email is sent locally;
* Cognito ``GetTokensFromRefreshToken`` (how Amplify Auth refreshes a session), which moto lacks,
  answers as ``InitiateAuth`` with ``REFRESH_TOKEN_AUTH`` does;
* Cognito ``RevokeToken`` (``fileshare logout``), which moto lacks, forgets a refresh token;

* ``StartExecution`` without a name gets a fresh one (moto used ``None``, one ARN for all);
* Step Functions' SDK tasks take parameters in PascalCase and call the API in its own case
  (``ExecutionArn`` -> ``executionArn``), which moto's engine did not do;

and four for speed (``make bench`` found them; docs/performance.md): moto parses a state
machine's definition again for every execution (about 0.2 s for ours), so parsed programs are
cached per definition and each execution gets its own copy; its engine built a new boto3 client
for every Task (about a third of the stack's CPU per upload), so clients are kept per region and
service (moto's builder ignores the state's credentials, so the client is the same); it compiled
every JSONPath again each time a state read one (a yacc parser per call), so compiled paths are
kept; and its generic, model-driven response serializer spent three quarters of DynamoDB's CPU
turning items that are already in DynamoDB's wire form into JSON, so the item operations' answers
are written with ``json.dumps`` (binary values base64, as the wire has them).
"""

from __future__ import annotations

import base64
import copy
import datetime
import functools
import json
import logging
import os
import sys
import threading
import uuid
from collections.abc import Callable
from typing import Any

import botocore.session
import requests
from botocore import xform_name
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.cognitoidp.models import CognitoIdpBackend
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.responses import ActionResult, EmptyResult
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.responses import DynamoHandler, DynamoResult
from moto.events.models import Rule
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import (
    StateTaskServiceAwsSdk,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn import (
    StateTaskServiceSfn,
)
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.utils import boto_client as engine_clients
from moto.stepfunctions.parser.asl.utils import json_path
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from moto.utilities.arns import parse_arn

from devstack import express, redrive
from devstack.lambda_runner import LambdaRunner

MOTO_CONFIG = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}

_runner: LambdaRunner | None = None
_deliver: Callable[[Rule, list[dict[str, Any]], dict[str, Any]], None] | None = None
_on_sign_up: Callable[[str], None] | None = None
_originals: dict[str, Any] = {}


def _invoke(
    self: LambdaSimpleBackend, function_name: str, qualifier: str | None, body: Any, headers: Any, response_headers: Any
) -> bytes:
    if _runner is None:
        raise RuntimeError("the local Lambda runner is not attached")
    event = json.loads(body) if body else {}
    answer = _runner.invoke(function_name, event)
    if answer.function_error:
        response_headers["x-amz-function-error"] = answer.function_error
    return answer.payload


def _send_to_targets(self: Rule, original_event: Any, transform_input: bool = True) -> None:
    # A disabled rule delivers nothing (moto's S3 notifications ignore the rule's state).
    if self.state != "ENABLED" or not self.event_pattern.matches_event(original_event):
        return
    ours = [t for t in self.targets if parse_arn(t["Arn"]).service in ("states", "lambda")]
    if ours and _deliver is not None:
        _deliver(self, ours, original_event)
    others = [t for t in self.targets if t not in ours]
    # With no InputTransformer, EventBridge delivers the whole event; moto's default template drops
    # `account`, so those targets get the event untransformed.
    transformed = [t for t in others if "InputTransformer" in t]
    whole = [t for t in others if t not in transformed]
    for group, transform in ((transformed, transform_input), (whole, False)):
        if group:
            saved = self.targets
            self.targets = group
            try:
                _originals["send_to_targets"](self, original_event, transform)
            finally:
                self.targets = saved


def _sign_up(
    self: CognitoIdpBackend, client_id: str, username: str, password: str, attributes: list[dict[str, str]]
) -> Any:
    user, delivery = _originals["sign_up"](self, client_id, username, password, attributes)
    user.status = "CONFIRMED"
    if any(a["Name"] == "email" for a in user.attributes) and not any(
        a["Name"] == "email_verified" for a in user.attributes
    ):
        user.attributes.append({"Name": "email_verified", "Value": "true"})
    if _on_sign_up is not None:
        _on_sign_up(username)
    return user, delivery


def _get_tokens_from_refresh_token(self: CognitoIdpResponse) -> ActionResult:
    """Fresh ID and access tokens for a refresh token (the refresh token itself is not rotated)."""
    result = self._get_region_agnostic_backend().initiate_auth(
        self._get_param("ClientId"), "REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": self._get_param("RefreshToken")}
    )
    return ActionResult({"AuthenticationResult": result["AuthenticationResult"]})


def _revoke_token(self: CognitoIdpResponse) -> ActionResult:
    """``RevokeToken``: the refresh token stops working for ``REFRESH_TOKEN_AUTH`` (as in AWS, ID
    and access tokens already issued stay valid for the API's JWT check until they expire)."""
    token, client_id = self._get_param("Token"), self._get_param("ClientId")
    for pool in self.backend.user_pools.values():
        issued = pool.refresh_tokens.get(token)
        if issued is not None and issued[0] == client_id:
            del pool.refresh_tokens[token]
    return EmptyResult()


# Re-entrant: moto's transact_write_items calls its own put_item/update_item/delete_item.
_dynamodb_items = threading.RLock()
_DYNAMODB_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item")
# Handlers, not backend methods: they turn the items into the answer, which must happen under the lock.
_DYNAMODB_READS = ("get_item", "batch_get_item", "query", "scan", "transact_get_items")


def _serialised(method: Callable[..., Any]) -> Callable[..., Any]:
    def one_at_a_time(*args: Any, **kwargs: Any) -> Any:
        with _dynamodb_items:
            return method(*args, **kwargs)

    return one_at_a_time


@functools.cache
def _input_members(service: str, action: str) -> dict[str, str]:
    """The operation's input member names by lower case (``executionarn`` -> ``executionArn``)."""
    model = botocore.session.get_session().get_service_model(service)
    operation = next(n for n in model.operation_names if xform_name(n) == action)
    shape = model.operation_model(operation).input_shape
    return {name.lower(): name for name in (shape.members if shape else {})}


def _api_cased(method: Callable[..., Any]) -> Callable[..., Any]:
    """Step Functions takes SDK parameters in PascalCase and converts them to the API's own case
    (``ExecutionArn`` -> ``executionArn`` for Step Functions' camelCase API); moto's engine passes
    them on unchanged, which botocore drops, so Step Functions' own actions failed locally."""

    def call(
        self: Any, env: Any, resource_runtime_part: Any, normalised_parameters: dict[str, Any], **kwargs: Any
    ) -> Any:
        members = _input_members(self._get_boto_service_name(), self._get_boto_service_action())
        renamed = {members.get(k.lower(), k): v for k, v in normalised_parameters.items()}
        return method(self, env, resource_runtime_part=resource_runtime_part, normalised_parameters=renamed, **kwargs)

    return call


def _named(method: Callable[..., Any]) -> Callable[..., Any]:
    """``StartExecution`` without a name gets a UUID, as in AWS (moto named it ``None``, so every
    unnamed execution of a state machine had the same ARN)."""

    def start(self: Any, state_machine_arn: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        return method(self, state_machine_arn, name or str(uuid.uuid4()), *args, **kwargs)

    return start


_programs: dict[str, Any] = {}
_programs_lock = threading.Lock()


def _evaluation_entrypoint(self: ExecutionWorker) -> Any:
    definition = self._evaluation_details.state_machine_details.definition
    with _programs_lock:
        program = _programs.get(definition)
        if program is None:
            program = _programs[definition] = AmazonStateLanguageParser.parse(definition)[0]
        return copy.deepcopy(program)


_engine_clients: dict[tuple[str, str, bool, int], Any] = {}
_engine_clients_lock = threading.Lock()


def _kept_engine_client(region: str, service: str, state_credentials: Any = None) -> Any:
    """moto's ``boto_client_for``, once per region and service: a botocore client costs ~20 ms of
    CPU to build and is safe to share between threads."""
    from moto.core.models import botocore_stubber
    from moto.settings import moto_server_port

    key = (region, service, bool(botocore_stubber.enabled), int(moto_server_port()))
    with _engine_clients_lock:
        client = _engine_clients.get(key)
        if client is None:
            client = _engine_clients[key] = _originals["boto_client_for"](region, service, state_credentials)
        return client


# Item operations only: their answers are items and counts, already shaped as the JSON protocol's.
_DYNAMODB_ITEM_ACTIONS = frozenset(
    {
        "GetItem",
        "BatchGetItem",
        "Query",
        "Scan",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "TransactGetItems",
        "TransactWriteItems",
        "BatchWriteItem",
    }
)


def _wire_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    raise TypeError(f"{type(value).__name__} is not part of a DynamoDB answer")


def _dynamodb_serialized(self: DynamoHandler, action_result: ActionResult) -> Any:
    if (
        type(action_result) in (ActionResult, DynamoResult)
        and not isinstance(action_result.result, Exception)
        and self._get_action() in _DYNAMODB_ITEM_ACTIONS
    ):
        body = json.dumps(action_result.result, default=_wire_value)
        return 200, {**self.response_headers, "Content-Type": "application/x-amz-json-1.0"}, body
    return _originals["dynamodb_serialized"](self, action_result)


def _install_speedups() -> None:
    _originals["dynamodb_serialized"] = DynamoHandler.serialized
    DynamoHandler.serialized = _dynamodb_serialized  # type: ignore[method-assign,assignment]  # same call, a faster body
    _originals["boto_client_for"] = engine_clients.boto_client_for
    engine_clients.boto_client_for = _kept_engine_client  # for modules imported from now on
    # Each Task's module imported the builder by name: replace it where it was imported.
    for name, module in list(sys.modules.items()):
        if (
            name.startswith("moto.stepfunctions.parser")
            and getattr(module, "boto_client_for", None) is (_originals["boto_client_for"])
        ):
            module.boto_client_for = _kept_engine_client  # type: ignore[attr-defined]
    # Compiled paths are only read (``find``), never changed, so one copy serves every thread.
    json_path.parse = functools.lru_cache(maxsize=4096)(json_path.parse)  # type: ignore[attr-defined]


def install_hooks(
    *,
    runner: LambdaRunner,
    deliver: Callable[[Rule, list[dict[str, Any]], dict[str, Any]], None],
    on_sign_up: Callable[[str], None] | None,
) -> None:
    global _runner, _deliver, _on_sign_up
    _runner, _deliver, _on_sign_up = runner, deliver, on_sign_up
    if not _originals:
        _originals["send_to_targets"] = Rule.send_to_targets
        _originals["sign_up"] = CognitoIdpBackend.sign_up
        LambdaSimpleBackend.invoke = _invoke  # type: ignore[method-assign]
        Rule.send_to_targets = _send_to_targets  # type: ignore[method-assign,assignment]
        CognitoIdpBackend.sign_up = _sign_up  # type: ignore[method-assign]
        CognitoIdpResponse.get_tokens_from_refresh_token = _get_tokens_from_refresh_token  # type: ignore[attr-defined]
        CognitoIdpResponse.revoke_token = _revoke_token  # type: ignore[attr-defined]
        ExecutionWorker._get_evaluation_entrypoint = _evaluation_entrypoint  # type: ignore[method-assign]
        StepFunctionsParserBackend.start_execution = _named(StepFunctionsParserBackend.start_execution)  # type: ignore[method-assign]
        for task in (StateTaskServiceAwsSdk, StateTaskServiceSfn):
            task._eval_service_task = _api_cased(task._eval_service_task)  # type: ignore[method-assign]
        express.install()
        redrive.install()
        _install_speedups()
        for name in _DYNAMODB_WRITES:
            setattr(DynamoDBBackend, name, _serialised(getattr(DynamoDBBackend, name)))
        for name in _DYNAMODB_READS:
            setattr(DynamoHandler, name, _serialised(getattr(DynamoHandler, name)))


class MotoHost:
    """One moto server per process (moto's backends are process-global)."""

    def __init__(self, port: int = 0) -> None:
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self.port = 0

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log line per AWS call
        # The engine logs every failed state with its whole parse tree; the history has the facts.
        logging.getLogger("moto.stepfunctions.parser.asl.component.eval_component").setLevel(logging.CRITICAL)
        self._server.start()
        self.port = self._server.get_host_and_port()[1]
        # moto's Step Functions engine calls the other services at localhost:$MOTO_PORT.
        os.environ["MOTO_PORT"] = str(self.port)
        requests.post(f"{self.endpoint}/moto-api/reset", timeout=10)
        requests.post(f"{self.endpoint}/moto-api/config", json=MOTO_CONFIG, timeout=10).raise_for_status()

    def stop(self) -> None:
        self._server.stop()
