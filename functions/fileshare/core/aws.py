"""boto3 clients, created once per process and shared by the adapters.

Endpoints come from the standard ``AWS_ENDPOINT_URL*`` variables, so the same code talks to AWS or
to the local stack without a branch.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, signature_version="v4")
_S3_CONFIG = _CONFIG.merge(Config(signature_version="s3v4", s3={"addressing_style": "auto"}))


@cache
def client(service: str) -> Any:
    return boto3.client(service, config=_S3_CONFIG if service == "s3" else _CONFIG)
