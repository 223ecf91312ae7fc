"""The HTTP API under the bench: a burst of redemptions of one link, and listing an owner's files."""

from __future__ import annotations

import base64
import hashlib
import secrets
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from benchmarks.client import Account, StackProcess, percentile
from benchmarks.cpu import difference

ALLOWED_DOWNLOADS = 5


def burst_redeem(stack: StackProcess, account: Account, file_id: str, clients: int) -> dict[str, Any]:
    """``clients`` people redeem one link with a download limit at the same instant."""
    created = requests.post(
        f"{stack.api_url}/files/{file_id}/shares",
        headers=account.headers,
        json={"maxDownloads": ALLOWED_DOWNLOADS},
        timeout=60,
    )
    created.raise_for_status()
    token = created.json()["token"]
    start = threading.Barrier(clients)

    def redeem() -> tuple[int, float]:
        http = requests.Session()
        start.wait()
        began = time.perf_counter()
        answer = http.post(f"{stack.api_url}/public/shares/{token}/download", json={}, timeout=60)
        return answer.status_code, time.perf_counter() - began

    before = stack.cpu()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(lambda _: redeem(), range(clients)))
    spent = difference(stack.cpu(), before)
    seconds = [s for _, s in results]
    return {
        "clients": clients,
        "allowed": ALLOWED_DOWNLOADS,
        "succeeded": sum(1 for status, _ in results if status == 200),
        "refused": sum(1 for status, _ in results if status == 404),
        "other": sorted({status for status, _ in results if status not in (200, 404)}),
        "p50_s": round(statistics.median(seconds), 3),
        "p99_s": round(percentile(seconds, 0.99), 3),
        "cpu_ms_per_redemption": {k: round(v * 1000 / clients, 1) for k, v in spent.items() if v > 0},
    }


def seed_files(stack: StackProcess, account: Account, template_file_id: str, count: int) -> None:
    """``count`` more READY files for ``account``, each with one live link: copies of one file the
    pipeline made, with fresh ids, times and tokens (encrypted under the stack's key with each
    share's own context, as ``MintShareToken`` does). Written straight into the table: a thousand
    files through the pipeline would time the pipeline again, not the listing."""
    ddb, kms = stack.client("dynamodb"), stack.client("kms")
    key = {"pk": {"S": f"FILE#{template_file_id}"}, "sk": {"S": "FILE"}}
    file_item = ddb.get_item(TableName=stack.table, Key=key)["Item"]
    share_item = ddb.query(
        TableName=stack.table,
        IndexName="gsi1",
        KeyConditionExpression="gsi1pk = :pk AND begins_with(gsi1sk, :s)",
        ExpressionAttributeValues={":pk": {"S": f"FILE#{template_file_id}"}, ":s": {"S": "SHARE#"}},
    )["Items"][0]
    key_id = stack.functions["MintShareFunction"]["env"]["TOKEN_KEY_ID"]
    base = datetime.now(UTC) - timedelta(days=1)

    def one(n: int) -> None:
        file_id, share_id = uuid.uuid4().hex, uuid.uuid4().hex
        at = (base + timedelta(milliseconds=n)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        token = secrets.token_urlsafe(32)
        ciphertext = kms.encrypt(
            KeyId=key_id, Plaintext=token.encode(), EncryptionContext={"fileId": file_id, "shareId": share_id}
        )["CiphertextBlob"]
        item = dict(file_item)
        item.update(
            pk={"S": f"FILE#{file_id}"},
            fileId={"S": file_id},
            createdAt={"S": at},
            gsi1sk={"S": f"{at}#{file_id}"},
            objectKey={"S": f"uploads/{account.sub}/{file_id}"},
        )
        for gone in ("gsi2pk", "gsi2sk"):  # the sweep need not see the copies
            item.pop(gone, None)
        share_pk = f"SHARE#{hashlib.sha256(token.encode()).hexdigest()}"
        item["shareKeys"] = {"L": [{"S": share_pk}]}
        share = dict(share_item)
        share.update(
            pk={"S": share_pk},
            fileId={"S": file_id},
            shareId={"S": share_id},
            tokenCiphertext={"S": base64.b64encode(ciphertext).decode("ascii")},
            gsi1pk={"S": f"FILE#{file_id}"},
            gsi1sk={"S": f"SHARE#{at}#{share_id}"},
            createdAt={"S": at},
        )
        ddb.put_item(TableName=stack.table, Item=item)
        ddb.put_item(TableName=stack.table, Item=share)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, range(count)))


def list_files(stack: StackProcess, account: Account, walks: int, page: int = 50) -> dict[str, Any]:
    """``GET /files`` page after page through all of an owner's files, ``walks`` times over."""
    http = requests.Session()
    seconds: list[float] = []
    first_walk: list[float] = []
    warm_cpu: dict[str, float] = {}
    items = 0
    for walk in range(walks):
        if walk == 1:
            warm_cpu = stack.cpu()
        token: str | None = None
        while True:
            params: dict[str, Any] = {"limit": page}
            if token:
                params["nextToken"] = token
            began = time.perf_counter()
            answer = http.get(f"{stack.api_url}/files", headers=account.headers, params=params, timeout=60)
            took = time.perf_counter() - began
            answer.raise_for_status()
            body = answer.json()
            (first_walk if walk == 0 else seconds).append(took)
            if walk == 0:
                items += len(body["items"])
            token = body.get("nextToken")
            if not token:
                break
    measured = seconds or first_walk
    spent = difference(stack.cpu(), warm_cpu) if warm_cpu else {}
    return {
        "files": items,
        "page": page,
        "requests": len(first_walk) + len(seconds),
        "first_walk_p50_ms": round(statistics.median(first_walk) * 1000, 1),
        "first_walk_p99_ms": round(percentile(first_walk, 0.99) * 1000, 1),
        "list_p50_ms": round(statistics.median(measured) * 1000, 1),
        "list_p99_ms": round(percentile(measured, 0.99) * 1000, 1),
        "cpu_ms_per_request": {k: round(v * 1000 / max(1, len(seconds)), 1) for k, v in spent.items() if v > 0},
    }
