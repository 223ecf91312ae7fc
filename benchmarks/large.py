"""A large upload through the plan ``POST /uploads`` answers (presigned part URLs, sent as the
terminal client sends them), against a plain boto3 ``upload_file`` of the same file to the same
S3 endpoint."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import requests
from boto3.s3.transfer import TransferConfig

from benchmarks.client import Account, StackProcess, wait_terminal
from fileshare_cli.transfer import PARALLEL_PARTS, FileSlice

PIPELINE_TIMEOUT_SECONDS = 300.0


def presigned_multipart(stack: StackProcess, account: Account, path: Path) -> tuple[float, str]:
    size = path.stat().st_size
    http = requests.Session()
    began = time.perf_counter()
    plan = http.post(
        f"{stack.api_url}/uploads",
        headers=account.headers,
        json={"name": "large.bin", "size": size, "contentType": "application/octet-stream"},
        timeout=60,
    ).json()
    if plan.get("method") != "MULTIPART":
        raise RuntimeError(f"expected a multipart plan for {size} bytes: {plan}")
    part_size = int(plan["partSize"])
    never = threading.Event()

    def put(part: dict[str, Any]) -> tuple[int, str]:
        number = int(part["partNumber"])
        offset = (number - 1) * part_size
        body = FileSlice(path, offset, min(part_size, size - offset), advance=lambda _: None, cancelled=never)
        answer = http.put(part["url"], data=body, timeout=600)
        answer.raise_for_status()
        return number, answer.headers["ETag"]

    with ThreadPoolExecutor(max_workers=PARALLEL_PARTS) as pool:
        etags = dict(pool.map(put, plan["parts"]))
    xml = (
        "<CompleteMultipartUpload>"
        + "".join(f"<Part><PartNumber>{n}</PartNumber><ETag>{escape(etags[n])}</ETag></Part>" for n in sorted(etags))
        + "</CompleteMultipartUpload>"
    )
    done = http.post(plan["completeUrl"], data=xml.encode(), headers={"Content-Type": "application/xml"}, timeout=600)
    if done.status_code != 200 or b"<Error>" in done.content:
        raise RuntimeError(f"CompleteMultipartUpload failed: {done.text[:300]}")
    return time.perf_counter() - began, str(plan["fileId"])


def boto3_upload(stack: StackProcess, path: Path) -> float:
    s3 = stack.client("s3")
    key = f"bench/{uuid.uuid4().hex}"  # outside uploads/: no workflow runs for it
    began = time.perf_counter()
    s3.upload_file(str(path), stack.bucket, key, Config=TransferConfig())
    spent = time.perf_counter() - began
    s3.delete_object(Bucket=stack.bucket, Key=key)
    return spent


def compare(stack: StackProcess, account: Account, path: Path) -> dict[str, Any]:
    """Both uploads, then the large file's way through the pipeline (the stack is not stopped
    under a running workflow)."""
    plain = boto3_upload(stack, path)
    ours, file_id = presigned_multipart(stack, account, path)
    completed = time.perf_counter()
    try:
        status: str | None = wait_terminal(
            stack.client("dynamodb"), stack.table, file_id, timeout=PIPELINE_TIMEOUT_SECONDS
        )
    except TimeoutError:
        status = None
    return {
        "bytes": path.stat().st_size,
        "boto3_s": round(plain, 2),
        "presigned_s": round(ours, 2),
        "multipart_ratio": round(plain / ours, 3),
        "status": status,
        "ready_s": round(time.perf_counter() - completed, 1) if status else None,
    }
