"""Workflow step: mint a token, for a share link (the upload workflow's default link or a
create-share command) or, with ``kind: "request"``, for a file request (the create-request command).

Returns the record (token hash and KMS ciphertext only) in attribute-value form for the ``Store…``
state; the plaintext token never leaves this process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare.core import config
from fileshare.core.file_requests import mint_request
from fileshare.core.shares import mint_share
from fileshare.core.store import to_attribute_values
from fileshare.observability import logger, tracer


@dataclass(frozen=True)
class Settings:
    token_key_id: str
    share_default_ttl_seconds: int


settings = config.load(Settings)


def mint_file_request(event: dict[str, Any]) -> dict[str, Any]:
    request = mint_request(
        owner_id=event["ownerId"],
        title=event["title"],
        key_id=settings.token_key_id,
        ttl_seconds=int(event["ttlSeconds"]),
        max_bytes=int(event["maxBytes"]),
        max_files=event.get("maxFiles"),
        password_hash=event.get("passwordHash"),
    )
    logger.info("request minted", extra={"request_id": request.request_id})
    return {
        "requestId": request.request_id,
        "expiresAt": request.expires_at,
        "item": to_attribute_values(request.to_item()),
    }


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if event.get("kind") == "request":
        return mint_file_request(event)
    file_id = event["fileId"]
    logger.append_keys(file_id=file_id)
    share = mint_share(
        file_id=file_id,
        key_id=settings.token_key_id,
        ttl_seconds=int(event.get("ttlSeconds") or settings.share_default_ttl_seconds),
        file_expires_at=event.get("fileExpiresAt"),
        max_downloads=event.get("maxDownloads"),
        password_hash=event.get("passwordHash"),
    )
    logger.info("share minted", extra={"share_id": share.share_id})
    return {
        "shareId": share.share_id,
        "expiresAt": share.expires_at,
        "passwordProtected": share.password_hash is not None,
        "item": to_attribute_values(share.to_item()),
    }
