"""Property-based fuzzing of the HTTP API against its contract (schemathesis): requests generated
from ``schemas/api/openapi.yaml``, valid and invalid, each sent with a signed-in person's Cognito ID
token and without one, to the local stack's gateway. Every answer must be no 5xx, a status code the
contract documents for the operation, a documented content type, and a body that matches the
contract's schema."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from devstack.stack import LocalStack
from tests.integration.test_upload_to_download import Owner

pytestmark = pytest.mark.stack

CONTRACT = Path(__file__).resolve().parents[2] / "schemas" / "api" / "openapi.yaml"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Per operation and generation mode (valid, invalid); each sent with and without a token:
# every operation x 25 x 2 x 2 requests at most (fewer where an operation's inputs run out).
EXAMPLES_PER_OPERATION = 25

OPERATIONS = {
    f"{method.upper()} {path}"
    for path, item in yaml.safe_load(CONTRACT.read_text())["paths"].items()
    for method in item
    if method in {"get", "put", "post", "delete", "patch"}
}
schema = schemathesis.openapi.from_path(CONTRACT)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], deterministic=True, no_shrink=True
)
requests_sent: list[str] = []  # one entry per request, for the count the last test checks


@pytest.fixture(scope="module")
def person(local_stack: LocalStack) -> Owner:
    return Owner(local_stack)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as generated
    suppress_health_check=list(HealthCheck),
)
def test_every_generated_request_gets_a_contract_answer(
    case: schemathesis.Case, local_stack: LocalStack, person: Owner
) -> None:
    for headers in ({"Authorization": f"Bearer {person.id_token}"}, {}):
        case.call_and_validate(base_url=local_stack.api_url, headers=headers, checks=CHECKS, timeout=30)
        requests_sent.append(case.operation.label)


def test_a_size_written_with_a_fraction_of_zero_uploads_like_any_other(person: Owner) -> None:
    # Found by the fuzzing: JSON Schema's integer admits 3.0, which reached the upload's metadata as
    # "3.0" (and the workflow refused the declared size it could not read)
    plan = person.call("POST", "/uploads", json={"name": "three.txt", "size": 3.0, "contentType": "text/plain"})
    assert plan.status_code == 201, plan.text
    assert plan.json()["fields"]["x-amz-meta-size"] == "3"
    sent = requests.post(
        plan.json()["url"], data=plan.json()["fields"], files={"file": ("three.txt", b"abc", "text/plain")}, timeout=30
    )
    assert sent.status_code == 204, sent.text
    assert person.wait_until_done(plan.json()["fileId"])["status"] == "READY"


def test_the_fuzzing_sent_at_least_a_thousand_requests(request: pytest.FixtureRequest) -> None:
    fuzzing = test_every_generated_request_gets_a_contract_answer.__name__
    if not any(getattr(item, "originalname", None) == fuzzing for item in request.session.items):
        pytest.skip("counts what the fuzzing test above sends, and it was deselected")
    # (selected but sending nothing fails here: an empty count is not a skip)
    print(f"\n{len(requests_sent)} generated requests over {len(set(requests_sent))} operations")
    assert set(requests_sent) == OPERATIONS  # every operation of the contract was fuzzed
    assert len(requests_sent) >= 1000
