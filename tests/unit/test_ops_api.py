"""OpsApiFunction's one check, on API Gateway's event shape: the operators group from the verified
claims (arrays arrive as "[a b]"), 403 for anyone else, and nothing reaches a route before it."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from tests.contracts import validate_response
from tests.unit.test_contracts import APIGW_FIXTURE, LambdaContextStub, _with, fixture, function, offline_aws

__all__ = ["function", "offline_aws"]  # fixtures

OPS_ENVIRONMENT = {
    "TABLE_NAME": "fileshare-test-Table",
    "OPS_WORKFLOWS": "process-upload=arn:aws:states:us-east-1:123456789012:stateMachine:fileshare-test-process-upload",
    "REDRIVE_EXECUTION_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:redrive",
    "RECONCILE_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:reconcile",
}


def reconcile_request(claims: dict[str, Any], body: str = '{"repair": "yes"}') -> dict[str, Any]:
    event = _with(fixture(APIGW_FIXTURE), claims, "requestContext", "authorizer", "jwt", "claims")
    event = _with(event, "POST /ops/reconcile", "routeKey")
    event = _with(event, "POST /ops/reconcile", "requestContext", "routeKey")
    event = _with(event, "/ops/reconcile", "rawPath")
    event = _with(event, "/ops/reconcile", "requestContext", "http", "path")
    return _with(event, body, "body")


@pytest.fixture
def ops(function: Callable[[str], ModuleType], monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    for name, value in OPS_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    return function("fileshare.api.ops")


@pytest.mark.parametrize("groups", [None, "[]", "[owners]", "[operatorsx]", "[Operators]"])
def test_anyone_not_in_the_operators_group_gets_403_before_any_route_runs(ops: ModuleType, groups: str | None) -> None:
    claims = {"sub": "0f4a6d1e-1111-2222-3333-444455556666"}
    if groups is not None:
        claims["cognito:groups"] = groups
    answer = ops.handler(reconcile_request(claims), LambdaContextStub())
    assert answer["statusCode"] == 403  # not the 400 the route would give this body
    body = json.loads(answer["body"])
    validate_response("POST", "/ops/reconcile", 403, body)
    assert body["error"]["code"] == "forbidden"


@pytest.mark.parametrize("groups", ["[operators]", "[owners operators]"])
def test_an_operator_reaches_the_route(ops: ModuleType, groups: str) -> None:
    claims = {"sub": "0f4a6d1e-1111-2222-3333-444455556666", "token_use": "id", "cognito:groups": groups}
    answer = ops.handler(reconcile_request(claims), LambdaContextStub())
    assert answer["statusCode"] == 400  # the route's own answer to a bad body
    validate_response("POST", "/ops/reconcile", 400, json.loads(answer["body"]))


@pytest.mark.parametrize(
    "claims",
    [
        {"token_use": "id", "cognito:groups": "[operators]"},  # no subject
        {"sub": "0f4a6d1e-1111-2222-3333-444455556666", "token_use": "access", "cognito:groups": "[operators]"},
    ],
    ids=["no sub", "access token"],
)
def test_an_operator_token_the_api_does_not_accept_is_refused(ops: ModuleType, claims: dict[str, str]) -> None:
    # The one identity rule of the API (caller_id: a verified sub, ID tokens only) applies here too.
    answer = ops.handler(reconcile_request(claims), LambdaContextStub())
    assert answer["statusCode"] == 401
