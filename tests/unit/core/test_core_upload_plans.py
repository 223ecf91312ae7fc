"""fileshare.core.uploads.plan_upload, checked on what the browser is given: the POST policy document
(S3 enforces it in AWS; moto does not), its signature, and the presigned multipart URLs.

No moto here: ``moto.mock_aws`` resets moto's process-wide backends, which the session's local stack
(started in this same process by other tests) runs on. Presigning needs no server at all, and the one
S3 call a plan makes (CreateMultipartUpload) is answered by botocore's Stubber, which also checks the
parameters it is called with.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import boto3
import pytest
from botocore.stub import ANY, Stubber
from hypothesis import given
from hypothesis import strategies as st

from fileshare.core import aws, clock
from fileshare.core.errors import InvalidRequest, UploadTooLarge
from fileshare.core.uploads import (
    MAX_PARTS,
    UploadLimits,
    UploadRequest,
    decode_name,
    encode_name,
    part_size_for,
    plan_upload,
)

ACCESS_KEY = "AKIDEXAMPLEUNITTEST"
SECRET_KEY = "unit-test-secret-key"
BUCKET = "fileshare-uploads"
OWNER = "0f4a6d1e-1111-2222-3333-444455556666"
MIB = 2**20
LIMITS = UploadLimits(
    max_upload_bytes=1024 * MIB,
    single_post_max_bytes=5 * MIB,
    part_bytes=5 * MIB,
    post_ttl_seconds=600,
    multipart_ttl_seconds=6 * 3600,
)
UPLOAD_ID = "unit-test-upload-id"


@cache
def unit_test_session() -> boto3.session.Session:
    """One session for this module (loading botocore's service models is the slow part)."""
    return boto3.session.Session(
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name="us-east-1"
    )


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Stubber]:
    """A real S3 client with known fake credentials and no endpoint to reach, behind a Stubber."""
    environment = {
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", unit_test_session())
    aws.client.cache_clear()
    try:
        with Stubber(aws.client("s3")) as stubber:
            yield stubber
            stubber.assert_no_pending_responses()
    finally:
        aws.client.cache_clear()


def expect_multipart_start(stubber: Stubber, request: UploadRequest) -> list[dict[str, Any]]:
    """Answer one CreateMultipartUpload, insisting on the pinned type and metadata; the keys it was
    called with are recorded (the file id is only known once the plan is made)."""
    stubber.add_response(
        "create_multipart_upload",
        {"Bucket": BUCKET, "Key": "k", "UploadId": UPLOAD_ID},
        {
            "Bucket": BUCKET,
            "Key": ANY,
            "ContentType": request.content_type,
            "Metadata": {"owner": OWNER, "name": quote(request.name, safe=""), "size": str(request.size)},
        },
    )
    calls: list[dict[str, Any]] = []
    stubber.client.meta.events.register(
        "provide-client-params.s3.CreateMultipartUpload", lambda params, **_: calls.append(dict(params))
    )
    return calls


def signing_key(credential_scope: str) -> bytes:
    """The SigV4 key for a scope "<date>/<region>/s3/aws4_request"."""
    key = ("AWS4" + SECRET_KEY).encode()
    for part in credential_scope.split("/"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def presigned_for(url: str, method: str, headers: dict[str, str] | None = None) -> bool:
    """Whether S3 would accept this presigned URL for ``method`` sent with ``headers`` (SigV4 query
    signing, recomputed): every header the URL signs must be sent with the signed value."""
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    given_signature = dict(params)["X-Amz-Signature"]
    query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(params) if k != "X-Amz-Signature"
    )
    fields = dict(params)
    sent = {"host": parts.netloc, **{k.lower(): v for k, v in (headers or {}).items()}}
    signed = fields["X-Amz-SignedHeaders"].split(";")
    if not set(signed) <= set(sent):
        return False
    canonical_headers = "".join(f"{name}:{sent[name]}\n" for name in signed)
    canonical = "\n".join(
        [method, parts.path, query, canonical_headers, fields["X-Amz-SignedHeaders"], "UNSIGNED-PAYLOAD"]
    )
    scope = fields["X-Amz-Credential"].split("/", 1)[1]
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", fields["X-Amz-Date"], scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    signature = hmac.new(signing_key(scope), to_sign.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature, given_signature)


def policy_of(plan: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(base64.b64decode(plan["fields"]["policy"])))


def plan_for(request: UploadRequest, limits: UploadLimits = LIMITS) -> dict[str, Any]:
    return plan_upload(owner_id=OWNER, request=request, bucket=BUCKET, limits=limits)


# ------------------------------------------------------------------------------ presigned POST


def test_the_post_policy_pins_key_size_type_and_metadata(s3: Stubber) -> None:
    # Given a request to upload a 12,345-byte PDF with a non-ASCII name
    request = UploadRequest(name="Q3 résumé.pdf", size=12_345, content_type="application/pdf")

    # When the upload is planned
    plan = plan_for(request)

    # Then it is a single POST whose signed policy allows exactly this upload and nothing else
    assert plan["method"] == "POST"
    assert re.fullmatch(r"[0-9a-f]{32}", plan["fileId"])
    key = f"uploads/{OWNER}/{plan['fileId']}"
    conditions = policy_of(plan)["conditions"]
    assert {"key": key} in conditions
    assert ["content-length-range", 12_345, 12_345] in conditions
    assert {"Content-Type": "application/pdf"} in conditions
    assert {"x-amz-meta-owner": OWNER} in conditions
    assert {"x-amz-meta-name": "Q3%20r%C3%A9sum%C3%A9.pdf"} in conditions
    assert {"x-amz-meta-size": "12345"} in conditions
    assert {"bucket": BUCKET} in conditions
    # No condition lets the browser choose a key or size of its own.
    assert not [c for c in conditions if isinstance(c, list) and c[0] == "starts-with"]
    assert [c for c in conditions if isinstance(c, list) and c[0] == "content-length-range"] == [
        ["content-length-range", 12_345, 12_345]
    ]


def test_the_policy_size_is_the_declared_size_and_never_above_the_maximum(s3: Stubber) -> None:
    size = LIMITS.single_post_max_bytes  # the largest single POST
    plan = plan_for(UploadRequest(name="a.bin", size=size, content_type="application/octet-stream"))
    [length_range] = [c for c in policy_of(plan)["conditions"] if isinstance(c, list)]
    assert length_range == ["content-length-range", size, size]
    assert size <= LIMITS.max_upload_bytes


def test_the_fields_the_browser_sends_satisfy_the_signed_policy(s3: Stubber) -> None:
    # S3 rejects a POST whose form fields differ from the policy's exact-match conditions.
    plan = plan_for(UploadRequest(name="notes & más.txt", size=10, content_type="text/plain"))
    fields = plan["fields"]
    exact = {k: v for c in policy_of(plan)["conditions"] if isinstance(c, dict) for k, v in c.items()}

    for name, value in exact.items():
        if name != "bucket":  # the bucket comes from the URL, not a field
            assert fields[name] == value, name
    assert fields["key"] == f"uploads/{OWNER}/{plan['fileId']}"
    assert decode_name(fields["x-amz-meta-name"]) == "notes & más.txt"
    assert urlsplit(plan["url"]).hostname is not None and BUCKET in plan["url"]


def test_the_policy_is_signed_with_the_service_credentials(s3: Stubber) -> None:
    fields = plan_for(UploadRequest(name="a.txt", size=1, content_type="text/plain"))["fields"]

    scope = fields["x-amz-credential"].split("/", 1)[1]
    expected = hmac.new(signing_key(scope), fields["policy"].encode(), hashlib.sha256).hexdigest()

    assert fields["x-amz-credential"].startswith(f"{ACCESS_KEY}/")
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert hmac.compare_digest(fields["x-amz-signature"], expected)


@pytest.mark.parametrize("configured_ttl", [60, 600, 3600])
def test_the_policy_expires_within_15_minutes(s3: Stubber, configured_ttl: int) -> None:
    # Given any configured POST lifetime (even one longer than 15 minutes)
    limits = UploadLimits(
        max_upload_bytes=LIMITS.max_upload_bytes,
        single_post_max_bytes=LIMITS.single_post_max_bytes,
        part_bytes=LIMITS.part_bytes,
        post_ttl_seconds=configured_ttl,
        multipart_ttl_seconds=LIMITS.multipart_ttl_seconds,
    )

    before = datetime.now(UTC).replace(microsecond=0)
    plan = plan_for(UploadRequest(name="a.txt", size=1, content_type="text/plain"), limits)

    # Then the policy stops working within 15 minutes, and the plan tells the browser when
    expires = clock.from_iso(policy_of(plan)["expiration"])
    assert before < expires <= before + timedelta(minutes=15, seconds=2)
    assert expires - before <= timedelta(seconds=min(configured_ttl, 900) + 2)
    assert abs(clock.from_iso(plan["expiresAt"]) - expires) <= timedelta(seconds=2)


def test_each_plan_gets_its_own_file_id_under_the_owners_prefix(s3: Stubber) -> None:
    request = UploadRequest(name="a.txt", size=1, content_type="text/plain")
    plans = [plan_for(request) for _ in range(20)]
    assert len({p["fileId"] for p in plans}) == 20
    for plan in plans:
        assert re.fullmatch(rf"uploads/{OWNER}/[0-9a-f]{{32}}", plan["fields"]["key"])
        assert plan["fields"]["key"].endswith(plan["fileId"])


# ------------------------------------------------------------------------------ multipart


def test_above_the_post_limit_the_plan_is_presigned_multipart(s3: Stubber) -> None:
    # Given a file one byte over the single-POST limit... and then some
    size = 12 * MIB + 1
    request = UploadRequest(name="disk image.iso", size=size, content_type="application/octet-stream")
    calls = expect_multipart_start(s3, request)
    at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    # When the upload is planned
    plan = plan_upload(owner_id=OWNER, request=request, bucket=BUCKET, limits=LIMITS, at=at)

    # Then a multipart upload was started at the owner's key with the pinned type and metadata
    key = f"uploads/{OWNER}/{plan['fileId']}"
    assert [c["Key"] for c in calls] == [key]
    assert plan["method"] == "MULTIPART"
    assert plan["uploadId"] == UPLOAD_ID
    # and the browser gets one presigned PUT per part, numbered from 1, enough for the whole file
    part_size = plan["partSize"]
    assert part_size >= LIMITS.part_bytes
    assert len(plan["parts"]) == math.ceil(size / part_size) == 3
    assert [p["partNumber"] for p in plan["parts"]] == [1, 2, 3]
    assert [p["size"] for p in plan["parts"]] == [part_size, part_size, size - 2 * part_size]
    for part in plan["parts"]:
        url = urlsplit(part["url"])
        query = dict(parse_qsl(url.query))
        assert unquote(url.path).endswith(f"/{key}")
        assert query["partNumber"] == str(part["partNumber"]) and query["uploadId"] == UPLOAD_ID
        assert presigned_for(part["url"], "PUT", {"Content-Length": str(part["size"])})
        assert not presigned_for(part["url"], "GET", {"Content-Length": str(part["size"])})
    # plus a URL to complete the upload (POST) and one to abandon it (DELETE)
    assert presigned_for(plan["completeUrl"], "POST") and not presigned_for(plan["completeUrl"], "PUT")
    assert presigned_for(plan["abortUrl"], "DELETE") and not presigned_for(plan["abortUrl"], "GET")
    for url in (plan["completeUrl"], plan["abortUrl"]):
        assert dict(parse_qsl(urlsplit(url).query))["uploadId"] == UPLOAD_ID
        assert unquote(urlsplit(url).path).endswith(f"/{key}")
    assert plan["expiresAt"] == clock.to_iso(at + timedelta(seconds=900 + math.ceil(size / (512 * 1024))))
    assert "fields" not in plan


def test_the_single_post_limit_is_inclusive(s3: Stubber) -> None:
    at_limit = UploadRequest(name="a.bin", size=LIMITS.single_post_max_bytes, content_type="application/octet-stream")
    over = UploadRequest(name="a.bin", size=LIMITS.single_post_max_bytes + 1, content_type="application/octet-stream")
    expect_multipart_start(s3, over)

    assert plan_for(at_limit)["method"] == "POST"
    assert plan_for(over)["method"] == "MULTIPART"


def test_a_part_url_is_good_only_for_exactly_its_size(s3: Stubber) -> None:
    # Given a 12 MiB + 1 byte upload in 5 MiB parts
    request = UploadRequest(name="big.bin", size=12 * MIB + 1, content_type="application/octet-stream")
    expect_multipart_start(s3, request)
    plan = plan_for(request)

    # Then each part URL signs its Content-Length: S3 refuses a body of any other size, so the parts
    # cannot carry more than the declared size in total
    [first, _, last] = plan["parts"]
    assert dict(parse_qsl(urlsplit(first["url"]).query))["X-Amz-SignedHeaders"] == "content-length;host"
    assert presigned_for(first["url"], "PUT", {"Content-Length": str(5 * MIB)})
    assert not presigned_for(first["url"], "PUT", {"Content-Length": str(5 * MIB + 1)})
    assert not presigned_for(first["url"], "PUT", {"Content-Length": str(10 * 2**40)})
    assert not presigned_for(first["url"], "PUT")  # a Content-Length must be sent, and be the signed one
    assert presigned_for(last["url"], "PUT", {"Content-Length": str(2 * MIB + 1)})
    assert sum(p["size"] for p in plan["parts"]) == request.size


@pytest.mark.parametrize(
    ("size", "lifetime"),
    [
        (12 * MIB, 900 + 24),  # 15 minutes plus 24 s at 512 KiB/s
        (1024 * MIB, 900 + 2048),
        (1000 * 1024 * MIB, 6 * 3600),  # never more than the configured maximum
    ],
)
def test_multipart_urls_live_only_as_long_as_the_upload_needs(s3: Stubber, size: int, lifetime: int) -> None:
    request = UploadRequest(name="big.bin", size=size, content_type="application/octet-stream")
    expect_multipart_start(s3, request)
    at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    limits = UploadLimits(
        max_upload_bytes=2**50,
        single_post_max_bytes=LIMITS.single_post_max_bytes,
        part_bytes=LIMITS.part_bytes,
        post_ttl_seconds=600,
        multipart_ttl_seconds=6 * 3600,
    )

    plan = plan_upload(owner_id=OWNER, request=request, bucket=BUCKET, limits=limits, at=at)

    assert plan["expiresAt"] == clock.to_iso(at + timedelta(seconds=lifetime))
    for url in [plan["parts"][0]["url"], plan["completeUrl"], plan["abortUrl"]]:
        assert dict(parse_qsl(urlsplit(url).query))["X-Amz-Expires"] == str(lifetime)


# ------------------------------------------------------------------------------ refusals


def test_a_file_over_the_maximum_is_refused_before_anything_is_started(s3: Stubber) -> None:
    # Given no S3 answer queued: any call to S3 would fail the test with a Stubber error instead
    request = UploadRequest(name="huge.iso", size=LIMITS.max_upload_bytes + 1, content_type="application/octet-stream")

    with pytest.raises(UploadTooLarge) as refused:
        plan_for(request)

    assert refused.value.status == 400
    assert refused.value.code == "upload_too_large"
    assert str(LIMITS.max_upload_bytes) in refused.value.message


def test_a_name_too_long_for_s3_metadata_is_refused(s3: Stubber) -> None:
    # 300 accented letters percent-encode to 1,800 characters, over S3's 2 KB metadata budget share
    with pytest.raises(InvalidRequest) as refused:
        plan_for(UploadRequest(name="é" * 300 + ".txt", size=1, content_type="text/plain"))
    assert refused.value.status == 400 and refused.value.code == "name_too_long"


# ------------------------------------------------------------------------------ pure helpers


@given(st.text(max_size=200))
def test_names_travel_as_ascii_metadata_and_come_back_unchanged(name: str) -> None:
    encoded = encode_name(name)
    assert encoded.isascii() and "/" not in encoded and " " not in encoded
    assert decode_name(encoded) == name


@given(st.integers(min_value=0, max_value=5 * 2**40), st.integers(min_value=5 * MIB, max_value=512 * MIB))
def test_part_size_keeps_every_upload_within_10000_parts(size: int, preferred: int) -> None:
    part = part_size_for(size, preferred)

    assert part >= preferred
    assert math.ceil(size / part) <= MAX_PARTS == 10_000
    # and it is the smallest such size: the preferred one, or one byte less would need too many parts
    assert part == preferred or math.ceil(size / (part - 1)) > MAX_PARTS
