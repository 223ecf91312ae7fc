"""The S3 front's bucket-policy evaluator follows IAM's rules for the operators it knows, and
refuses to start on a policy it cannot evaluate rather than skip a statement."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from devstack.s3_front import BucketPolicy

READER = "arn:aws:iam::123456789012:role/reader"
OTHER = "arn:aws:iam::123456789012:role/other"
DENY_UNLESS_CLEAN = {
    "Effect": "Deny",
    "Principal": "*",
    "Action": ["s3:GetObject", "s3:GetObjectVersion"],
    "Resource": "arn:aws:s3:::bucket/*",
    "Condition": {
        "StringNotEquals": {"s3:ExistingObjectTag/verdict": "clean"},
        "ArnNotEquals": {"aws:PrincipalArn": [READER, "arn:aws:iam::123456789012:role/scanner-*"]},
    },
}
TLS_ONLY = {
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": "arn:aws:s3:::bucket/*",
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}


def context(**values: str) -> Callable[[str], str | None]:
    names = {"principal": "aws:PrincipalArn", "verdict": "s3:ExistingObjectTag/verdict", "tls": "aws:SecureTransport"}
    known = {names[k]: v for k, v in values.items()}
    return known.get


def test_a_deny_applies_only_when_every_condition_holds() -> None:
    policy = BucketPolicy({"Statement": [DENY_UNLESS_CLEAN]})
    resource = "arn:aws:s3:::bucket/uploads/a"
    assert policy.denies("s3:GetObject", resource, context(principal=OTHER))  # no tag: not clean
    assert policy.denies("s3:GetObjectVersion", resource, context(principal=OTHER, verdict="infected"))
    assert not policy.denies("s3:GetObject", resource, context(principal=OTHER, verdict="clean"))
    assert not policy.denies("s3:GetObject", resource, context(principal=READER))
    assert not policy.denies("s3:GetObject", resource, context(principal=OTHER[:-5] + "scanner-1"))
    assert not policy.denies("s3:PutObject", resource, context(principal=OTHER))
    assert not policy.denies("s3:GetObject", "arn:aws:s3:::another/uploads/a", context(principal=OTHER))


def test_a_key_the_request_lacks_never_matches_bool() -> None:
    policy = BucketPolicy({"Statement": [TLS_ONLY]})
    assert not policy.denies("s3:GetObject", "arn:aws:s3:::bucket/a", context(principal=OTHER))
    assert policy.denies("s3:GetObject", "arn:aws:s3:::bucket/a", context(principal=OTHER, tls="false"))


def test_a_policy_the_evaluator_cannot_read_stops_the_start() -> None:
    like = {**DENY_UNLESS_CLEAN, "Condition": {"StringLike": {"s3:ExistingObjectTag/verdict": "c*"}}}
    with pytest.raises(ValueError, match="StringLike"):
        BucketPolicy({"Statement": [like]})
    with pytest.raises(ValueError, match="NotAction"):
        BucketPolicy({"Statement": [{**TLS_ONLY, "NotAction": "s3:GetObject"}]})
