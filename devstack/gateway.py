"""The HTTP API gateway: API Gateway HTTP API behaviour for the template's routes.

Routes and the JWT authorizer come from the API's OpenAPI body (SAM's translation). Requests become
payload format 2.0 events; tokens are verified against the local user pool's JWKS (signature, issuer,
expiry, audience or client_id, as API Gateway's JWT authorizer does); CORS follows the body's
x-amazon-apigateway-cors.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
import requests
from werkzeug.wrappers import Request, Response

from devstack.provision import HttpApiSpec, Route
from devstack.serving import Server
from devstack.template import ACCOUNT_ID

MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
_TEXT_TYPES = re.compile(r"^(text/|application/(json|xml|x-www-form-urlencoded|javascript)|.*\+json|.*\+xml)")


def _gateway_error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """API Gateway's own answers (not our functions'), with its exact body shape."""
    return Response(
        json.dumps({"message": message}), status=status, headers=headers or {}, content_type="application/json"
    )


@dataclass(frozen=True)
class _CompiledRoute:
    route: Route
    pattern: re.Pattern[str] | None  # None for $default
    params: tuple[str, ...]
    specificity: tuple[int, int]

    @classmethod
    def of(cls, route: Route) -> _CompiledRoute:
        if route.path == "$default":
            return cls(route, None, (), (-1, -1))
        params: list[str] = []
        regex = ""
        literal = 0
        for segment in route.path.strip("/").split("/"):
            greedy = re.fullmatch(r"\{(\w+)\+\}", segment)
            named = re.fullmatch(r"\{(\w+)\}", segment)
            if greedy:
                params.append(greedy.group(1))
                regex += r"/(.+)"
            elif named:
                params.append(named.group(1))
                regex += r"/([^/]+)"
            else:
                literal += 1
                regex += "/" + re.escape(segment)
        return cls(route, re.compile(f"^{regex or '/'}$"), tuple(params), (literal, 0 if route.method == "ANY" else 1))


class JwtVerifier:
    def __init__(self, *, issuer: str, audience: list[str], jwks_url: str) -> None:
        self.issuer = issuer
        self.audience = set(audience)
        self.jwks_url = jwks_url
        self._keys: jwt.PyJWKSet | None = None
        self._lock = threading.Lock()

    def _key(self, kid: str | None) -> Any:
        with self._lock:
            if self._keys is None:
                self._keys = jwt.PyJWKSet.from_dict(requests.get(self.jwks_url, timeout=10).json())
        for key in self._keys.keys:
            if kid is None or key.key_id == kid:
                return key.key
        raise jwt.InvalidTokenError("unknown signing key")

    def claims(self, header_value: str | None) -> dict[str, Any] | None:
        if not header_value:
            return None
        token = header_value[7:] if header_value.lower().startswith("bearer ") else header_value
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            claims = jwt.decode(
                token,
                self._key(kid),
                algorithms=["RS256"],
                issuer=self.issuer,
                options={"verify_aud": False, "require": ["exp", "iss"]},
            )
        except jwt.PyJWTError:
            return None
        audience = claims.get("aud") or claims.get("client_id")
        audiences = set(audience) if isinstance(audience, list) else {audience}
        if not audiences & self.audience:
            return None
        return dict(claims)


def _claim_text(value: Any) -> str:
    """API Gateway passes every claim to the function as a string; arrays as ``[a b]``."""
    if isinstance(value, list):
        return "[" + " ".join(map(str, value)) + "]"
    return str(value)


class Gateway:
    def __init__(
        self,
        api: HttpApiSpec,
        *,
        invoke: Callable[[str, dict[str, Any]], tuple[bytes, str | None]],
        verifier: JwtVerifier | None,
        log: Callable[[str, str], None],
    ) -> None:
        self.api = api
        self.invoke = invoke
        self.verifier = verifier
        self.log = log
        self.routes = sorted((_CompiledRoute.of(r) for r in api.routes), key=lambda r: r.specificity, reverse=True)
        self._server: Server | None = None
        self.port = 0

    # ------------------------------------------------------------------ routing
    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        default = None
        for compiled in self.routes:
            if compiled.pattern is None:
                default = compiled.route
                continue
            found = compiled.pattern.match(path)
            if found and compiled.route.method in (method, "ANY"):
                return compiled.route, dict(zip(compiled.params, found.groups(), strict=True))
        return (default, {}) if default else None

    # ------------------------------------------------------------------ CORS
    def _allowed_origin(self, origin: str | None) -> str | None:
        allowed = self.api.cors.get("allowOrigins", [])
        if origin and (origin in allowed or "*" in allowed):
            return "*" if "*" in allowed and not self.api.cors.get("allowCredentials") else origin
        return None

    def _cors_headers(self, request: Request) -> dict[str, str]:
        origin = self._allowed_origin(request.headers.get("Origin"))
        if not origin:
            return {}
        headers = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        if self.api.cors.get("exposeHeaders"):
            headers["Access-Control-Expose-Headers"] = ",".join(self.api.cors["exposeHeaders"])
        return headers

    def _preflight(self, request: Request) -> Response:
        headers = self._cors_headers(request)
        if headers:
            cors = self.api.cors
            headers["Access-Control-Allow-Methods"] = ",".join(cors.get("allowMethods", ["*"]))
            headers["Access-Control-Allow-Headers"] = ",".join(cors.get("allowHeaders", ["*"]))
            if cors.get("maxAge") is not None:
                headers["Access-Control-Max-Age"] = str(cors["maxAge"])
        return Response(status=204, headers=headers)

    # ------------------------------------------------------------------ requests
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        response = self.handle(request)
        for name, value in self._cors_headers(request).items():
            if name not in response.headers:
                response.headers[name] = value
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        if self.api.cors and request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return self._preflight(request)
        matched = self.match(request.method, request.path)
        if matched is None:
            return _gateway_error(404, "Not Found")
        route, path_params = matched
        claims: dict[str, Any] | None = None
        if route.authorized:
            if self.verifier is None:
                return _gateway_error(500, "Internal Server Error")
            claims = self.verifier.claims(request.headers.get("Authorization"))
            if claims is None:
                return _gateway_error(401, "Unauthorized", {"www-authenticate": 'Bearer error="invalid_token"'})
        body = request.get_data(cache=False)
        if len(body) > MAX_PAYLOAD_BYTES:
            return _gateway_error(413, "Request Entity Too Large")
        event = self.event(request, route, path_params, claims, body)
        started = time.perf_counter()
        payload, function_error = self.invoke(route.function, event)
        elapsed = (time.perf_counter() - started) * 1000
        response = self.response(payload, function_error)
        self.log(
            "api", f"{request.method} {request.path} -> {response.status_code} ({route.function}, {elapsed:.0f} ms)"
        )
        return response

    def event(
        self, request: Request, route: Route, path_params: dict[str, str], claims: dict[str, Any] | None, body: bytes
    ) -> dict[str, Any]:
        now = datetime.now(UTC)
        headers: dict[str, str] = {}
        for name, value in request.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]},{value}" if key in headers else value
        query: dict[str, str] = {}
        for name, values in request.args.lists():
            query[name] = ",".join(values)
        route_key = "$default" if route.path == "$default" else f"{route.method} {route.path}"
        is_text = not body or bool(_TEXT_TYPES.match(request.content_type or "text/plain"))
        context: dict[str, Any] = {
            "accountId": ACCOUNT_ID,
            "apiId": self.api.logical_id.lower(),
            "domainName": request.host,
            "domainPrefix": request.host.split(".")[0],
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
                "sourceIp": request.remote_addr or "127.0.0.1",
                "userAgent": request.headers.get("User-Agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route_key,
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        }
        if claims is not None:
            context["authorizer"] = {"jwt": {"claims": {k: _claim_text(v) for k, v in claims.items()}, "scopes": None}}
        event: dict[str, Any] = {
            "version": "2.0",
            "routeKey": route_key,
            # As API Gateway does: rawPath is the path as sent (still percent-encoded).
            "rawPath": (request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.path).split(
                "?"
            )[0],
            "rawQueryString": request.query_string.decode("latin-1"),
            "headers": headers,
            "requestContext": context,
            "isBase64Encoded": not is_text,
        }
        cookies = request.headers.getlist("Cookie")
        if cookies:
            event["cookies"] = [c.strip() for line in cookies for c in line.split(";")]
        if query:
            event["queryStringParameters"] = query
        if path_params:
            event["pathParameters"] = path_params
        if body:
            event["body"] = body.decode("utf-8", errors="replace") if is_text else base64.b64encode(body).decode()
        return event

    @staticmethod
    def response(payload: bytes, function_error: str | None) -> Response:
        if function_error:
            error = json.loads(payload or b"{}")
            if error.get("errorType") == "Sandbox.Timedout":
                return _gateway_error(503, "Service Unavailable")
            return _gateway_error(500, "Internal Server Error")
        answer = json.loads(payload) if payload else None
        if not isinstance(answer, dict) or "statusCode" not in answer:
            # Payload format 2.0 lets a function return a bare JSON value: 200, application/json.
            return Response(json.dumps(answer), status=200, content_type="application/json")
        body = answer.get("body") or ""
        data = base64.b64decode(body) if answer.get("isBase64Encoded") else str(body).encode()
        response = Response(data, status=int(answer["statusCode"]))
        for name, value in (answer.get("headers") or {}).items():
            response.headers[name] = str(value)
        for cookie in answer.get("cookies") or []:
            response.headers.add("Set-Cookie", cookie)
        if "content-type" not in {k.lower() for k in (answer.get("headers") or {})}:
            response.headers["Content-Type"] = "application/json"
        return response

    # ------------------------------------------------------------------ serving
    def start(self, port: int = 0) -> None:
        self._server = Server(self, port, name="gateway")
        self._server.start()
        self.port = self._server.port

    def stop(self) -> None:
        if self._server:
            self._server.stop()
