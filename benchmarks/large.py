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


def compare(stack: StackProcess, account: Account, path: Path, rounds: int = 2) -> dict[str, Any]:
    """Both uploads, alternating, ``rounds`` times each; the fastest of each is compared (on a
    shared machine noise only ever slows a run). Then each large file's way through the pipeline
    (the stack is not stopped under a running workflow)."""
    plain: list[float] = []
    ours: list[float] = []
    file_ids: list[str] = []
    for _ in range(rounds):
        plain.append(boto3_upload(stack, path))
        spent, file_id = presigned_multipart(stack, account, path)
        ours.append(spent)
        file_ids.append(file_id)
    completed = time.perf_counter()
    statuses: list[str | None] = []
    for file_id in file_ids:
        try:
            statuses.append(
                wait_terminal(stack.client("dynamodb"), stack.table, file_id, timeout=PIPELINE_TIMEOUT_SECONDS)
            )
        except TimeoutError:
            statuses.append(None)
    status = statuses[0] if len(set(statuses)) == 1 else f"mixed: {statuses}"
    return {
        "bytes": path.stat().st_size,
        "rounds": rounds,
        "boto3_s": round(min(plain), 2),
        "presigned_s": round(min(ours), 2),
        "boto3_runs_s": [round(x, 2) for x in plain],
        "presigned_runs_s": [round(x, 2) for x in ours],
        "multipart_ratio": round(min(plain) / min(ours), 3),
        "status": status,
        "ready_s": round(time.perf_counter() - completed, 1) if status else None,
    }
