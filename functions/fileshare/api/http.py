"""The HTTP edge shared by every API function: request validation and the one error mapping.

Every user-caused failure becomes ``{"error": {"code", "message"}}`` with a 4xx status; anything
else is a bug and propagates (Lambda reports it, API Gateway answers 500).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, cast

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from fileshare.core.commands import CommandFailed
from fileshare.core.errors import DomainError, InvalidRequest, Unauthorized
from fileshare.core.operators import is_operator
from fileshare.core.store import BadPageToken
from fileshare.observability import logger, metrics

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas" / "api"
DEFAULT_PAGE = 50
MAX_PAGE = 100


def error_response(status: int, code: str, message: str, *, retry_after: int | None = None) -> Response[str]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps({"error": {"code": code, "message": message}}),
        headers={"Retry-After": str(retry_after)} if retry_after is not None else None,
    )


@cache
def schema(name: str) -> dict[str, Any]:
    return dict(json.loads((SCHEMAS / f"{name}.json").read_text()))


@cache
def validator(name: str) -> Callable[[Any], Any]:
    """``schemas/api/<name>.json`` compiled once per environment. Powertools' ``validate`` compiled
    the schema again on every request (``fastjsonschema.validate``): a fifth of ``POST /uploads``'s
    CPU. Loaded on first use, not at cold start: functions whose routes take no body never pay."""
    import fastjsonschema

    return cast(Callable[[Any], Any], fastjsonschema.compile(schema(name)))


def new_resolver(*, operators_only: bool = False) -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver()
    if operators_only:
        app.use(middlewares=[operators_only_with_audit])

    @app.exception_handler(DomainError)
    def _domain(exc: DomainError) -> Response[str]:
        return error_response(exc.status, exc.code, exc.message, retry_after=exc.retry_after)

    @app.exception_handler(BadPageToken)
    def _page(exc: BadPageToken) -> Response[str]:
        return error_response(400, "invalid_request", str(exc))

    @app.exception_handler(CommandFailed)
    def _command(exc: CommandFailed) -> Response[str]:
        # Refusals (no such share, a wrong password...) are mapped by the routes; what arrives here
        # failed unexpectedly: count it for the CommandFailuresAlarm and fail as before (a 5xx).
        logger.error("command failed", extra={"execution": exc.execution_arn, "error": exc.error})
        metrics.add_metric(name="CommandsFailed", unit="Count", value=1)
        metrics.flush_metrics()
        raise exc

    @app.not_found
    def _not_found(_: Exception) -> Response[str]:
        return error_response(404, "not_found", "no such route")

    return app


def _integral_as_int(text: str) -> int | float:
    """``4505.0`` and ``4.505e3`` are integers to JSON Schema; the handlers get ``4505`` (as a float
    it reached the presigned POST's size metadata as ``"4505.0"``, which the workflow then refused)."""
    value = float(text)
    return int(value) if value.is_integer() else value


def json_body(app: APIGatewayHttpResolver, schema_name: str) -> dict[str, Any]:
    """The request body parsed and validated against ``schemas/api/<schema_name>.json``."""
    from fastjsonschema import JsonSchemaValueException

    raw = app.current_event.body
    if raw is None or raw == "":
        body: Any = {}
    else:
        if app.current_event.is_base64_encoded:
            raw = app.current_event.decoded_body or ""
        try:
            body = json.loads(raw, parse_float=_integral_as_int)
        except (ValueError, TypeError) as exc:
            raise InvalidRequest("the request body is not valid JSON") from exc
    try:
        validator(schema_name)(body)
    except JsonSchemaValueException as exc:
        logger.info("request rejected by schema", extra={"schema": schema_name, "reason": exc.message})
        raise InvalidRequest(f"the request body is invalid: {exc.message}") from exc
    return dict(body)


def page_size(raw: str | None) -> int:
    """The ``limit`` query parameter of a listing."""
    if raw is None:
        return DEFAULT_PAGE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise InvalidRequest(f"limit must be a whole number from 1 to {MAX_PAGE}")
    return int(raw)


def caller_id(app: APIGatewayHttpResolver) -> str:
    """The Cognito ``sub`` of the caller, from an ID token API Gateway's JWT authorizer verified.

    The authorizer checks signature, issuer, expiry and audience, but it also lets the app client's
    access tokens through and cannot check ``token_use``; the web app sends ID tokens, so only those
    are accepted here."""
    claims = app.current_event.request_context.authorizer.jwt_claim or {}
    if claims.get("token_use") != "id":
        raise Unauthorized("only the ID token of a sign-in is accepted")
    sub = claims.get("sub")
    if not sub:
        raise Unauthorized("the request carries no verified identity")
    return str(sub)


def operators_only_with_audit(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """The one check for every ``/ops`` route: the caller's verified ``cognito:groups`` claim must
    list ``operators``; anyone else gets 403. Every call, refused or not, leaves an audit line with
    the caller's ``sub``."""
    claims = app.current_event.request_context.authorizer.jwt_claim or {}
    allowed = is_operator(claims)
    logger.info(
        "ops call",
        extra={
            "audit": "ops",
            "operator": claims.get("sub"),
            "route": app.current_event.request_context.route_key,
            "path": app.current_event.raw_path,
            "allowed": allowed,
        },
    )
    if not allowed:
        return error_response(403, "forbidden", "this route is for operators only")
    caller_id(app)  # and the identity rule every route of the API follows
    return next_middleware(app)
