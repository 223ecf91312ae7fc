"""moto in server mode, in this process, with the hooks the local stack needs. Step Functions is
the exception: its calls are authorized here and answered by the engine's own process
(``devstack.engine_host``), where ``install_engine_hooks`` puts the hooks marked (engine) below.

The hooks:

* Lambda ``Invoke`` runs our handlers through the Lambda runner (moto's own simple backend only
  echoes);
* EventBridge rules deliver to Step Functions and Lambda targets (moto delivers only to SQS, logs,
  buses);
* DynamoDB writes are serialised: moto checks a ConditionExpression and then writes, with no lock
  between, so two concurrent conditional writes could both pass; DynamoDB makes each one atomic.
  Reads take the same lock: moto applies an update to the stored item one action at a time, so a
  read beside it could see half of it; DynamoDB shows a write whole or not at all;
* (engine) ``StartSyncExecution`` runs Express workflows synchronously (``devstack.express``);
* (engine) ``RedriveExecution`` continues a failed Standard execution, and a Standard execution that stops
  puts its status-change event on the default bus (``devstack.redrive``);
* SES prints a line for every message it accepts (``devstack.mail``), since none leaves the machine;
* Cognito sign-up confirms the user at once and prints it, since no email is sent locally;
* Cognito ``GetTokensFromRefreshToken`` (how Amplify Auth refreshes a session), which moto lacks,
  answers as ``InitiateAuth`` with ``REFRESH_TOKEN_AUTH`` does;
* Cognito ``RevokeToken`` (``fileshare logout``), which moto lacks, forgets a refresh token;

* a rule with a schedule and no event pattern matches no event (moto matched every one);
* (engine) ``StartExecution`` without a name gets a fresh one (moto used ``None``, one ARN for all);
* (engine) ``$$.State.EnteredTime`` is written as AWS writes it (``2026-11-26T12:00:00.123Z``);
* (engine) Step Functions' SDK tasks take parameters in PascalCase and call the API in its own case
  (``ExecutionArn`` -> ``executionArn``), which moto's engine did not do;
* S3's requests pass ``devstack.s3_front`` first (in moto's dispatcher, so on moto's port), which
  checks signatures, expiry, presigned POST policies and the bucket policy's denies as S3 does;
* (engine) an S3 SDK task that fails is named ``S3.<Exception>`` (``S3.S3Exception``) as in AWS, where moto's
  engine wrote ``s3.s3Exception``, which no Retry in AWS's spelling matched;
* (engine) an EventBridge ``putEvents`` task that the service refuses fails with ``EventBridge.<Code>``
  (``EventBridge.ThrottlingException``), which a Retry can name; moto's engine turned it into
  ``States.Runtime``, which no Retry or Catch may name;
* (engine) the engine forgets the threads it has started once they end: moto kept every one (an
  execution's, each Task's, each Map iteration's and Parallel branch's) in a list nothing empties,
  about 2 KB each and some fifteen per upload, for the life of the stack;

and five for speed (``make bench`` found them; docs/performance.md): moto parses a state
machine's definition again for every execution (about 0.2 s for ours), so parsed programs are
cached per definition and each execution gets its own copy; its engine built a new boto3 client
for every Task (about a third of the stack's CPU per upload), so clients are kept per region and
service (moto's builder ignores the state's credentials, so the client is the same); it compiled
every JSONPath again each time a state read one (a yacc parser per call), so compiled paths are
kept; and its generic, model-driven response serializer spent three quarters of DynamoDB's CPU
turning items that are already in DynamoDB's wire form into JSON, so the item operations' answers
are written with ``json.dumps`` (binary values base64, as the wire has them); and a DynamoDB
transaction deep-copied every table it touched, once per entry, to undo itself if cancelled (so
each cost the table's size, under the lock every DynamoDB call takes), so it copies the items it
names and puts those back instead. Since then (docs/local-stack.md lists them all): a query's
found items are not deep-copied and their sizes are counted directly; more kept caches; and the
engine in a process of its own, so that its threads and moto's run on two cores.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import contextlib
import copy
import datetime
import functools
import gc
import hmac
import inspect
import json
import logging
import marshal
import pickle
import sys
import threading
import uuid
from collections import deque
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, cast
from urllib.parse import parse_qs

import boto3
import botocore.session
import moto.dynamodb.models as dynamodb_models
import moto.dynamodb.models.table as dynamodb_table
import moto.dynamodb.parsing.validators as dynamodb_validators
import moto.dynamodb.responses as dynamodb_responses
import requests
import xmltodict
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError
from moto import settings
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.cognitoidp.models import CognitoIdpBackend
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core import responses as moto_responses
from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.base_backend import BackendDict
from moto.core.compat import HAS_CRT
from moto.core.exceptions import InvalidClientTokenIdError
from moto.core.responses import ActionResult, EmptyResult
from moto.dynamodb.comparisons import ConditionExpressionParser
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table
from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser  # type: ignore[attr-defined]
from moto.dynamodb.parsing.ast_nodes import Node as ExpressionNode  # type: ignore[attr-defined]
from moto.dynamodb.parsing.expressions import UpdateExpressionParser  # type: ignore[attr-defined]
from moto.dynamodb.responses import DynamoHandler, DynamoResult
from moto.events.models import Rule
from moto.iam import access_control
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.models import AWSManagedPolicy, iam_backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.s3 import models as s3_models
from moto.s3.models import MultipartChecksumBuilder
from moto.ses.models import RawMessage, SESBackend
from moto.stepfunctions.parser import utils as engine_utils
from moto.stepfunctions.parser.api import HistoryEventType, TaskFailedEventDetails
from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import CustomErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import FailureEvent
from moto.stepfunctions.parser.asl.component.common.path import result_path
from moto.stepfunctions.parser.asl.component.common.string import string_expression
from moto.stepfunctions.parser.asl.component.common.timeouts.timeout import TimeoutSeconds
from moto.stepfunctions.parser.asl.component.component import Component
from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent
from moto.stepfunctions.parser.asl.component.state import state as asl_state
from moto.stepfunctions.parser.asl.component.state.exec import execute_state
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import state_task_service
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_aws_sdk as aws_sdk_errors,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import (
    StateTaskServiceAwsSdk,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_events import (
    StateTaskServiceEvents,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn import (
    StateTaskServiceSfn,
)
from moto.stepfunctions.parser.asl.eval import states as asl_states
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.utils import boto_client as engine_clients
from moto.stepfunctions.parser.asl.utils import json_path
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from moto.stepfunctions.responses import StepFunctionResponse
from moto.sts.models import sts_backends
from moto.utilities.arns import parse_arn
from werkzeug.exceptions import HTTPException

from devstack import express, redrive
from devstack.engine_host import EngineHost
from devstack.faults import ENGINE_AGENT, FaultInjector
from devstack.lambda_runner import LambdaRunner
from devstack.mail import SentMail
from devstack.mail import read as read_mail
from devstack.s3_front import S3Front
from devstack.serving import MotoKeepAlive, Server
from devstack.template import ACCOUNT_ID

MOTO_CONFIG = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}

_runner: LambdaRunner | None = None
_deliver: Callable[[Rule, list[dict[str, Any]], dict[str, Any]], None] | None = None
_on_sign_up: Callable[[str], None] | None = None
_on_mail: Callable[[SentMail], None] | None = None
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
    # A disabled rule delivers nothing (moto's S3 notifications ignore the rule's state), and a
    # schedule-only rule no event (moto matched every event against its empty pattern).
    if self.state != "ENABLED" or not self.event_pattern.get_pattern():
        return
    if not self.event_pattern.matches_event(original_event):
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


def _send_raw_email(self: SESBackend, source: str, destinations: list[str], raw_data: str) -> RawMessage:
    message: RawMessage = _originals["send_raw_email"](self, source, destinations, raw_data)
    if _on_mail is not None:
        _on_mail(read_mail(message))
    return message


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
# Handlers, not backend methods: they turn the items into the answer, which must happen under the
# lock. A single-item write's handler first reads (and copies) the item it is about to replace, for
# its ReturnValues: unlocked, that copy raced a concurrent write of the same item ("dictionary
# changed size during iteration", a 500), and the old values it returned need not be the ones
# replaced. So those run whole under the lock too, as DynamoDB makes each write atomic.
_DYNAMODB_HANDLERS = (
    "get_item",
    "batch_get_item",
    "query",
    "scan",
    "transact_get_items",
    "put_item",
    "update_item",
    "delete_item",
)


def _serialised(method: Callable[..., Any]) -> Callable[..., Any]:
    def one_at_a_time(*args: Any, **kwargs: Any) -> Any:
        with _dynamodb_items:
            return method(*args, **kwargs)

    return one_at_a_time


def _serialised_write(method: Callable[..., Any]) -> Callable[..., Any]:
    def one_at_a_time(*args: Any, **kwargs: Any) -> Any:
        with _dynamodb_items:
            try:
                return method(*args, **kwargs)
            finally:
                _index_buckets.wrote()  # also after a failed write: it may have changed items

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


def _events_error(method: Callable[..., Any]) -> Callable[..., Any]:
    """``putEvents`` refused by EventBridge fails the task as ``EventBridge.<Code>``."""

    def from_error(self: StateTaskServiceEvents, env: Any, ex: Exception) -> Any:
        if not isinstance(ex, ClientError):
            return method(self, env, ex)
        code = str(ex.response["Error"]["Code"])
        error = f"EventBridge.{code}" if code.endswith("Exception") else f"EventBridge.{code}Exception"
        return FailureEvent(
            env=env,
            error_name=CustomErrorName(error),
            event_type=HistoryEventType.TaskFailed,
            # moto types EventDetails as a total TypedDict; the history event has this one key, as in moto.
            event_details=cast(
                Any,
                {
                    "taskFailedEventDetails": TaskFailedEventDetails(
                        error=error,
                        cause=f"{ex.response['Error'].get('Message', '')} (Service: EventBridge, Error Code: {code})",
                        resource=self._get_sfn_resource(),
                        resourceType=self._get_sfn_resource_type(),
                    )
                },
            ),
        )

    return from_error


def _state_data(EnteredTime: str, Name: str) -> dict[str, Any]:  # the keyword names moto's engine calls with
    """``$$.State`` as AWS writes it: ``EnteredTime`` in UTC with milliseconds and ``Z``
    (``2026-11-26T12:00:00.123Z``), where moto's engine wrote ``...12:00:00.123456+00:00``."""
    entered = datetime.datetime.fromisoformat(EnteredTime).astimezone(datetime.UTC)
    return {"EnteredTime": entered.isoformat(timespec="milliseconds").replace("+00:00", "Z"), "Name": Name}


