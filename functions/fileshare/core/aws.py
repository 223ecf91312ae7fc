"""boto3 clients, created once per process and shared by the adapters.

Endpoints come from the standard ``AWS_ENDPOINT_URL*`` variables, so the same code talks to AWS or
to the local stack without a branch.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

# Eight attempts (standard mode: exponential backoff with jitter, capped at 20 s, and a retry quota
# per client): a workflow step rides out a burst of throttles or 500s instead of failing its Task,
# whose Retry list names only Lambda's own errors (docs/decisions.md).
_CONFIG = Config(retries={"mode": "standard", "max_attempts": 8}, signature_version="v4")
_S3_CONFIG = _CONFIG.merge(Config(signature_version="s3v4", s3={"addressing_style": "auto"}))


@cache
def client(service: str) -> Any:
    return boto3.client(service, config=_S3_CONFIG if service == "s3" else _CONFIG)
