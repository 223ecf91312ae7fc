"""Uploaders, no account: ``GET /public/requests/{token}``, ``POST .../unlock``, ``POST .../uploads``
(an upload ticket) and ``GET .../uploads/{fileId}`` (the verdict on a file they sent).

Every dead link (unknown, expired, closed, full) answers the same 404, as shares do. Nothing here
names the request's owner or shows any file but the ones uploaded through that request.
"""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.api.http import json_body, new_resolver
from fileshare.core import clock, config
from fileshare.core.commands import run_command
from fileshare.core.file_requests import (
    RequestLookup,
    TicketRequest,
    issue_ticket,
    public_view,
    unlock,
    uploaded_file,
    uploader_view,
)
from fileshare.core.lockout import PasswordPolicy
from fileshare.core.quota import QuotaLimits, window_start
from fileshare.core.store import IndexReader
from fileshare.core.uploads import UploadLimits
from fileshare.observability import logger, metrics, tracer


class Settings(NamedTuple):
    table_name: str
    uploads_bucket: str
    redeem_request_state_machine_arn: str
    max_upload_bytes: int
    single_post_max_bytes: int
    multipart_part_bytes: int
    max_bytes_stored: int
    max_uploads_per_hour: int
    password_max_attempts: int = 5
    password_lock_seconds: int = 900
    upload_url_ttl_seconds: int = 600
    multipart_url_ttl_seconds: int = 21600
    multipart_min_bytes_per_second: int = 512 * 1024


settings = config.load(Settings)
index = IndexReader(settings.table_name)
lookup = RequestLookup(index)
policy = PasswordPolicy(settings.password_max_attempts, settings.password_lock_seconds)
quota = QuotaLimits(max_bytes_stored=settings.max_bytes_stored, max_uploads_per_hour=settings.max_uploads_per_hour)
limits = UploadLimits(
    max_upload_bytes=settings.max_upload_bytes,
    single_post_max_bytes=settings.single_post_max_bytes,
    part_bytes=settings.multipart_part_bytes,
    post_ttl_seconds=settings.upload_url_ttl_seconds,
    multipart_ttl_seconds=settings.multipart_url_ttl_seconds,
    multipart_min_bytes_per_second=settings.multipart_min_bytes_per_second,
)
app = new_resolver()
run_redeem = partial(run_command, settings.redeem_request_state_machine_arn)


@app.get("/public/requests/<token>")
@tracer.capture_method
def describe_request(token: str) -> dict[str, Any]:
    return public_view(lookup.find(token, clock.now()))


@app.post("/public/requests/<token>/unlock")
@tracer.capture_method
def unlock_request(token: str) -> dict[str, Any]:
    body = json_body(app, "unlock.request")
    return unlock(lookup=lookup, run=run_redeem, token=token, password=body["password"], policy=policy, at=clock.now())


@app.post("/public/requests/<token>/uploads")
@tracer.capture_method(capture_response=False)
def create_upload(token: str) -> Response[dict[str, Any]]:
    body = json_body(app, "request-upload.request")
    now = clock.now()
    plan = issue_ticket(
        lookup=lookup,
        run=run_redeem,
        usage_of=lambda owner_id: index.usage(owner_id, since=window_start(now)),
        token=token,
        ticket=TicketRequest(
            name=body["name"],
            size=body["size"],
            content_type=body["contentType"],
            password=body.get("password"),
            uploader_name=body.get("uploaderName"),
        ),
        policy=policy,
        quota=quota,
        limits=limits,
        bucket=settings.uploads_bucket,
        at=now,
    )
    logger.append_keys(file_id=plan["fileId"])
    logger.info("request upload planned", extra={"method": plan["method"], "size": body["size"]})
    metrics.add_metric(name="RequestUploadsPlanned", unit="Count", value=1)
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=plan)


@app.get("/public/requests/<token>/uploads/<file_id>")
@tracer.capture_method
def upload_status(token: str, file_id: str) -> dict[str, Any]:
    return uploader_view(uploaded_file(lookup=lookup, token=token, file_id=file_id))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler(capture_response=False)  # answers hold presigned POST policies and URLs
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)


init_complete()