_programs: dict[str, Any] = {}
_programs_lock = threading.Lock()


def _evaluation_entrypoint(self: ExecutionWorker) -> Any:
    """The definition's parsed program, parsed once and shared by every execution of it.

    Evaluation keeps its state in each execution's ``Environment`` (its stack, heap and context);
    the components only read their own fields, which is also why moto's engine runs one Map
    iterator's states for many items at once. The one field a component writes is its heap key
    (made on first use, for the retry counters it keeps in the heap): every key is made here,
    before a second execution can race to make its own. A deep copy per execution was 14 % of the
    stack's CPU under load. Whoever changes a program for one execution copies it first (a redrive
    starts its copy at the failed state)."""
    definition = self._evaluation_details.state_machine_details.definition
    with _programs_lock:
        program = _programs.get(definition)
        if program is None:
            program = AmazonStateLanguageParser.parse(definition)[0]
            _make_heap_keys(program)
            _programs[definition] = program
        return program


def _make_heap_keys(program: Any) -> None:
    seen: set[int] = set()
    pending = [program]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, EvalComponent):
            _ = node.heap_key
        if isinstance(node, Component):
            pending.extend(vars(node).values())
        elif isinstance(node, list | tuple | set | frozenset):
            pending.extend(node)
        elif isinstance(node, dict):
            pending.extend(node.values())


_engine_clients: dict[tuple[str, str, str], Any] = {}
_engine_clients_lock = threading.Lock()


def _kept_engine_client(region: str, service: str, state_credentials: Any = None) -> Any:
    """The engine's client (``_state_machine_client``), once per region, service and role: a botocore
    client costs ~20 ms of CPU to build and is safe to share between threads."""
    role = getattr(state_credentials, "role_arn", None) or ""
    key = (region, service, role)
    with _engine_clients_lock:
        client = _engine_clients.get(key)
        if client is None:
            client = _engine_clients[key] = _state_machine_client(region, service, state_credentials)
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


