"""Owner commands: create a link, revoke a link, delete a file, create and close a file request.
Each runs as a synchronous Express workflow; this function only reads (to authorize) and starts them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare.api.http import caller_id, json_body, new_resolver
from fileshare.core import clock, config
from fileshare.core.commands import CommandFailed, run_command
from fileshare.core.errors import Conflict, NotFound
from fileshare.core.file_requests import RequestLimits, create_request_input
from fileshare.core.file_requests import owner_view as request_view
from fileshare.core.ownership import owned_file, owned_request, owned_share
from fileshare.core.records import RequestRecord, ShareRecord
from fileshare.core.shares import ShareLimits, create_share_input, owner_view, share_limit_reached
from fileshare.core.store import IndexReader, from_attribute_values
from fileshare.observability import logger, metrics, tracer


@dataclass(frozen=True)
class Settings:
    table_name: str
    app_url: str
    uploads_bucket: str
    create_share_state_machine_arn: str
    revoke_share_state_machine_arn: str
    delete_file_state_machine_arn: str
    share_default_ttl_seconds: int
    share_max_ttl_seconds: int
    max_shares_per_file: int
    create_request_state_machine_arn: str
    close_request_state_machine_arn: str
    max_upload_bytes: int


settings = config.load(Settings)
limits = ShareLimits(settings.share_default_ttl_seconds, settings.share_max_ttl_seconds, settings.max_shares_per_file)
request_limits = RequestLimits(
    settings.share_default_ttl_seconds, settings.share_max_ttl_seconds, settings.max_upload_bytes
)
index = IndexReader(settings.table_name)
app = new_resolver()


@app.post("/files/<file_id>/shares")
@tracer.capture_method(capture_response=False)
def create_share(file_id: str) -> Response[dict[str, Any]]:
    owner_id = caller_id(app)
    body = json_body(app, "create-share.request")
    record = owned_file(index, file_id, owner_id)
    logger.append_keys(file_id=file_id)
    try:
        created = run_command(settings.create_share_state_machine_arn, create_share_input(record, body, limits))
    except CommandFailed as failed:
        if failed.error == "ShareLimitReached":
            raise share_limit_reached(limits) from failed
        logger.error("create share failed", extra={"execution": failed.execution_arn, "error": failed.error})
        raise
    share = ShareRecord.from_item(from_attribute_values(created["item"]))
    metrics.add_metric(name="SharesCreated", unit="Count", value=1)
    return Response(201, content_types.APPLICATION_JSON, owner_view(share, app_url=settings.app_url))


@app.delete("/files/<file_id>/shares/<share_id>")
@tracer.capture_method
def revoke_share(file_id: str, share_id: str) -> Response[str]:
    record = owned_file(index, file_id, caller_id(app))
    share = owned_share(index, record, share_id)
    logger.append_keys(file_id=file_id, share_id=share_id)
    try:
        run_command(
            settings.revoke_share_state_machine_arn,
            {"fileId": file_id, "ownerId": record.owner_id, "shareId": share_id, "tokenHash": share.token_hash},
        )
    except CommandFailed as failed:
        if failed.error == "ShareNotFound":
            raise NotFound("no such share") from failed
        raise
    return Response(204, content_types.APPLICATION_JSON, "")


@app.delete("/files/<file_id>")
@tracer.capture_method
def delete_file(file_id: str) -> Response[str]:
    record = owned_file(index, file_id, caller_id(app))
    if record.status == "PROCESSING" and not record.is_stuck(clock.now()):
        raise Conflict(
            "The file is still being processed; delete it when it is done"
            + (
                f" or after {record.processing_deadline}, when it counts as stuck."
                if record.processing_deadline
                else "."
            ),
            code="file_processing",
        )
    logger.append_keys(file_id=file_id)
    try:
        run_command(
            settings.delete_file_state_machine_arn,
            {
                "fileId": file_id,
                "ownerId": record.owner_id,
                "bucket": settings.uploads_bucket,
                "key": record.object_key,
                "storedBytes": record.stored_bytes,
            },
        )
    except CommandFailed as failed:
        if failed.error == "FileNotFound":
            raise NotFound("no such file") from failed
        raise
    metrics.add_metric(name="FilesDeleted", unit="Count", value=1)
    return Response(204, content_types.APPLICATION_JSON, "")


@app.post("/requests")
@tracer.capture_method(capture_response=False)
def create_request() -> Response[dict[str, Any]]:
    owner_id = caller_id(app)
    body = json_body(app, "create-request.request")
    created = run_command(
        settings.create_request_state_machine_arn, create_request_input(owner_id, body, request_limits)
    )
    request = RequestRecord.from_item(from_attribute_values(created["item"]))
    logger.append_keys(request_id=request.request_id)
    metrics.add_metric(name="RequestsCreated", unit="Count", value=1)
    return Response(
        201, content_types.APPLICATION_JSON, request_view(request, [], app_url=settings.app_url, at=clock.now())
    )


@app.delete("/requests/<request_id>")
@tracer.capture_method
def close_request(request_id: str) -> Response[str]:
    """The link stops accepting uploads at once; the files it received stay."""
    request, _ = owned_request(index, request_id, caller_id(app))
    logger.append_keys(request_id=request_id)
    if not request.closed:
        try:
            run_command(
                settings.close_request_state_machine_arn,
                {"tokenHash": request.token_hash, "requestId": request_id, "ownerId": request.owner_id},
            )
        except CommandFailed as failed:
            if failed.error == "RequestNotFound":
                raise NotFound("no such request") from failed
            raise
    return Response(204, content_types.APPLICATION_JSON, "")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler(capture_response=False)  # answers hold share and request links
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
