"""Workflow step: mint a token, for a share link (the upload workflow's default link or a
create-share command) or, with ``kind: "request"``, for a file request (the create-request command).

Returns the record (token hash and KMS ciphertext only) in attribute-value form for the
``Store…`` state; for a create-share command (``maxShares`` given) also ``transactItems``, the one
transaction that claims every file of the link and stores it. The plaintext token never leaves this
process.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.core import config
from fileshare.core.file_requests import mint_request
from fileshare.core.records import create_share_transaction
from fileshare.core.shares import mint_share
from fileshare.core.store import to_attribute_values
from fileshare.observability import logger, tracer


class Settings(NamedTuple):
    token_key_id: str
    share_default_ttl_seconds: int
    table_name: str


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
    """Input: ``fileId`` (a file's link) or ``fileIds`` and ``ownerId`` (a link to several files),
    and the options ``ttlSeconds``, ``fileExpiresAt``, ``maxDownloads``, ``passwordHash``, ``maxShares``."""
    if event.get("kind") == "request":
        return mint_file_request(event)
    file_id = event.get("fileId")
    if file_id is not None:
        logger.append_keys(file_id=file_id)
    share = mint_share(
        file_id=file_id,
        file_ids=event.get("fileIds", ()),
        owner_id=event.get("ownerId"),
        key_id=settings.token_key_id,
        ttl_seconds=int(event.get("ttlSeconds") or settings.share_default_ttl_seconds),
        file_expires_at=event.get("fileExpiresAt"),
        max_downloads=event.get("maxDownloads"),
        password_hash=event.get("passwordHash"),
    )
    logger.info("share minted", extra={"share_id": share.share_id, "files": len(share.files)})
    item = to_attribute_values(share.to_item())
    answer: dict[str, Any] = {
        "shareId": share.share_id,
        "expiresAt": share.expires_at,
        "passwordProtected": share.password_hash is not None,
        "fileIds": list(share.files),
        "item": item,
    }
    if "maxShares" in event:
        answer["transactItems"] = create_share_transaction(
            table_name=settings.table_name,
            share_item=item,
            file_ids=share.files,
            owner_id=event["ownerId"],
            max_shares=int(event["maxShares"]),
        )
    return answer


init_complete()