def _tables_kept(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """``copy.deepcopy`` as moto's DynamoDB module sees it: a whole table is not copied (that was
    moto's way to undo a cancelled transaction, and it made every transaction cost the table's
    size); every other value is."""
    return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _found_items_uncopied(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """``copy.deepcopy`` as moto's table module sees it: the items a query found are not copied (a
    seventh of a listing page's CPU). moto copied them so that nothing done to the answer reaches
    the table; here every read runs under the DynamoDB lock (``_DYNAMODB_HANDLERS``), and its handler
    turns the items into plain values (``DynamoResult``) before the lock is released. Any other
    value is copied."""
    if type(value) is list and all(type(item) is Item for item in value):
        return value
    return copy.deepcopy(value, memo)


def _item_size(self: Item) -> int:
    """moto's ``Item.size`` (the bytes a query counts against its 1 MB page), the same number with
    the common types read directly: moto built a ``DynamoType`` and ran four type tests per value,
    twice per item a query found, a sixth of a listing page's CPU."""
    size = 0
    for name, value in self.attrs.items():
        kind, raw = value.type, value.value
        size += len(name.encode("utf-8"))
        if kind == "S":
            size += len(raw.encode("utf-8"))
        elif kind == "N":
            size += len(str(raw))
        elif isinstance(raw, bool):  # BOOL, and NULL (whose value is true)
            size += 1
        else:
            size += value.size()
    return size


def _transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """moto's ``transact_write_items``, undoing a cancelled transaction by putting back the items
    it names (copied first) instead of a copy of every table it touches."""
    kept: list[tuple[Table, DynamoType, DynamoType | None, Any]] = []
    for entry in transact_items:
        for op in entry.values():
            table = self.tables.get(str(op.get("TableName"))) if isinstance(op, dict) else None
            if table is None:
                continue  # moto refuses the entry itself
            attrs = op.get("Key") or op.get("Item") or {}
            key_names = [table.hash_key_attr, *([table.range_key_attr] if table.range_key_attr else [])]
            if any(name not in attrs for name in key_names):
                continue
            hash_value = DynamoType(attrs[table.hash_key_attr])
            range_value = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr else None
            kept.append((table, hash_value, range_value, copy.deepcopy(table.get_item(hash_value, range_value))))
    try:
        _originals["transact_write_items"](self, transact_items)
    except Exception:
        for table, hash_value, range_value, item in reversed(kept):
            if item is None:
                if table.get_item(hash_value, range_value) is not None:
                    table.delete_item(hash_value, range_value)
            elif range_value is not None:
                table.items[hash_value][range_value] = item
            else:
                table.items[hash_value] = item
        raise


def _tree_copy(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """``copy.deepcopy`` as moto's update-expression validator sees it. The validator copies the
    expression's parsed tree before it fills in the request's values; the tree is plain objects,
    lists and strings, which pickle copies in C, three times faster (277 against 844 us for the
    file index's update, per UpdateItem). Any other value (a ``DynamoType``, whose own copy is
    faster) goes to ``deepcopy``, as does a tree pickle cannot copy."""
    if isinstance(value, ExpressionNode):
        with contextlib.suppress(pickle.PicklingError, TypeError, AttributeError):
            return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))  # noqa: S301  # made on this line, never stored
    return copy.deepcopy(value, memo)


_is_tree_node: dict[type, bool] = {}
_processed_as: dict[tuple[type, type], type | None] = {}  # (traverser, node type) -> its map's key


def _traverse_node_recursively(self: Any, node: Any, child_id: int = -1) -> Any:
    """moto's ``DepthFirstTraverser.traverse_node_recursively``, the same walk. Ten traversers walk
    an update expression's tree per UpdateItem, and at every node each built its processing map
    anew, twice, and tested the node against abstract classes (``ABCMeta.__instancecheck__``):
    three tenths of an UpdateItem's CPU. Both answers depend only on the traverser's class and the
    node's (every map is a class's constant), so each is worked out once per pair."""
    kind = type(node)
    is_node = _is_tree_node.get(kind)
    if is_node is None:
        is_node = _is_tree_node[kind] = isinstance(node, ExpressionNode)
    if not is_node:
        return node
    parent_node = node.parent
    if node.children is not None:
        for i, child_node in enumerate(node.children):
            self.pre_processing_of_child(node, i)
            self.traverse_node_recursively(child_node, i)
    pair = (type(self), kind)
    if pair in _processed_as:
        key = _processed_as[pair]
    else:
        key = _processed_as[pair] = next((k for k in self._processing_map() if isinstance(node, k)), None)
    if key is not None:
        node = self._processing_map()[key](node)
        node.parent = parent_node
        if parent_node:
            parent_node.children[child_id] = node
    return node


@functools.lru_cache(maxsize=1024)
def _condition_tokens(expression: str) -> tuple[Any, ...]:
    return tuple(_originals["lex_condition"](ConditionExpressionParser(expression, None, None)))


def _lex_condition(self: ConditionExpressionParser) -> deque[Any]:
    """moto's lexing of a condition expression, once per text: its tokens (immutable tuples) depend
    on nothing else, and moto compiled six patterns for each token of each expression of each
    request (3 % of the stack's process under load). An expression it cannot lex is refused as
    before, every time."""
    return deque(_condition_tokens(self.condition_expression))


def _items_in_any_order(self: Table, hash_key: DynamoType | None, by_table_key: bool) -> list[Item]:
    """The items a query may match: those under its hash key when it queries the table's own key,
    else every item; in no particular order (the query sorts what matched)."""
    if by_table_key and hash_key is not None:
        matched = self.items.get(hash_key)
        if matched is None:
            return []
        return list(matched.values()) if self.range_key_attr else [matched]  # type: ignore[list-item]
    if self.range_key_attr:
        return [item for under_hash in self.items.values() for item in under_hash.values()]
    return list(self.items.values())  # type: ignore[arg-type]


class _IndexBuckets:
    """An index query's candidates, sorted, per table, index and key condition, with the attributes
    they are sorted by; kept until the next DynamoDB write (every read and write runs under
    ``_dynamodb_items``, so none slips between)."""

    def __init__(self) -> None:
        self.writes = 0
        self._kept_at = 0
        # Each bucket keeps its table, so a table deleted and made again cannot take its id.
        self._buckets: dict[tuple[int, str, tuple[Any, ...]], tuple[Table, list[Item], list[str]]] = {}

    def wrote(self) -> None:
        self.writes += 1

    def get(self, table: Table, key: tuple[int, str, tuple[Any, ...]]) -> tuple[list[Item], list[str]] | None:
        if self._kept_at != self.writes:
            self._buckets.clear()
            self._kept_at = self.writes
        kept = self._buckets.get(key)
        return (kept[1], kept[2]) if kept is not None and kept[0] is table else None

    def keep(self, table: Table, key: tuple[int, str, tuple[Any, ...]], items: list[Item], by: list[str]) -> None:
        self._buckets[key] = (table, items, by)


def _after_start_key(items: list[Item], by: list[str], start: dict[str, Any] | None, forward: bool) -> list[Item]:
    """The kept, ascending candidates that come after a page's start key in the query's direction,
    found by bisection: moto compared every earlier item with the start key, page after page."""
    if not start or any(name not in start for name in by):
        return list(items)
    at = tuple(DynamoType(start[name]) for name in by)

    def sort_key(item: Item) -> tuple[DynamoType, ...]:
        return tuple(item.attrs[name] for name in by)

    if forward:
        return items[bisect.bisect_right(items, at, key=sort_key) :]
    return items[: bisect.bisect_left(items, at, key=sort_key)]


def _first_of_page(candidates: list[Item], args: tuple[Any, ...], kwargs: dict[str, Any], forward: bool) -> list[Item]:
    """The kept candidates a page can reach: its ``Limit`` of them and one more (moto ends a page,
    with its ``LastEvaluatedKey``, on meeting the one past the limit). Exact only when every
    candidate up to the limit is taken: no range condition and no legacy ``QueryFilter`` skip any
    (a ``FilterExpression`` applies after the limit, as in DynamoDB). moto compared each of an
    owner's thousand items with the key condition before it counted to the limit."""
    range_comparison = args[0] if args else kwargs.get("range_comparison")
    limit = args[2] if len(args) > 2 else kwargs.get("limit")
    filter_kwargs = {k: v for k, v in kwargs.items() if k not in _QUERY_KEYWORDS}
    if range_comparison or filter_kwargs or not limit:
        return candidates
    return candidates[: limit + 1] if forward else candidates[-(limit + 1) :]


# moto's named parameters of ``Table.query``; any other keyword is a legacy ``QueryFilter`` condition.
_QUERY_KEYWORDS = frozenset(
    name for name, p in inspect.signature(Table.query).parameters.items() if p.kind is not p.VAR_KEYWORD
)
_index_buckets = _IndexBuckets()


def _index_bucket_key(self: Table, index_name: str | None, conditions: Any) -> tuple[int, str, tuple[Any, ...]] | None:
    if not index_name or not conditions or len(conditions) != 1:
        return None
    attribute, value = conditions[0]
    return (id(self), index_name, (attribute, value.type, str(value.value)))


def _query(self: Table, hash_key: DynamoType | None, *args: Any, **kwargs: Any) -> Any:
    """moto's ``Table.query``, with two shortcuts. Its candidates come unsorted: moto sorted every
    item of the table by key on every query (most of a query's time on a table of thousands) and
    then sorted the ones that matched again. And an index query's sorted candidates are kept until
    the next write: moto walked the whole table and sorted an owner's items for every page of a
    listing, where DynamoDB reads an index."""
    index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
    bucket_key = _index_bucket_key(self, index_name, kwargs.get("hash_key_conditions"))
    if len(kwargs.get("range_key_conditions") or ()) > 1:
        bucket_key = None  # range equalities (multi-attribute range keys) also narrow the candidates
    kept = _index_buckets.get(self, bucket_key) if bucket_key else None
    if kept is not None:
        start = args[3] if len(args) > 3 else kwargs.get("exclusive_start_key")
        forward = args[4] if len(args) > 4 else kwargs.get("scan_index_forward", True)
        candidates = _after_start_key(*kept, start, forward is not False)
        candidates = _first_of_page(candidates, args, kwargs, forward is not False)
        self.all_items = lambda: candidates  # type: ignore[method-assign]
        self.sorted_items = lambda _hash_attrs, _range_attrs, items: items  # type: ignore[method-assign,assignment]
    else:
        self.all_items = lambda: _items_in_any_order(self, hash_key, index_name is None)  # type: ignore[method-assign]
        if bucket_key:

            def sort_and_keep(hash_attrs: list[str], range_attrs: list[str | None], items: list[Item]) -> list[Item]:
                ordered = Table.sorted_items(self, hash_attrs, range_attrs, items)
                by = self._generate_attr_to_sort_by(hash_attrs, range_attrs)
                _index_buckets.keep(self, bucket_key, list(ordered), by)  # moto reverses its own list in place
                return ordered

            self.sorted_items = sort_and_keep  # type: ignore[method-assign,assignment]
    try:
        return _originals["table_query"](self, hash_key, *args, **kwargs)
    finally:
        del self.all_items
        if "sorted_items" in vars(self):
            del self.sorted_items


def _dynamo_to_dict(obj: Any) -> Any:
    """moto's ``dynamo_to_dict`` (what DynamoDB's answers are made of, before ``json.dumps``), the
    same result, without its import statement on every call and its type tests on every string:
    it was a third of a listing's CPU."""
    value = obj
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        return {k: _dynamo_to_dict(v) for k, v in value.items()}
    if kind is list:
        return [_dynamo_to_dict(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, DynamoType):
        if value.type == "B":
            return {"B": value.value if isinstance(value.value, bytes) else base64.b64decode(value.value)}
        if value.type == "BS":
            return {"BS": [v if isinstance(v, bytes) else base64.b64decode(v) for v in value.value]}
        return {value.type: _dynamo_to_dict(value.value)}
    if hasattr(value, "to_json"):
        return _dynamo_to_dict(value.to_json())
    if isinstance(value, dict):
        return {k: _dynamo_to_dict(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dynamo_to_dict(v) for v in value]
    return value


class _RunningChecksum(MultipartChecksumBuilder):
    """moto's checksum of a completed multipart upload (S3 gives each a full-object checksum,
    CRC64NVME unless the upload chose one) kept a second copy of the whole object, grown part by
    part, to checksum it at the end: about a third of the stack's CPU on completing 1 GiB. Where
    moto's checksum is CRC32 (CRC32 chosen, or CRC64NVME, which moto answers with CRC32 when awscrt
    is not installed, as here) it is carried from part to part instead: the same value, no copy.
    Any other checksum is moto's own."""

    def __init__(self, checksum_algorithm: str | None, checksum_type: str | None) -> None:
        super().__init__(checksum_algorithm, checksum_type)
        crc32 = self.checksum_algorithm == "CRC32" or (self.checksum_algorithm == "CRC64NVME" and not HAS_CRT)
        self._crc: int | None = 0 if crc32 and self.checksum_type == "FULL_OBJECT" else None

    def addPart(self, part: bytes) -> None:
        if self._crc is None:
            super().addPart(part)
            return
        self._crc = binascii.crc32(part, self._crc)
        self.part_count += 1

    def build(self) -> tuple[str, str, int] | None:
        if self._crc is None:
            return super().build()
        return self.checksum_type, base64.b64encode(self._crc.to_bytes(4, "big")).decode(), 1


def _enrich_response(headers: dict[str, str], body: Any) -> tuple[dict[str, str], Any]:
    """moto's ``BaseResponse._enrich_response`` (the status as a string, a request id), which also
    wrote that id into the body's ``<RequestId>`` with a look-behind regex run over every body: a
    twentieth of a listing's moto CPU scanning DynamoDB's JSON for XML. The regex now runs only on a
    body that has the element."""
    if isinstance(body, str) and "<RequestId>" in body:
        return cast(tuple[dict[str, str], Any], _originals["enrich_response"](headers, body))
    headers, _ = _originals["enrich_response"](headers, "")
    return headers, body


def _backend_for_account(self: BackendDict[Any], account_id: str) -> Any:
    """moto's ``BackendDict[account_id]`` without its process-wide lock once the account's backend
    exists: moto took the lock on every lookup (several per request), and under load the threads
    queued on it behind whichever holder the GIL had paused. Making a backend still takes it."""
    try:
        return dict.__getitem__(self, account_id)
    except KeyError:
        return _originals["backend_for_account"](self, account_id)


def _json_copy(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """``copy.deepcopy`` as moto's Step Functions engine sees it: the engine copies a state's input,
    result and parameters several times per state, and they are JSON values (dicts, lists, strings,
    numbers, booleans, null). ``marshal`` writes and reads those in C, five times faster than
    ``deepcopy``'s memo and dispatch (24 against 120 us for a 2.4 KB state; a copy by recursion in
    Python took 41). A value holding any other type (a datetime, a subclass) goes to ``deepcopy``:
    marshal refuses it."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    try:
        return marshal.loads(marshal.dumps(value))  # noqa: S302  # bytes made here, this line, never stored
    except ValueError:
        return copy.deepcopy(value, memo)


def _replace_in_engine(source: Any, name: str, replacement: Any) -> None:
    """``source.name`` becomes ``replacement`` in ``source`` (for the engine's modules imported from
    now on) and in every engine module that imported it by name already."""
    original = getattr(source, name)
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("moto.stepfunctions.parser") and getattr(module, name, None) is original:
            setattr(module, name, replacement)
    setattr(source, name, replacement)


def _forget_finished_threads() -> None:
    """moto's engine appends each thread it starts to ``TMP_THREADS``, a module-level list that
    nothing reads or empties (LocalStack, where the engine comes from, joined them at shutdown):
    every binding of it becomes a queue that keeps nothing."""
    kept = engine_utils.TMP_THREADS
    _replace_in_engine(engine_utils, "TMP_THREADS", deque(maxlen=0))  # append() is all the engine calls
    kept.clear()


def _install_common_speedups() -> None:
    """The response layer's, which both processes' moto servers run."""
    # moto lists a response class's methods (``inspect.getmembers``) on every request to find the
    # action's; the classes are complete once the hooks are in.
    names_of = moto_responses.method_names_from_class  # type: ignore[attr-defined]  # the name call_action calls
    moto_responses.method_names_from_class = functools.lru_cache(maxsize=None)(names_of)  # type: ignore[attr-defined]
    _originals["enrich_response"] = moto_responses.BaseResponse._enrich_response
    moto_responses.BaseResponse._enrich_response = staticmethod(_enrich_response)  # type: ignore[method-assign,assignment]
    _originals["backend_for_account"] = BackendDict.__getitem__
    BackendDict.__getitem__ = _backend_for_account  # type: ignore[method-assign,assignment]


def _install_speedups() -> None:
    dynamodb_responses.dynamo_to_dict = _dynamo_to_dict  # type: ignore[attr-defined]  # the name DynamoResult calls
    _originals["table_query"] = Table.query
    Table.query = _query  # type: ignore[method-assign]
    _originals["transact_write_items"] = DynamoDBBackend.transact_write_items
    DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
    dynamodb_models.copy = SimpleNamespace(deepcopy=_tables_kept)  # type: ignore[attr-defined,assignment]
    DepthFirstTraverser.traverse_node_recursively = _traverse_node_recursively
    dynamodb_validators.deepcopy = _tree_copy  # type: ignore[attr-defined,assignment]  # the name the validator calls
    dynamodb_table.copy = SimpleNamespace(deepcopy=_found_items_uncopied, copy=copy.copy)  # type: ignore[attr-defined,assignment]
    _originals["item_size"] = Item.size
    Item.size = _item_size  # type: ignore[method-assign]
    _originals["lex_condition"] = ConditionExpressionParser._lex_condition_expression
    ConditionExpressionParser._lex_condition_expression = _lex_condition  # type: ignore[method-assign]
    # An update expression's tree depends only on its text and is only read: moto's validator
    # works on a copy of it. moto parsed it twice per UpdateItem (the handler's checks, then the
    # update itself).
    parse_update = UpdateExpressionParser.make.__func__
    UpdateExpressionParser.make = classmethod(functools.lru_cache(maxsize=1024)(parse_update))  # type: ignore[arg-type]
    _originals["dynamodb_serialized"] = DynamoHandler.serialized
    DynamoHandler.serialized = _dynamodb_serialized  # type: ignore[method-assign,assignment]  # same call, a faster body
    # IAM evaluation parsed each policy document of the caller's role on every signed request;
    # the parsed statements are only read, and a changed policy is a different document.
    access_control.json = SimpleNamespace(loads=functools.lru_cache(maxsize=1024)(json.loads))  # type: ignore[attr-defined,assignment]
    s3_models.MultipartChecksumBuilder = _RunningChecksum  # type: ignore[misc]  # the name complete() calls
    _install_common_speedups()


def _install_engine_speedups() -> None:
    _originals["boto_client_for"] = engine_clients.boto_client_for
    _replace_in_engine(engine_clients, "boto_client_for", _kept_engine_client)  # each Task imported it by name
    # Compiled paths are only read (``find``, ``update_or_create``), never changed, so one copy
    # serves every thread; ResultPath compiled its path on every state.
    json_path.parse = functools.lru_cache(maxsize=4096)(json_path.parse)  # type: ignore[attr-defined]
    result_path.parse = functools.lru_cache(maxsize=4096)(result_path.parse)  # type: ignore[attr-defined]
    json_copy = SimpleNamespace(deepcopy=_json_copy)
    for module in (asl_states, string_expression, execute_state, state_task_service, result_path):
        module.copy = json_copy  # type: ignore[attr-defined]  # each calls copy.deepcopy only
    _forget_finished_threads()
    _install_common_speedups()


def install_hooks(
    *,
    runner: LambdaRunner,
    deliver: Callable[[Rule, list[dict[str, Any]], dict[str, Any]], None],
    on_sign_up: Callable[[str], None] | None,
    on_mail: Callable[[SentMail], None] | None = None,
) -> None:
    """The stack's process: every service but Step Functions (whose calls ``MotoHost`` hands on to
    the engine's process once IAM has allowed them: ``_to_engine``)."""
    global _runner, _deliver, _on_sign_up, _on_mail
    _runner, _deliver, _on_sign_up, _on_mail = runner, deliver, on_sign_up, on_mail
    if not _originals:
        _originals["send_to_targets"] = Rule.send_to_targets
        _originals["sign_up"] = CognitoIdpBackend.sign_up
        _originals["send_raw_email"] = SESBackend.send_raw_email
        SESBackend.send_raw_email = _send_raw_email  # type: ignore[method-assign]
        LambdaSimpleBackend.invoke = _invoke  # type: ignore[method-assign]
        Rule.send_to_targets = _send_to_targets  # type: ignore[method-assign,assignment]
        CognitoIdpBackend.sign_up = _sign_up  # type: ignore[method-assign]
        CognitoIdpResponse.get_tokens_from_refresh_token = _get_tokens_from_refresh_token  # type: ignore[attr-defined]
        CognitoIdpResponse.revoke_token = _revoke_token  # type: ignore[attr-defined]
        access_control.IAMRequestBase.__init__ = _iam_request_init(access_control.IAMRequestBase.__init__)  # type: ignore[method-assign]
        access_control.IAMRequestBase.check_action_permitted = _per_item_actions(  # type: ignore[method-assign]
            access_control.IAMRequestBase.check_action_permitted
        )
        access_control.IAMPolicyStatement._check_element_matches = _statement_resource(  # type: ignore[method-assign]
            access_control.IAMPolicyStatement._check_element_matches
        )
        ActionAuthenticatorMixin._authenticate_and_authorize_action = _signed_only(  # type: ignore[method-assign]
            ActionAuthenticatorMixin._authenticate_and_authorize_action
        )
        ActionAuthenticatorMixin.PUBLIC_OPERATIONS += [
            f"AWSCognitoIdentityProviderService.{name}" for name in _PUBLIC_COGNITO
        ]
        _install_speedups()
        for name in _DYNAMODB_WRITES:
            setattr(DynamoDBBackend, name, _serialised_write(getattr(DynamoDBBackend, name)))
        for name in _DYNAMODB_HANDLERS:
            setattr(DynamoHandler, name, _serialised(getattr(DynamoHandler, name)))


def install_engine_hooks(stack_endpoint: str, secret: str, admin: Callable[[], dict[str, str]]) -> None:
    """The engine's process (``devstack.engine_host``): Step Functions as AWS runs it, calling the
    other services at ``stack_endpoint``, as the roles ``secret`` gets credentials of there;
    ``admin`` gives the administrator's credentials (events AWS itself puts)."""
    _stack.update(endpoint=stack_endpoint, secret=secret, admin=admin)
    ExecutionWorker._get_evaluation_entrypoint = _evaluation_entrypoint  # type: ignore[method-assign]
    asl_state.StateData = _state_data  # type: ignore[attr-defined,assignment]  # the name state.py calls
    StepFunctionsParserBackend.start_execution = _named(StepFunctionsParserBackend.start_execution)  # type: ignore[method-assign]
    aws_sdk_errors._SERVICE_ERROR_NAMES["s3"] = "S3"
    StateTaskServiceEvents._from_error = _events_error(StateTaskServiceEvents._from_error)  # type: ignore[method-assign]
    for task in (StateTaskServiceAwsSdk, StateTaskServiceSfn):
        task._eval_service_task = _api_cased(task._eval_service_task)  # type: ignore[method-assign]
    express.install()
    redrive.install(publish=_put_events)
    _install_engine_speedups()


def _put_events(entries: list[dict[str, Any]]) -> None:
    """Events the engine's process puts on the stack's default bus (as AWS does, not a caller)."""
    admin = _stack["admin"]()
    client = _kept_admin_client("events", admin["AWS_ACCESS_KEY_ID"], admin["AWS_SECRET_ACCESS_KEY"])
    client.put_events(Entries=entries)


@functools.cache
def _kept_admin_client(service: str, key_id: str, secret: str) -> Any:
    return boto3.client(
        service,
        region_name="us-east-1",
        endpoint_url=_stack["endpoint"],
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
    )


# The engine's process, once started (``MotoHost.start``).
_engine: dict[str, EngineHost] = {}


def _to_engine(self: StepFunctionResponse) -> Any:
    """A Step Functions call, authenticated and authorized here like any other, then answered by the
    engine's process (``devstack.engine_host``)."""
    try:
        self._authenticate_and_authorize_normal_action("*")
    except HTTPException as denied:
        response = denied.description, {"status": denied.code}
        status, headers, body = self._transform_response(self.response_headers, response)
        headers, body = self._enrich_response(headers, body)
        return status, headers, body
    body = self.body.encode("utf-8") if isinstance(self.body, str) else bytes(self.body or b"")
    return _engine["host"].forward(self.method, self.path, self.headers, body)


def engine_application() -> Any:
    """The engine's process's WSGI application: moto's dispatcher (it serves Step Functions only)."""
    return DomainDispatcherApplication(_backend_app)


def _backend_app(service: str) -> Any:
    """moto's Flask application for one service, out of Flask's debug mode: moto turns it on, which
    builds a class on every request that has a body (Flask's form-encoding hint)."""
    app = create_backend_app(service)  # type: ignore[arg-type]  # the dispatcher passes a service name
    app.debug = False
    return app


# How the engine's process gets a role's credentials: as Step Functions does in AWS, the service
# assumes the role itself (no trust check, no caller's policy), which no API call can do.
ROLE_CREDENTIALS_PATH = "/_fileshare/engine/role-credentials"
ROLE_CREDENTIALS_HEADER = "X-Fileshare-Engine-Secret"


def _role_credentials_app(environ: dict[str, Any], start_response: Any) -> Any:
    host = _engine.get("host")
    given = environ.get("HTTP_" + ROLE_CREDENTIALS_HEADER.upper().replace("-", "_"), "")
    role_arn = parse_qs(environ.get("QUERY_STRING", "")).get("roleArn", [""])[0]
    if host is None or not hmac.compare_digest(given, host.secret) or not role_arn:
        start_response("403 Forbidden", [("Content-Type", "text/plain")])
        return [b"only the stack's Step Functions engine may ask for a role's credentials\n"]
    body = json.dumps(role_credentials(role_arn, "states")).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


class _FrontedDispatcher(DomainDispatcherApplication):
    """moto's own dispatcher, with S3's requests (CORS preflights excepted) checked by the front
    before moto's S3 serves them."""

    def __init__(self, front: S3Front) -> None:
        super().__init__(_backend_app)
        self.front = front
        self._backends: dict[str | None, Any] = {}

    def get_backend_for_host(self, host: str | None) -> Any:
        """moto's answer, kept per host: moto listed its package directory and tried every
        service's URL patterns on every request (a tenth of the stack's CPU under load)."""
        if host not in self._backends:
            self._backends[host] = super().get_backend_for_host(host)
        return self._backends[host]

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ["PATH_INFO"] == ROLE_CREDENTIALS_PATH:
            return _role_credentials_app(environ, start_response)
        app = self.get_application(environ)
        if app.service == "s3" and environ["REQUEST_METHOD"] != "OPTIONS":  # type: ignore[attr-defined]
            refusal = self.front.refusal(environ)
            if refusal is not None:
                return refusal(environ, start_response)
        return app(environ, start_response)


@functools.cache
def _aws_managed_policies() -> dict[str, Any]:
    return dict(json.loads(aws_managed_policies_data))


def install_aws_managed_policy(arn: str) -> None:
    """AWS's managed policy ``arn`` in moto's IAM, from the copy of its document that moto ships
    (moto loads none of them by default; loading all 1,500 would cost seconds at every start)."""
    name = arn.rsplit("/", 1)[-1]
    backend = iam_backends[ACCOUNT_ID]["aws"]
    if arn not in backend.managed_policies:
        policy = AWSManagedPolicy.from_data(name, ACCOUNT_ID, "us-east-1", _aws_managed_policies()[name])
        backend.managed_policies[policy.arn] = policy


# ---------------------------------------------------------------------- roles and IAM
ROLE_SESSION_SECONDS = 43200  # the longest AWS grants; moto never expires a session anyway
_sessions: dict[str, dict[str, str]] = {}
_sessions_lock = threading.Lock()


def role_credentials(role_arn: str, session_name: str = "fileshare-local") -> dict[str, str]:
    """Credentials of ``role_arn`` from ``sts:AssumeRole``, as Lambda and Step Functions get them
    for a function's or a state machine's role (one session per role, reused). Assumed in moto's STS
    backend directly: the service, not a caller of the API, assumes the role, so no trust check."""
    with _sessions_lock:
        if role_arn not in _sessions:
            assumed = sts_backends[ACCOUNT_ID]["aws"].assume_role(
                region_name="us-east-1",
                role_session_name=session_name[:64],
                role_arn=role_arn,
                policy=None,  # type: ignore[arg-type]  # moto's own default: no session policy
                duration=ROLE_SESSION_SECONDS,
                external_id=None,  # type: ignore[arg-type]
            )
            _sessions[role_arn] = {
                "AWS_ACCESS_KEY_ID": assumed.access_key_id,
                "AWS_SECRET_ACCESS_KEY": assumed.secret_access_key,
                "AWS_SESSION_TOKEN": assumed.session_token,
            }
        return dict(_sessions[role_arn])


_engine_client = engine_clients.boto_client_for
# Where the engine's process (devstack.engine_host) reaches the other services, and who it is there.
_stack: dict[str, Any] = {}


def _engine_role_credentials(role_arn: str) -> dict[str, str]:
    """A state machine role's credentials, asked of the stack's process (``ROLE_CREDENTIALS_PATH``),
    where the role and its sessions live; one session per role, reused."""
    with _sessions_lock:
        if role_arn not in _sessions:
            answer = requests.get(
                _stack["endpoint"] + ROLE_CREDENTIALS_PATH,
                params={"roleArn": role_arn},
                headers={ROLE_CREDENTIALS_HEADER: _stack["secret"]},
                timeout=30,
            )
            answer.raise_for_status()
            _sessions[role_arn] = answer.json()
        return dict(_sessions[role_arn])


def _state_machine_client(region: str, service: str, state_credentials: Any = None) -> Any:
    """The client moto's Step Functions engine calls a service with (the stack's endpoint), signed
    as the state machine's role: ``state_credentials.role_arn`` is the machine's ``RoleArn``, or a
    Task's own ``Credentials``. moto's engine signed every call with the same dummy key."""
    if state_credentials is None or not state_credentials.role_arn:
        return _engine_client(region, service, state_credentials)
    keys = _engine_role_credentials(state_credentials.role_arn)
    client = boto3.client(
        service,
        region_name=region,
        endpoint_url=_stack["endpoint"],
        aws_access_key_id=keys["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=keys["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=keys["AWS_SESSION_TOKEN"],
        config=Config(
            user_agent_extra=ENGINE_AGENT,
            parameter_validation=False,
            retries={"max_attempts": 0, "total_max_attempts": 1},
            connect_timeout=TimeoutSeconds.DEFAULT_TIMEOUT_SECONDS,
            read_timeout=TimeoutSeconds.DEFAULT_TIMEOUT_SECONDS,
            max_pool_connections=64,
        ),
    )
    client.meta.events.register("needs-retry", _sent_again_if_undelivered)
    return client


def _sent_again_if_undelivered(attempts: int, caught_exception: Exception | None = None, **kwargs: Any) -> float | None:
    """A call the engine's process could not deliver to the stack's (a refused or reset connection
    on a loaded machine) is sent again, up to three times. In AWS, Step Functions reaches a service
    inside AWS's network; a local transport error is no service's answer, and a workflow's Retry
    could not name it (the engine makes it ``States.Runtime``). A service's own errors, the fault
    switch's included, still reach the workflow: the client's retries stay off."""
    if isinstance(caught_exception, BotocoreConnectionError | HTTPClientError) and attempts < 3:
        return 0.05
    return None


# moto names some actions by their API operation; IAM policies name the IAM action.
_IAM_ACTIONS = {
    "lambda:Invoke": "lambda:InvokeFunction",
    "s3:HeadObject": "s3:GetObject",
    "s3:ListObjects": "s3:ListBucket",
    "s3:ListObjectsV2": "s3:ListBucket",
    "s3:ListObjectVersions": "s3:ListBucketVersions",
    "s3:DeleteObjects": "s3:DeleteObject",
    "s3:CreateMultipartUpload": "s3:PutObject",
    "s3:UploadPart": "s3:PutObject",
    "s3:CompleteMultipartUpload": "s3:PutObject",
    "s3:ListParts": "s3:ListMultipartUploadParts",
}
_VERSIONED = {"s3:GetObject": "s3:GetObjectVersion", "s3:DeleteObject": "s3:DeleteObjectVersion"}


def _iam_request_init(original: Callable[..., None]) -> Callable[..., None]:
    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        action = _IAM_ACTIONS.get(self._action, self._action)
        if "versionId=" in self._path:
            action = _VERSIONED.get(action, action)
        self._action = action

    return init


# DynamoDB's transactions are authorized item by item: IAM has no TransactWriteItems action.
_TRANSACTION_ACTIONS = {
    "Put": "dynamodb:PutItem",
    "Update": "dynamodb:UpdateItem",
    "Delete": "dynamodb:DeleteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
    "Get": "dynamodb:GetItem",
}


def _per_item_actions(original: Callable[..., None]) -> Callable[..., None]:
    """Requests IAM authorizes item by item: DynamoDB's transactions (by each item's action) and S3's
    DeleteObjects (``s3:DeleteObject`` or ``s3:DeleteObjectVersion`` on each object; moto checked
    ``s3:DeleteObject`` on the bucket)."""

    def check(self: Any, resource: str) -> None:
        if self._action in ("dynamodb:TransactWriteItems", "dynamodb:TransactGetItems"):
            items = json.loads(self._body or b"{}").get("TransactItems", [])
            for action in sorted({_TRANSACTION_ACTIONS[kind] for item in items for kind in item}):
                self._action = action
                original(self, resource)
            return None
        bucket_level = "/" not in resource.rsplit(":::", maxsplit=1)[-1]
        if self._action == "s3:DeleteObject" and "?delete" in self._path and bucket_level:
            objects = xmltodict.parse(self._body)["Delete"].get("Object", [])
            for target in objects if isinstance(objects, list) else [objects]:
                self._action = "s3:DeleteObjectVersion" if target.get("VersionId") else "s3:DeleteObject"
                original(self, f"{resource}/{target['Key']}")
            return None
        return original(self, resource)

    return check


def _statement_resource(original: Callable[..., bool]) -> Callable[..., bool]:
    """moto names the resource of a request only for S3, SQS, IAM and STS and passes ``*`` for every
    other service; a statement's resource cannot be compared with that, so there the action alone
    decides (docs/local-stack.md lists what stays unchecked)."""

    def matches(self: Any, element: str, value: str) -> bool:
        if element == "Resource" and value == "*":
            return True
        return original(self, element, value)

    return matches


def _signed_only(original: Callable[..., None]) -> Callable[..., None]:
    """IAM is evaluated for signed requests (an ``Authorization`` header). Presigned S3 URLs and the
    browser's POST uploads carry none and moto cannot evaluate them (its check reads the header): they
    pass unchecked, as Cognito's public calls do. Any other unsigned call is refused, as AWS does."""

    def check(self: Any, iam_request_cls: type, resource: str = "*") -> None:
        if "Authorization" not in self.headers:
            target = self.headers.get("X-Amz-Target") or ""
            if iam_request_cls is access_control.S3IAMRequest or target in ActionAuthenticatorMixin.PUBLIC_OPERATIONS:
                return
            raise InvalidClientTokenIdError()
        original(self, iam_request_cls, resource)

    return check


# Cognito's unauthenticated operations that moto does not list as public (ours and Amplify's).
_PUBLIC_COGNITO = (
    "GetTokensFromRefreshToken",
    "RevokeToken",
    "RespondToAuthChallenge",
    "ChangePassword",
    "GlobalSignOut",
    "ConfirmForgotPassword",
    "ResendConfirmationCode",
)


def fewer_full_collections() -> None:
    """moto holds every item, object, model and execution in its process, and a full garbage
    collection walks all of them: half a second with a thousand files, a pause any call could land
    in. What the process made to start (SDK models, moto's backends) stays, so it leaves the
    collector's walks; and a full walk waits for ten times as many younger collections as Python's
    default. Both the stack's process and the engine's call this once they are up."""
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 100)


def enforce_iam(enabled: bool) -> None:
    """Every signed request from now on is authenticated and authorized by moto's IAM (calls before
    this, such as provisioning, are not)."""
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0 if enabled else float("inf")
    ActionAuthenticatorMixin.request_count = 0


class MotoHost:
    """One moto server per process (moto's backends are process-global), its S3 behind the front,
    and Step Functions in a process of its own (``devstack.engine_host``)."""

    def __init__(self, port: int = 0, log: Callable[[str, str], None] | None = None) -> None:
        self.front = S3Front()
        self._requested_port = port
        self._server: Server | None = None
        self.port = 0
        self.faults: FaultInjector | None = None
        self.engine = EngineHost(log or (lambda source, line: None))

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log line per AWS call
        # The fault switch sits in front of every service (off until a test turns it on), S3's
        # checks behind it.
        self.faults = FaultInjector(_FrontedDispatcher(self.front))
        self._server = Server(self.faults, self._requested_port, name="moto", handler=MotoKeepAlive)
        self._server.start()
        self.port = self._server.port
        requests.post(f"{self.endpoint}/moto-api/reset", timeout=10)
        requests.post(f"{self.endpoint}/moto-api/config", json=MOTO_CONFIG, timeout=10).raise_for_status()
        self.engine.start(self.endpoint)
        _engine["host"] = self.engine
        StepFunctionResponse.call_action = _to_engine  # type: ignore[method-assign,assignment]

    def stop(self) -> None:
        _engine.pop("host", None)
        self.engine.stop()
        if self._server:
            self._server.stop()
