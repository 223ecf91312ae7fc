"""``GET /files`` and ``GET /files/{fileId}``: an owner's own files, with their share links;
``GET /requests`` and ``GET /requests/{requestId}``: the owner's file requests and what arrived
through each; ``GET /me``: the owner's usage and limits."""

from __future__ import annotations

from typing import Any, NamedTuple

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.api.http import caller_id, new_resolver, page_size
from fileshare.core import clock, config
from fileshare.core.file_requests import owner_view as request_view
from fileshare.core.ownership import owned_file, owned_request
from fileshare.core.quota import window_start
from fileshare.core.shares import file_view, file_views
from fileshare.core.store import IndexReader, list_downloads
from fileshare.observability import logger, tracer


class Settings(NamedTuple):
    table_name: str
    app_url: str
    max_bytes_stored: int
    max_uploads_per_hour: int
    max_upload_bytes: int
    max_shares_per_file: int


settings = config.load(Settings)
index = IndexReader(settings.table_name)
app = new_resolver()


@app.get("/files")
@tracer.capture_method(capture_response=False)
def list_files() -> dict[str, Any]:
    owner_id = caller_id(app)
    limit = page_size(app.current_event.get_query_string_value("limit"))
    next_token = app.current_event.get_query_string_value("nextToken")
    records, token = index.list_files(owner_id, limit=limit, next_token=next_token)
    answer: dict[str, Any] = {"items": file_views(records, index.list_shares_of(records), app_url=settings.app_url)}
    if token:
        answer["nextToken"] = token
    return answer


@app.get("/files/<file_id>")
@tracer.capture_method(capture_response=False)
def get_file(file_id: str) -> dict[str, Any]:
    logger.append_keys(file_id=file_id)
    record = owned_file(index, file_id, caller_id(app))
    return file_view(record, index.list_shares(file_id), app_url=settings.app_url)


@app.get("/files/<file_id>/downloads")
@tracer.capture_method
def list_file_downloads(file_id: str) -> dict[str, Any]:
    """The download audit of one of the caller's files, newest first."""
    record = owned_file(index, file_id, caller_id(app))
    limit = page_size(app.current_event.get_query_string_value("limit"))
    return {"items": [d.to_view() for d in list_downloads(settings.table_name, record.file_id, limit=limit)]}


@app.get("/requests")
@tracer.capture_method(capture_response=False)
def list_requests() -> dict[str, Any]:
    """The caller's file requests, newest first, each with the files it received."""
    owner_id = caller_id(app)
    limit = page_size(app.current_event.get_query_string_value("limit"))
    next_token = app.current_event.get_query_string_value("nextToken")
    requests, token = index.list_requests(owner_id, limit=limit, next_token=next_token)
    now = clock.now()
    items = [
        request_view(r, index.request_with_files(r.request_id)[1], app_url=settings.app_url, at=now) for r in requests
    ]
    answer: dict[str, Any] = {"items": items}
    if token:
        answer["nextToken"] = token
    return answer


@app.get("/requests/<request_id>")
@tracer.capture_method(capture_response=False)
def get_request(request_id: str) -> dict[str, Any]:
    request, files = owned_request(index, request_id, caller_id(app))
    return request_view(request, files, app_url=settings.app_url, at=clock.now())


@app.get("/me")
@tracer.capture_method
def me() -> dict[str, Any]:
    """What the caller uses of their quotas, the limits that apply to them, and their email settings."""
    owner_id = caller_id(app)
    usage = index.usage(owner_id, since=window_start(clock.now()))
    return {
        "usage": usage.to_view(),
        "notifications": index.notifications(owner_id),
        "limits": {
            "maxBytesStored": settings.max_bytes_stored,
            "maxUploadsPerHour": settings.max_uploads_per_hour,
            "maxUploadBytes": settings.max_upload_bytes,
            "maxSharesPerFile": settings.max_shares_per_file,
        },
    }


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler(capture_response=False)  # answers hold share and request links
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)


init_complete()
