"""``POST /uploads``: plan a direct browser-to-S3 upload within the owner's quotas. Reads the owner's
usage, writes no state."""

from __future__ import annotations

from typing import Any, NamedTuple

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.api.http import caller_id, json_body, new_resolver
from fileshare.core import clock, config
from fileshare.core.quota import QuotaLimits, check_new_upload, window_start
from fileshare.core.store import IndexReader
from fileshare.core.uploads import UploadLimits, UploadRequest, check_request, plan_upload
from fileshare.observability import logger, metrics, tracer


class Settings(NamedTuple):
    uploads_bucket: str
    table_name: str
    max_upload_bytes: int
    single_post_max_bytes: int
    multipart_part_bytes: int
    max_bytes_stored: int
    max_uploads_per_hour: int
    upload_url_ttl_seconds: int = 600
    multipart_url_ttl_seconds: int = 21600
    multipart_min_bytes_per_second: int = 512 * 1024


settings = config.load(Settings)
limits = UploadLimits(
    max_upload_bytes=settings.max_upload_bytes,
    single_post_max_bytes=settings.single_post_max_bytes,
    part_bytes=settings.multipart_part_bytes,
    post_ttl_seconds=settings.upload_url_ttl_seconds,
    multipart_ttl_seconds=settings.multipart_url_ttl_seconds,
    multipart_min_bytes_per_second=settings.multipart_min_bytes_per_second,
)
quota = QuotaLimits(max_bytes_stored=settings.max_bytes_stored, max_uploads_per_hour=settings.max_uploads_per_hour)
index = IndexReader(settings.table_name)
app = new_resolver()


@app.post("/uploads")
@tracer.capture_method(capture_response=False)
def create_upload() -> Response[dict[str, Any]]:
    owner_id = caller_id(app)
    body = json_body(app, "create-upload.request")
    request = UploadRequest(name=body["name"], size=body["size"], content_type=body["contentType"])
    now = clock.now()
    check_request(request, limits)
    check_new_upload(index.usage(owner_id, since=window_start(now)), quota, request.size, now)
    plan = plan_upload(owner_id=owner_id, request=request, bucket=settings.uploads_bucket, limits=limits, at=now)
    logger.append_keys(file_id=plan["fileId"])
    logger.info("upload planned", extra={"method": plan["method"], "size": request.size})
    metrics.add_metric(name="UploadsPlanned", unit="Count", value=1)
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=plan)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler(capture_response=False)  # answers hold presigned POST policies and URLs
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)


init_complete()
