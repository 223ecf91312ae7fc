"""Planning a direct browser-to-S3 upload: a presigned POST, or presigned multipart above a limit.

The POST policy pins everything the browser must not choose: the exact key (a fresh file id under
the owner's prefix), the exact size, the Content-Type, and the owner/name/size metadata that the
workflow later checks against the key and the object. Multipart part URLs pin the same way what
they can: each signs its part's exact ``Content-Length``, so the parts add up to the declared size,
and all of them expire once the upload has had the time it needs.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import quote, unquote

from fileshare.core import clock, storage
from fileshare.core.errors import InvalidRequest, UploadTooLarge
from fileshare.core.keys import new_file_id, upload_key

MAX_PARTS = 10_000
MAX_POST_TTL_SECONDS = 900
MIN_MULTIPART_TTL_SECONDS = 900
# S3 caps user metadata at 2 KB; the percent-encoded name is the only unbounded part of it.
MAX_ENCODED_NAME = 1024

META_OWNER = "owner"
META_NAME = "name"
META_SIZE = "size"


class UploadLimits(NamedTuple):
    max_upload_bytes: int
    single_post_max_bytes: int
    part_bytes: int
    post_ttl_seconds: int
    multipart_ttl_seconds: int  # the longest a multipart plan may live
    multipart_min_bytes_per_second: int = 512 * 1024  # the slowest upload a plan allows time for


class UploadRequest(NamedTuple):
    name: str
    size: int
    content_type: str


def encode_name(name: str) -> str:
    return quote(name, safe="")


def decode_name(value: str) -> str:
    return unquote(value)


def metadata_for(owner_id: str, request: UploadRequest, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The metadata the plan pins; ``extra`` (a file request's id and uploader) is percent-encoded too."""
    metadata = {META_OWNER: owner_id, META_NAME: encode_name(request.name), META_SIZE: str(request.size)}
    metadata.update({k: encode_name(v) for k, v in (extra or {}).items()})
    return metadata


def post_conditions(key: str, request: UploadRequest, metadata: dict[str, str]) -> list[Any]:
    conditions: list[Any] = [
        {"key": key},
        ["content-length-range", request.size, request.size],
        {"Content-Type": request.content_type},
    ]
    conditions += [{f"x-amz-meta-{k}": v} for k, v in metadata.items()]
    return conditions


def part_size_for(size: int, preferred: int) -> int:
    """The smallest part size at least ``preferred`` that fits ``size`` into S3's 10,000 parts."""
    return max(preferred, math.ceil(size / MAX_PARTS))


def part_sizes(size: int, part_size: int) -> list[int]:
    """The exact size of each part: ``part_size`` bytes, the last one shorter."""
    count = max(1, math.ceil(size / part_size))
    return [part_size] * (count - 1) + [size - part_size * (count - 1)]


def multipart_ttl_for(size: int, limits: UploadLimits) -> int:
    """How long a multipart upload's URLs live: 15 minutes plus the time ``size`` bytes take at the
    slowest rate we allow for, never more than the configured maximum."""
    needed = MIN_MULTIPART_TTL_SECONDS + math.ceil(size / limits.multipart_min_bytes_per_second)
    return min(needed, limits.multipart_ttl_seconds)


def check_request(request: UploadRequest, limits: UploadLimits) -> None:
    """Refuse what no plan may carry: a file over the size limit, a name S3 metadata cannot hold."""
    if request.size > limits.max_upload_bytes:
        raise UploadTooLarge(
            f"the file is {request.size} bytes; the largest upload allowed is {limits.max_upload_bytes} bytes"
        )
    if len(encode_name(request.name)) > MAX_ENCODED_NAME:
        raise InvalidRequest("the file name is too long", code="name_too_long")


def plan_upload(
    *,
    owner_id: str,
    request: UploadRequest,
    bucket: str,
    limits: UploadLimits,
    at: datetime | None = None,
    extra_metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    check_request(request, limits)
    moment = at or clock.now()
    file_id = new_file_id()
    key = str(upload_key(owner_id, file_id))
    metadata = metadata_for(owner_id, request, extra_metadata)

    if request.size <= limits.single_post_max_bytes:
        ttl = min(limits.post_ttl_seconds, MAX_POST_TTL_SECONDS)
        fields = {"Content-Type": request.content_type, **{f"x-amz-meta-{k}": v for k, v in metadata.items()}}
        post = storage.presign_post(
            bucket=bucket,
            key=key,
            fields=fields,
            conditions=post_conditions(key, request, metadata),
            expires_in=ttl,
        )
        return {
            "fileId": file_id,
            "method": "POST",
            "url": post.url,
            "fields": post.fields,
            "expiresAt": clock.to_iso(clock.later(moment, ttl)),
        }

    ttl = multipart_ttl_for(request.size, limits)
    part_size = part_size_for(request.size, limits.part_bytes)
    upload_id = storage.start_multipart(bucket=bucket, key=key, content_type=request.content_type, metadata=metadata)
    parts = [
        {
            "partNumber": n,
            "size": length,
            "url": storage.presign_part(
                bucket=bucket, key=key, upload_id=upload_id, part_number=n, content_length=length, expires_in=ttl
            ),
        }
        for n, length in enumerate(part_sizes(request.size, part_size), start=1)
    ]
    return {
        "fileId": file_id,
        "method": "MULTIPART",
        "uploadId": upload_id,
        "partSize": part_size,
        "parts": parts,
        "completeUrl": storage.presign_multipart_call(
            operation="complete_multipart_upload", bucket=bucket, key=key, upload_id=upload_id, expires_in=ttl
        ),
        "abortUrl": storage.presign_multipart_call(
            operation="abort_multipart_upload", bucket=bucket, key=key, upload_id=upload_id, expires_in=ttl
        ),
        "expiresAt": clock.to_iso(clock.later(moment, ttl)),
    }
