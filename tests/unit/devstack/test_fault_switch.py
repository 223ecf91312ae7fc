"""The fault switch in front of moto: off, it passes everything; on, it answers the engine's and
the Lambda workers' requests with errors the AWS SDK parses and retries, and nobody else's."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest
from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.model import ServiceModel
from botocore.parsers import create_parser
from botocore.retries.standard import RetryContext, StandardRetryConditions
from werkzeug.test import Client
from werkzeug.wrappers import Response

from devstack.faults import FaultInjector

ENGINE = "AWS4-HMAC-SHA256 Credential=ak/20261129/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=x"
OTHER = "AWS4-HMAC-SHA256 Credential=local/20261129/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=x"
WORKER_AGENT = "Boto3/1.44.8 md/Botocore#1.44.8 exec-env/AWS_Lambda_python3.13"


class Backend:
    """Stands in for moto: counts the requests that reached it."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.calls += 1
        return Response(b"{}", content_type="application/json")(environ, start_response)


def send(app: FaultInjector, service: str, *, signer: str = ENGINE, agent: str = "Boto3") -> Any:
    return Client(app).post(
        "/", data=b"{}", headers={"Authorization": signer.format(service=service), "User-Agent": agent}
    )


@pytest.mark.parametrize("service", ["dynamodb", "s3", "lambda", "kms", "events"])
def test_every_fault_is_an_error_the_sdk_parses_and_retries(service: str) -> None:
    backend = Backend()
    injector = FaultInjector(backend)
    model: ServiceModel = botocore.session.get_session().get_service_model(service)
    operation = model.operation_model(model.operation_names[0])
    retryable = StandardRetryConditions()
    codes = set()
    with injector.active(1.0, seed=1):
        for _ in range(12):
            answer = send(injector, service)
            parsed = create_parser(model.protocol).parse(
                {"status_code": answer.status_code, "headers": HeadersDict(answer.headers), "body": answer.data},
                operation.output_shape,
            )
            codes.add(parsed["Error"]["Code"])
            assert parsed["ResponseMetadata"]["RequestId"]
            context = RetryContext(
                attempt_number=1,
                operation_model=operation,
                parsed_response=parsed,
                http_response=AWSResponse("/", answer.status_code, HeadersDict(answer.headers), None),
            )
            assert retryable.is_retryable(context), (service, parsed["Error"])
    assert len(codes) == 2  # throttled and lost-answer faults both drawn
    assert sum(injector.injected.values()) == 12 and injector.seen[service] == 12
    assert 0 < backend.calls < 12  # lost answers reached the service; throttled requests did not


def test_off_or_for_other_callers_every_request_passes() -> None:
    backend = Backend()
    injector = FaultInjector(backend)
    assert send(injector, "dynamodb").status_code == 200  # off by default
    with injector.active(1.0, seed=1):
        assert send(injector, "dynamodb", signer=OTHER).status_code == 200  # a test's own client
        assert send(injector, "cognito-idp").status_code == 200  # not a faulted service
        assert send(injector, "dynamodb", signer=OTHER, agent=WORKER_AGENT).status_code != 200  # a worker
    assert send(injector, "dynamodb").status_code == 200  # off again after the block
    assert backend.calls >= 3


def test_the_same_seed_draws_the_same_faults() -> None:
    def draws() -> list[int]:
        injector = FaultInjector(Backend())
        with injector.active(0.2, seed=15):
            return [send(injector, "s3").status_code for _ in range(40)]

    assert draws() == draws()
    assert any(code != 200 for code in draws())
