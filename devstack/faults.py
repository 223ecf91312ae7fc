"""Transient AWS faults at the service boundary: a switch in front of moto (off unless a test turns
it on) that answers a fraction of the requests from the Step Functions engine and the Lambda
workers with a retryable error, in each service's own wire format, as AWS does under load.

Two kinds, chosen at random for each injected fault:

* **throttled** — refused before the service sees it (DynamoDB
  ``ProvisionedThroughputExceededException``, S3 ``SlowDown`` 503, Lambda
  ``TooManyRequestsException`` 429, KMS/EventBridge ``ThrottlingException``);
* **lost answer** — the service does the work, then the caller gets an internal error (HTTP 500:
  DynamoDB ``InternalServerError``, S3 ``InternalError``, Lambda ``ServiceException``, KMS
  ``KMSInternalException``, EventBridge ``InternalException``): AWS documents that such a request may
  or may not have succeeded, so a retried step must be idempotent.

Who called is read from the request itself, as a service would see it: the engine signs with
moto's fixed access key ``ak``, or as a state machine's role with ``ENGINE_AGENT`` in its
User-Agent; a Lambda worker's SDK names its runtime in the User-Agent
(``exec-env/AWS_Lambda_python3.13``, from ``AWS_EXECUTION_ENV``). The service is the signature's
credential scope. Decisions come from one seeded generator, so a run injects the same sequence.
"""

from __future__ import annotations

import json
import random
import re
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wsgi import get_input_stream

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

SERVICES = frozenset({"dynamodb", "s3", "kms", "events", "lambda"})
SOURCES = frozenset({"engine", "lambda"})
# What the local engine's clients add to their User-Agent (devstack.moto_host._state_machine_client).
ENGINE_AGENT = "fileshare-local-states-engine"
_SCOPE = re.compile(r"Credential=([^/]+)/[^/]+/[^/]+/([^/]+)/aws4_request")


@dataclass(frozen=True)
class Fault:
    status: int
    code: str


# (throttled, lost answer) per service; every one is retried by the AWS SDKs' standard mode.
FAULTS: dict[str, tuple[Fault, Fault]] = {
    "dynamodb": (Fault(400, "ProvisionedThroughputExceededException"), Fault(500, "InternalServerError")),
    "s3": (Fault(503, "SlowDown"), Fault(500, "InternalError")),
    "lambda": (Fault(429, "TooManyRequestsException"), Fault(500, "ServiceException")),
    "kms": (Fault(400, "ThrottlingException"), Fault(500, "KMSInternalException")),
    "events": (Fault(400, "ThrottlingException"), Fault(500, "InternalException")),
}


def caller(environ: dict[str, Any]) -> tuple[str | None, str | None]:
    """(source, service) of a signed request: source ``engine``, ``lambda`` or None (anyone else)."""
    scope = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if scope is None:
        return None, None  # unsigned (presigned URLs carry the scope in the query; not ours to fault)
    key, service = scope.groups()
    if key == "ak" or ENGINE_AGENT in environ.get("HTTP_USER_AGENT", ""):
        return "engine", service
    if "exec-env/AWS_Lambda" in environ.get("HTTP_USER_AGENT", ""):
        return "lambda", service
    return None, service


def error_response(service: str, fault: Fault) -> tuple[str, list[tuple[str, str]], bytes]:
    """The status line, headers and body ``service`` would answer with for ``fault``."""
    status = {400: "400 Bad Request", 429: "429 Too Many Requests", 500: "500 Internal Server Error"}.get(
        fault.status, "503 Service Unavailable"
    )
    message = "injected by the local stack's fault switch"
    request_id = str(uuid.uuid4())
    if service == "s3":
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{fault.code}</Code>'
            f"<Message>{message}</Message><RequestId>{request_id}</RequestId></Error>"
        ).encode()
        return status, [("Content-Type", "application/xml"), ("x-amz-request-id", request_id)], body
    if service == "lambda":
        headers = [
            ("Content-Type", "application/json"),
            ("x-amzn-ErrorType", fault.code),
            ("x-amzn-RequestId", request_id),
        ]
        return status, headers, json.dumps({"Type": "Service", "message": message}).encode()
    kind = f"com.amazonaws.dynamodb.v20120810#{fault.code}" if service == "dynamodb" else fault.code
    content_type = "application/x-amz-json-1.0" if service == "dynamodb" else "application/x-amz-json-1.1"
    headers = [("Content-Type", content_type), ("x-amzn-RequestId", request_id)]
    return status, headers, json.dumps({"__type": kind, "message": message}).encode()


@dataclass
class FaultInjector:
    """WSGI middleware around moto. ``active`` is a context manager; off, it only passes requests on."""

    app: WsgiApp
    rate: float = 0.0
    services: frozenset[str] = SERVICES
    sources: frozenset[str] = SOURCES
    injected: Counter[str] = field(default_factory=Counter)  # "<service> <code>" -> count
    seen: Counter[str] = field(default_factory=Counter)  # requests eligible for a fault, per service
    _random: random.Random = field(default_factory=random.Random)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def active(
        self,
        rate: float,
        *,
        seed: int,
        services: Iterable[str] = SERVICES,
        sources: Iterable[str] = SOURCES,
    ) -> Iterator[FaultInjector]:
        if not 0 <= rate <= 1:
            raise ValueError("rate is a fraction between 0 and 1")
        with self._lock:
            self.rate, self.services, self.sources = rate, frozenset(services), frozenset(sources)
            self._random.seed(seed)
            self.injected.clear()
            self.seen.clear()
        try:
            yield self
        finally:
            with self._lock:
                self.rate = 0.0

    def _draw(self, environ: dict[str, Any]) -> tuple[str, Fault, bool] | None:
        """The fault to answer with (service, fault, after the work?), or None to pass on."""
        if not self.rate:
            return None
        source, service = caller(environ)
        if source not in self.sources or service not in self.services:
            return None
        with self._lock:
            self.seen[service] += 1
            if self._random.random() >= self.rate:
                return None
            lost_answer = self._random.random() < 0.5
            fault = FAULTS[service][1 if lost_answer else 0]
            self.injected[f"{service} {fault.code}"] += 1
        return service, fault, lost_answer

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        drawn = self._draw(environ)
        if drawn is None:
            return self.app(environ, start_response)
        service, fault, lost_answer = drawn
        if not lost_answer:
            get_input_stream(environ).read()  # refused unread; the connection stays usable
        else:  # the service does the work; its answer never arrives
            answer = self.app(environ, lambda *args, **kwargs: None)
            for _ in answer:
                pass
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        status, headers, body = error_response(service, fault)
        if environ["REQUEST_METHOD"] == "HEAD":
            body = b""  # a HEAD answer has no body: the SDK reads the status alone
        start_response(status, [*headers, ("Content-Length", str(len(body)))])
        return [body]
