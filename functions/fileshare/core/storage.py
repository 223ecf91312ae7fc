"""S3 adapter: presigned uploads and downloads, object streaming. The only module touching S3."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any, NamedTuple

from fileshare.core.aws import client

CHUNK_BYTES = 1024 * 1024


def _version(version_id: str | None) -> dict[str, str]:
    """The VersionId parameter for one exact version; none for an unversioned object ("null")."""
    return {"VersionId": version_id} if version_id and version_id != "null" else {}


class PresignedPost(NamedTuple):
    url: str
    fields: dict[str, str]


def presign_post(
    *, bucket: str, key: str, fields: dict[str, str], conditions: list[Any], expires_in: int
) -> PresignedPost:
    answer = client("s3").generate_presigned_post(
        Bucket=bucket, Key=key, Fields=fields, Conditions=conditions, ExpiresIn=expires_in
    )
    return PresignedPost(url=answer["url"], fields=answer["fields"])


def start_multipart(*, bucket: str, key: str, content_type: str, metadata: dict[str, str]) -> str:
    answer = client("s3").create_multipart_upload(Bucket=bucket, Key=key, ContentType=content_type, Metadata=metadata)
    return str(answer["UploadId"])


def presign_part(
    *, bucket: str, key: str, upload_id: str, part_number: int, content_length: int, expires_in: int
) -> str:
    """A presigned UploadPart PUT whose signature covers ``Content-Length``: S3 refuses any other size."""
    params = {
        "Bucket": bucket,
        "Key": key,
        "UploadId": upload_id,
        "PartNumber": part_number,
        "ContentLength": content_length,
    }
    url = client("s3").generate_presigned_url("upload_part", Params=params, ExpiresIn=expires_in, HttpMethod="PUT")
    return str(url)


def presign_multipart_call(*, operation: str, bucket: str, key: str, upload_id: str, expires_in: int) -> str:
    """A presigned URL for ``complete_multipart_upload`` (POST) or ``abort_multipart_upload`` (DELETE)."""
    method = {"complete_multipart_upload": "POST", "abort_multipart_upload": "DELETE"}[operation]
    return str(
        client("s3").generate_presigned_url(
            operation,
            Params={"Bucket": bucket, "Key": key, "UploadId": upload_id},
            ExpiresIn=expires_in,
            HttpMethod=method,
        )
    )


def presign_get(*, bucket: str, key: str, version_id: str, disposition: str, content_type: str, expires_in: int) -> str:
    params: dict[str, Any] = {
        "Bucket": bucket,
        "Key": key,
        "ResponseContentDisposition": disposition,
        "ResponseContentType": content_type,
        **_version(version_id),
    }
    return str(client("s3").generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in))


def head_object(*, bucket: str, key: str, version_id: str | None) -> dict[str, Any]:
    return dict(client("s3").head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED", **_version(version_id)))


def sha256_from_s3_checksum(checksum: str | None) -> str | None:
    """S3's own SHA-256 of the whole object (hex), when the upload provided one. Multipart
    checksums (``...-N``) are checksums of parts, not of the object, and are ignored."""
    if not checksum or "-" in checksum:
        return None
    return base64.b64decode(checksum).hex()


def iter_object(*, bucket: str, key: str, version_id: str | None, chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The object's bytes as a stream of chunks: memory stays at one chunk whatever the size."""
    body = client("s3").get_object(Bucket=bucket, Key=key, **_version(version_id))["Body"]
    try:
        yield from body.iter_chunks(chunk_size=chunk_bytes)
    finally:
        body.close()


def delete_all_versions(*, bucket: str, key: str) -> int:
    """Delete every version and delete marker stored at exactly ``key``; the number deleted."""
    s3 = client("s3")
    deleted = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=key):
        targets = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
            if v["Key"] == key
        ]
        for start in range(0, len(targets), 1000):
            batch = targets[start : start + 1000]
            answer = s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
            if answer.get("Errors"):
                raise RuntimeError(f"could not delete {len(answer['Errors'])} versions of {key}: {answer['Errors'][0]}")
            deleted += len(batch)
    return deleted
