"""The local stack's S3 refuses what S3 refuses (``devstack/s3_front.py``): expired, tampered and
unsigned requests, presigned POSTs that break their policy, parts of another size than signed, and
what the uploads bucket's policy denies. moto alone answered 200 or 204 to each of these."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock
from xml.etree import ElementTree

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from devstack.moto_host import role_credentials
from devstack.stack import REGION, LocalStack
from tests.integration.test_upload_to_download import Owner

pytestmark = pytest.mark.stack


def error_of(answer: requests.Response) -> dict[str, str]:
    """S3's XML error, as {element: text}."""
    parsed = ElementTree.fromstring(answer.content)  # noqa: S314 -- the local stack's own answer
    return {child.tag: child.text or "" for child in parsed}


@pytest.fixture
def stored(local_stack: LocalStack) -> Iterator[tuple[str, str]]:
    """An object in the uploads bucket, outside ``uploads/`` so that no workflow picks it up."""
    bucket, key = local_stack.stack.ref("UploadsBucket"), f"s3-front-tests/{uuid.uuid4()}"
    local_stack.client("s3").put_object(Bucket=bucket, Key=key, Body=b"hello", ContentType="text/plain")
    yield bucket, key
    local_stack.client("s3").delete_object(Bucket=bucket, Key=key)


def s3_as(stack: LocalStack, **credentials: str) -> Any:
    return boto3.session.Session(region_name=REGION, **credentials).client(
        "s3", endpoint_url=stack.moto.endpoint, config=Config(signature_version="s3v4", retries={"max_attempts": 1})
    )


def presigned_get(client: Any, bucket: str, key: str, *, at: datetime | None = None, expires: int = 60) -> str:
    if at is None:
        return str(
            client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=expires)
        )
    with mock.patch("botocore.auth.get_current_datetime", return_value=at.replace(tzinfo=None)):
        return str(
            client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=expires)
        )


# ---------------------------------------------------------------------------- signatures and expiry


def static(stack: LocalStack) -> Any:
    """The stack's own credentials, signing as the functions do (SigV4)."""
    return s3_as(stack, aws_access_key_id="local", aws_secret_access_key="local")


def test_a_presigned_get_works_until_it_expires(local_stack: LocalStack, stored: tuple[str, str]) -> None:
    s3 = static(local_stack)
    assert requests.get(presigned_get(s3, *stored), timeout=10).content == b"hello"

    two_minutes_ago = datetime.now(UTC) - timedelta(minutes=2)
    expired = requests.get(presigned_get(s3, *stored, at=two_minutes_ago, expires=60), timeout=10)
    assert expired.status_code == 403
    error = error_of(expired)
    assert (error["Code"], error["Message"]) == ("AccessDenied", "Request has expired")
    assert error["X-Amz-Expires"] == "60"


def test_a_tampered_presigned_get_is_refused(local_stack: LocalStack, stored: tuple[str, str]) -> None:
    url = presigned_get(static(local_stack), *stored)
    signature = url.rsplit("X-Amz-Signature=", 1)[1]
    forged = url.replace(signature, ("0" if signature[0] != "0" else "1") + signature[1:])
    # Another key under the same signature, or another answer header: the signature covers both.
    other_key = url.replace(stored[1], stored[1] + "x")
    other_header = url.replace("X-Amz-Algorithm", "response-content-type=text%2Fhtml&X-Amz-Algorithm")
    for tampered in (forged, other_key, other_header):
        answer = requests.get(tampered, timeout=10)
        assert answer.status_code == 403, tampered
        assert error_of(answer)["Code"] == "SignatureDoesNotMatch"


