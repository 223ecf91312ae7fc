"""Owner commands: create a link (to one file or to several), revoke a link, email a link, delete a
file, change email settings, create and close a file request; and the list of an owner's links to
several files. Each command runs as a synchronous Express workflow; this function only reads (to
authorize and to answer) and starts them."""

from __future__ import annotations

from typing import Any, NamedTuple

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.api.http import caller_id, json_body, new_resolver, page_size
from fileshare.core import clock, config
from fileshare.core.commands import CommandFailed, run_command
from fileshare.core.errors import Conflict, NotFound
from fileshare.core.file_requests import RequestLimits, create_request_input
from fileshare.core.file_requests import owner_view as request_view
from fileshare.core.ownership import owned_file, owned_files, owned_link, owned_request, owned_share
from fileshare.core.records import FileRecord, RequestRecord, ShareRecord
from fileshare.core.share_emails import RateWindow, rate_exceeded, recipients, send_share_email_input, share_not_live
from fileshare.core.shares import (
    ShareLimits,
    create_share_input,
    decrypt_live_tokens,
    owner_view,
    present_files,
    share_limit_reached,
)
from fileshare.core.store import IndexReader, from_attribute_values
from fileshare.observability import logger, metrics, tracer


class Settings(NamedTuple):
    table_name: str
    app_url: str
    uploads_bucket: str
    create_share_state_machine_arn: str
    revoke_share_state_machine_arn: str
    delete_file_state_machine_arn: str
    send_share_email_state_machine_arn: str
    update_notifications_state_machine_arn: str
    max_share_emails_per_hour: int
    sends_mail: bool
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


def _create(records: list[FileRecord], body: dict[str, Any]) -> Response[dict[str, Any]]:
    """Run create-share for a file's link or a link to several files; 201 with the owner's view."""
    try:
        created = run_command(settings.create_share_state_machine_arn, create_share_input(records, body, limits))
    except CommandFailed as failed:
        if failed.error == "ShareLimitReached":  # a file reached its limit (or changed) since it was read
            raise share_limit_reached(limits, "One of the files" if len(records) > 1 else None) from failed
        logger.error("create share failed", extra={"execution": failed.execution_arn, "error": failed.error})
        raise
    share = ShareRecord.from_item(from_attribute_values(created["item"]))
    metrics.add_metric(name="SharesCreated", unit="Count", value=1)
    return Response(201, content_types.APPLICATION_JSON, owner_view(share, app_url=settings.app_url, files=records))


def _revoke(share: ShareRecord, owner_id: str, not_found: str) -> Response[str]:
    logger.append_keys(share_id=share.share_id)
    try:
        run_command(
            settings.revoke_share_state_machine_arn,
            {
                "ownerId": owner_id,
                "shareId": share.share_id,
                "tokenHash": share.token_hash,
                "fileIds": list(share.files),
            },
        )
    except CommandFailed as failed:
        if failed.error == "ShareNotFound":
            raise NotFound(not_found) from failed
        raise
    return Response(204, content_types.APPLICATION_JSON, "")


@app.post("/files/<file_id>/shares")
@tracer.capture_method(capture_response=False)
def create_share(file_id: str) -> Response[dict[str, Any]]:
    owner_id = caller_id(app)
    body = json_body(app, "create-share.request")
    record = owned_file(index, file_id, owner_id)
    logger.append_keys(file_id=file_id)
    return _create([record], body)


@app.delete("/files/<file_id>/shares/<share_id>")
@tracer.capture_method
def revoke_share(file_id: str, share_id: str) -> Response[str]:
    record = owned_file(index, file_id, caller_id(app))
    share = owned_share(index, record, share_id)
    logger.append_keys(file_id=file_id)
    return _revoke(share, record.owner_id, "no such share")


@app.post("/shares")
@tracer.capture_method(capture_response=False)
def create_link() -> Response[dict[str, Any]]:
    """One link to several of the caller's READY files (``create-link.request``: 2 to 50 distinct ids)."""
    owner_id = caller_id(app)
    body = json_body(app, "create-link.request")
    records = owned_files(index, body["fileIds"], owner_id)
    options = {k: v for k, v in body.items() if k != "fileIds"}
    return _create(records, options)


@app.get("/shares")
@tracer.capture_method(capture_response=False)
def list_links() -> dict[str, Any]:
    """The caller's links to several files, newest first, each with the files it still serves."""
    owner_id = caller_id(app)
    limit = page_size(app.current_event.get_query_string_value("limit"))
    next_token = app.current_event.get_query_string_value("nextToken")
    links, token = index.list_links(owner_id, limit=limit, next_token=next_token)
    now = clock.now()
    decrypt_live_tokens(links)
    items = [
        owner_view(link, app_url=settings.app_url, files=present_files(link, index.get_files(link.file_ids), now))
        for link in links
    ]
    answer: dict[str, Any] = {"items": items}
    if token:
        answer["nextToken"] = token
    return answer


@app.delete("/shares/<share_id>")
@tracer.capture_method
def revoke_link(share_id: str) -> Response[str]:
    owner_id = caller_id(app)
    return _revoke(owned_link(index, owner_id, share_id), owner_id, "no such link")


@app.post("/files/<file_id>/shares/<share_id>/emails")
@tracer.capture_method
def email_share(file_id: str, share_id: str) -> Response[dict[str, Any]]:
    """Send a link to up to 10 addresses: counted against the caller's hourly allowance by the
    send-share-email workflow, which hands the request to the mailer through the app bus."""
    owner_id = caller_id(app)
    if not settings.sends_mail:
        raise Conflict("This deployment sends no email (its MailFromAddress is not set).", code="mail_not_configured")
    body = json_body(app, "share-email.request")
    to = recipients(body["to"])
    record = owned_file(index, file_id, owner_id)
    share = owned_share(index, record, share_id)
    logger.append_keys(file_id=file_id, share_id=share_id)
    at = clock.now()
    limit = settings.max_share_emails_per_hour
    payload = send_share_email_input(record=record, share=share, to=to, message=body.get("message"), limit=limit, at=at)
    try:
        counted = run_command(settings.send_share_email_state_machine_arn, payload)
    except CommandFailed as failed:
        if failed.error == "RateLimited":
            raise rate_exceeded(limit, RateWindow.at(at), clock.now()) from failed
        if failed.error == "ShareNotLive":
            raise share_not_live() from failed
        if failed.error == "FileNotFound":
            raise NotFound("no such file") from failed
        raise
    metrics.add_metric(name="ShareEmailsRequested", unit="Count", value=len(to))
    remaining = max(0, limit - int(counted["recipients"]))
    return Response(202, content_types.APPLICATION_JSON, {"recipients": to, "remainingThisHour": remaining})


@app.put("/me/notifications")
@tracer.capture_method
def put_notifications() -> dict[str, Any]:
    """Turn the caller's email notifications on or off (stored by the update-notifications workflow)."""
    owner_id = caller_id(app)
    body = json_body(app, "notifications")
    return run_command(
        settings.update_notifications_state_machine_arn,
        {"ownerId": owner_id, "uploadProblems": body["uploadProblems"]},
    )


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


init_complete()
