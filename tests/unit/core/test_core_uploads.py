"""The presigned POST policy pins everything the browser must not choose (checked on the policy
document itself: S3 enforces it in AWS, moto does not)."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from devstack.stack import LocalStack
from fileshare.core import aws
from fileshare.core.errors import UploadTooLarge
from fileshare.core.uploads import UploadLimits, UploadRequest, part_size_for, plan_upload

LIMITS = UploadLimits(
    max_upload_bytes=10 * 2**30,
    single_post_max_bytes=100 * 2**20,
    part_bytes=16 * 2**20,
    post_ttl_seconds=600,
    multipart_ttl_seconds=21600,
)
OWNER = "0f4a6d1e-1111-2222-3333-444455556666"


@pytest.fixture
def s3(local_stack: LocalStack, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The adapters pointed at the local stack's S3 (moto server). Not moto's in-process mock: that
    resets the same process-wide backends the running local stack uses."""
    environment = {
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": local_stack.moto.endpoint,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    aws.client.cache_clear()
    yield local_stack.stack.ref("UploadsBucket")
    aws.client.cache_clear()


def policy_of(plan: dict[str, object]) -> dict[str, object]:
    fields = plan["fields"]
    assert isinstance(fields, dict)
    return dict(json.loads(base64.b64decode(fields["policy"])))


def test_the_post_policy_pins_key_size_type_metadata_and_a_short_expiry(s3: str) -> None:
    request = UploadRequest(name="Q3 résumé.pdf", size=12345, content_type="application/pdf")

    plan = plan_upload(owner_id=OWNER, request=request, bucket=s3, limits=LIMITS)

    policy = policy_of(plan)
    conditions = policy["conditions"]
    key = f"uploads/{OWNER}/{plan['fileId']}"
    assert {"key": key} in conditions
    assert ["content-length-range", 12345, 12345] in conditions  # exactly the declared size, under the maximum
    assert {"Content-Type": "application/pdf"} in conditions
    assert {"x-amz-meta-owner": OWNER} in conditions
    assert {"x-amz-meta-name": quote("Q3 résumé.pdf", safe="")} in conditions
    assert {"x-amz-meta-size": "12345"} in conditions
    expires = datetime.fromisoformat(str(policy["expiration"]).replace("Z", "+00:00"))
    assert timedelta(0) < expires - datetime.now(UTC) <= timedelta(minutes=15)
    assert plan["fields"]["key"] == key and plan["method"] == "POST"


def test_each_plan_gets_its_own_file_id(s3: str) -> None:
    request = UploadRequest(name="a.txt", size=1, content_type="text/plain")
    ids = {plan_upload(owner_id=OWNER, request=request, bucket=s3, limits=LIMITS)["fileId"] for _ in range(20)}
    assert len(ids) == 20


def test_above_the_post_limit_the_plan_is_multipart(s3: str) -> None:
    size = 300 * 2**20 + 1
    plan = plan_upload(
        owner_id=OWNER, request=UploadRequest("big.iso", size, "application/octet-stream"), bucket=s3, limits=LIMITS
    )

    assert plan["method"] == "MULTIPART"
    assert plan["partSize"] == 16 * 2**20
    assert [p["partNumber"] for p in plan["parts"]] == list(range(1, math.ceil(size / (16 * 2**20)) + 1))
    assert all("partNumber=" in p["url"] and "uploadId=" in p["url"] for p in plan["parts"])
    assert "uploadId=" in plan["completeUrl"] and "uploadId=" in plan["abortUrl"]


def test_too_large_is_refused_before_anything_is_signed(s3: str) -> None:
    with pytest.raises(UploadTooLarge) as refused:
        plan_upload(
            owner_id=OWNER,
            request=UploadRequest("x", LIMITS.max_upload_bytes + 1, "text/plain"),
            bucket=s3,
            limits=LIMITS,
        )
    assert refused.value.status == 400 and refused.value.code == "upload_too_large"


@pytest.mark.parametrize("size", [1, 2**30, 5 * 2**40])
def test_parts_never_exceed_s3s_ten_thousand(size: int) -> None:
    part = part_size_for(size, 16 * 2**20)
    assert part >= 16 * 2**20 and math.ceil(size / part) <= 10_000