def test_an_unsigned_request_is_refused(local_stack: LocalStack, stored: tuple[str, str]) -> None:
    bucket, key = stored
    answer = requests.get(f"{local_stack.moto.endpoint}/{bucket}/{key}", timeout=10)
    assert answer.status_code == 403
    assert error_of(answer)["Code"] == "AccessDenied"
    # CORS preflights still go to moto, unchecked (a browser sends them without credentials).
    preflight = requests.options(
        f"{local_stack.moto.endpoint}/{bucket}/{key}",
        headers={"Origin": local_stack.app_url, "Access-Control-Request-Method": "PUT"},
        timeout=10,
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == local_stack.app_url
    assert b"AccessDenied" not in preflight.content


def test_sdk_requests_are_checked_against_the_callers_secret(local_stack: LocalStack, stored: tuple[str, str]) -> None:
    bucket, key = stored
    admin = local_stack.admin_credentials
    # The admin may list (reading an object not yet tagged clean is denied to every principal).
    right = s3_as(
        local_stack, aws_access_key_id=admin["AWS_ACCESS_KEY_ID"], aws_secret_access_key=admin["AWS_SECRET_ACCESS_KEY"]
    )
    assert right.list_objects_v2(Bucket=bucket, Prefix=key)["KeyCount"] == 1
    wrong_secret = s3_as(local_stack, aws_access_key_id=admin["AWS_ACCESS_KEY_ID"], aws_secret_access_key="guessed")
    with pytest.raises(ClientError) as refused:
        wrong_secret.list_objects_v2(Bucket=bucket, Prefix=key)
    assert refused.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    unknown = s3_as(local_stack, aws_access_key_id="AKIAUNKNOWNUNKNOWN00", aws_secret_access_key="x")
    with pytest.raises(ClientError) as refused:
        unknown.put_object(Bucket=bucket, Key=key, Body=b"overwritten")
    assert refused.value.response["Error"]["Code"] == "InvalidAccessKeyId"
    assert len(right.list_object_versions(Bucket=bucket, Prefix=key)["Versions"]) == 1  # nothing overwritten


# ---------------------------------------------------------------------------- presigned POST policies


@pytest.fixture
def owner(local_stack: LocalStack) -> Owner:
    return Owner(local_stack)


def post_plan(owner: Owner, size: int, content_type: str = "text/plain") -> dict[str, Any]:
    plan = owner.call("POST", "/uploads", json={"name": "notes.txt", "size": size, "contentType": content_type})
    assert plan.status_code == 201 and plan.json()["method"] == "POST", plan.text
    return dict(plan.json())


def send(
    plan: dict[str, Any], fields: dict[str, str], body: bytes, content_type: str = "text/plain"
) -> requests.Response:
    """Exactly what the web app's form sends: the policy's fields, then the file last."""
    return requests.post(plan["url"], data=fields, files={"file": ("notes.txt", body, content_type)}, timeout=30)


def stored_keys(stack: LocalStack, key: str) -> list[str]:
    answer = stack.client("s3").list_objects_v2(Bucket=stack.stack.ref("UploadsBucket"), Prefix=key)
    return [o["Key"] for o in answer.get("Contents", [])]


def test_an_upload_that_lies_about_its_size_is_refused_at_the_post(owner: Owner, local_stack: LocalStack) -> None:
    plan = post_plan(owner, size=10)
    too_large = send(plan, plan["fields"], b"x" * 100)
    assert too_large.status_code == 400
    error = error_of(too_large)
    assert (error["Code"], error["ProposedSize"], error["MaxSizeAllowed"]) == ("EntityTooLarge", "100", "10")
    too_small = send(plan, plan["fields"], b"x" * 9)
    assert (too_small.status_code, error_of(too_small)["Code"]) == (400, "EntityTooSmall")
    assert stored_keys(local_stack, plan["fields"]["key"]) == []


def test_a_post_must_keep_every_condition_of_its_policy(owner: Owner, local_stack: LocalStack) -> None:
    body = b"0123456789"
    plan = post_plan(owner, size=len(body))
    fields = plan["fields"]
    breaking = {
        "another key": {**fields, "key": fields["key"] + "-other"},
        "another Content-Type": {**fields, "Content-Type": "text/html"},
        "other metadata": {**fields, "x-amz-meta-owner": str(uuid.uuid4())},
    }
    for what, changed in breaking.items():
        answer = send(plan, changed, body)
        assert answer.status_code == 403, what
        error = error_of(answer)
        assert error["Code"] == "AccessDenied", what
        assert error["Message"].startswith("Invalid according to Policy: Policy Condition failed: "), what

    extra = send(plan, {**fields, "x-amz-meta-extra": "1"}, body)
    assert error_of(extra)["Message"] == "Invalid according to Policy: Extra input fields: x-amz-meta-extra"

    policy = json.loads(base64.b64decode(fields["policy"]))
    widened = {**policy, "conditions": [*policy["conditions"], ["content-length-range", 0, 10**9]]}
    forged = send(plan, {**fields, "policy": base64.b64encode(json.dumps(widened).encode()).decode()}, body)
    assert (forged.status_code, error_of(forged)["Code"]) == (403, "SignatureDoesNotMatch")

    assert stored_keys(local_stack, fields["key"]) == []
    # The browser's form as it is (a field S3 ignores may ride along) is stored.
    assert send(plan, {**fields, "x-ignore-note": "from a test"}, body).status_code == 204
    assert stored_keys(local_stack, fields["key"]) == [fields["key"]]


def test_a_post_after_its_policy_expired_is_refused(owner: Owner, local_stack: LocalStack) -> None:
    plan = post_plan(owner, size=3)
    policy = json.loads(base64.b64decode(plan["fields"]["policy"]))
    own = {k: v for k, v in plan["fields"].items() if k in ("Content-Type", "key") or k.startswith("x-amz-meta-")}
    # The same policy, signed the same way, but already expired.
    expired = static(local_stack).generate_presigned_post(
        Bucket=local_stack.stack.ref("UploadsBucket"),
        Key=own["key"],
        Fields=own,
        Conditions=[c for c in policy["conditions"] if not (isinstance(c, dict) and _signers(c))],
        ExpiresIn=-1,
    )
    answer = send(plan, expired["fields"], b"abc")
    assert answer.status_code == 403
    assert error_of(answer)["Message"] == "Invalid according to Policy: Policy expired."


def _signers(condition: dict[str, str]) -> bool:
    """The conditions the signer adds (algorithm, credential, date, token), which a new signature replaces."""
    return any(k.startswith("x-amz-") and not k.startswith("x-amz-meta-") for k in condition)


def test_a_part_of_another_size_than_signed_is_refused(owner: Owner) -> None:
    size = 300 * 1024  # above the test stack's 256 KiB POST limit: multipart
    plan = owner.call(
        "POST", "/uploads", json={"name": "big.bin", "size": size, "contentType": "application/octet-stream"}
    )
    assert plan.json()["method"] == "MULTIPART", plan.text
    part = plan.json()["parts"][0]
    try:
        answer = requests.put(part["url"], data=b"x" * (part["size"] - 1), timeout=30)
        assert (answer.status_code, error_of(answer)["Code"]) == (403, "SignatureDoesNotMatch")
        assert requests.put(part["url"], data=b"x" * part["size"], timeout=30).status_code == 200
    finally:
        requests.delete(plan.json()["abortUrl"], timeout=10)


# ---------------------------------------------------------------------------- the bucket policy


def role_session(stack: LocalStack, role_suffix: str) -> dict[str, str]:
    """Credentials of an ``sts:AssumeRole`` session of one of the template's roles, as its function
    gets them (the role trusts the service, not the test, so the stack assumes it)."""
    roles = stack.client("iam").list_roles()["Roles"]
    [arn] = [r["Arn"] for r in roles if r["RoleName"].endswith(role_suffix)]
    credentials = role_credentials(arn, "s3-front-test")
    return {
        "aws_access_key_id": credentials["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": credentials["AWS_SECRET_ACCESS_KEY"],
        "aws_session_token": credentials["AWS_SESSION_TOKEN"],
    }


def test_only_clean_objects_are_read_and_only_the_workflow_tags(local_stack: LocalStack) -> None:
    # Under uploads/, where the workflow's role may tag (its IAM policy), with a key that is no
    # upload the app issued: the workflow it starts ends UnrecognisedUpload and touches nothing.
    bucket, key = local_stack.stack.ref("UploadsBucket"), f"uploads/s3-front-tests/{uuid.uuid4()}"
    local_stack.client("s3").put_object(Bucket=bucket, Key=key, Body=b"hello", ContentType="text/plain")
    downloads = s3_as(local_stack, **role_session(local_stack, "-PublicSharesApiFunctionRole"))
    scanner = s3_as(local_stack, **role_session(local_stack, "-ScanUploadFunctionRole"))
    workflow = s3_as(local_stack, **role_session(local_stack, "-ProcessUploadStateMachineRole"))

    not_clean = requests.get(presigned_get(downloads, bucket, key), timeout=10)
    assert not_clean.status_code == 403
    assert error_of(not_clean)["Code"] == "AccessDenied"
    assert "explicit deny in a resource-based policy" in error_of(not_clean)["Message"]
    # The workflow's readers read it before it is judged.
    assert requests.get(presigned_get(scanner, bucket, key), timeout=10).content == b"hello"

    clean = {"TagSet": [{"Key": "verdict", "Value": "clean"}]}
    with pytest.raises(ClientError) as refused:
        downloads.put_object_tagging(Bucket=bucket, Key=key, Tagging=clean)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    assert requests.get(presigned_get(downloads, bucket, key), timeout=10).status_code == 403

    # as the workflow's TagVerdict does: the version it judged (s3:PutObjectVersionTagging)
    [version] = local_stack.client("s3").list_object_versions(Bucket=bucket, Prefix=key)["Versions"]
    workflow.put_object_tagging(Bucket=bucket, Key=key, VersionId=version["VersionId"], Tagging=clean)
    assert requests.get(presigned_get(downloads, bucket, key), timeout=10).content == b"hello"


def test_a_session_token_must_come_with_its_key(local_stack: LocalStack, stored: tuple[str, str]) -> None:
    session = role_session(local_stack, "-ScanUploadFunctionRole")
    without_token = s3_as(
        local_stack,
        aws_access_key_id=session["aws_access_key_id"],
        aws_secret_access_key=session["aws_secret_access_key"],
    )
    answer = requests.get(presigned_get(without_token, *stored), timeout=10)
    assert (answer.status_code, error_of(answer)["Code"]) == (400, "InvalidToken")
