"""Uploads through the pipeline: one at a time (204 -> READY, and each state's time from the
executions' histories), and sustained load from concurrent clients (files per second, lost files,
stack CPU per file and per component)."""

from __future__ import annotations

import statistics
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import requests

from benchmarks.client import (
    TERMINAL,
    Account,
    StackProcess,
    owner_files,
    percentile,
    sign_up,
    text_body,
    upload,
    wait_terminal,
)
from benchmarks.cpu import difference

FILE_BYTES = 100 * 1024
# A file still PROCESSING when no file has finished for this long is counted lost.
STALL_SECONDS = 180.0
# How often the index is read for terminal files once every upload is in. When the last one turned
# terminal comes from the records themselves, so the reads can be rare: each is a query per client
# through moto, on the core the workflows need (read every 0.5 s, they cost moto 0.004 CPU-s per
# file of 500, about a tenth of that core while the last files went through).
POLL_SECONDS = 2.0
UPLOAD_ATTEMPTS = 3


def state_durations(sfn: Any, execution_arn: str) -> dict[str, float]:
    """Milliseconds from each state's entry to its exit, from the execution's history."""
    events = sfn.get_execution_history(executionArn=execution_arn, maxResults=1000)["events"]
    entered: dict[str, Any] = {}
    spent: dict[str, float] = {}
    for event in events:
        kind = event["type"]
        if kind.endswith("StateEntered"):
            entered[event["stateEnteredEventDetails"]["name"]] = event["timestamp"]
        elif kind.endswith("StateExited"):
            name = event["stateExitedEventDetails"]["name"]
            if name in entered:
                spent[name] = spent.get(name, 0.0) + (event["timestamp"] - entered.pop(name)).total_seconds() * 1000
    return spent


def one_at_a_time(stack: StackProcess, account: Account, files: int) -> dict[str, Any]:
    ddb, sfn = stack.client("dynamodb"), stack.client("stepfunctions")
    http = requests.Session()

    def timed() -> tuple[str, float]:
        file_id = upload(http, stack.api_url, account, text_body(FILE_BYTES))
        accepted = time.perf_counter()
        status = wait_terminal(ddb, stack.table, file_id)
        if status != "READY":
            raise RuntimeError(f"{file_id} ended {status}")
        return file_id, time.perf_counter() - accepted

    _, first = timed()  # cold: each workflow function starts its first worker here
    warm = [timed() for _ in range(files)]
    steps: dict[str, list[float]] = defaultdict(list)
    for file_id, _ in warm:
        item = ddb.get_item(TableName=stack.table, Key={"pk": {"S": f"FILE#{file_id}"}, "sk": {"S": "FILE"}})["Item"]
        for name, ms in state_durations(sfn, item["processingExecution"]["S"]).items():
            steps[name].append(ms)
    seconds = [s for _, s in warm]
    return {
        "files": files,
        "file_bytes": FILE_BYTES,
        "first_s": round(first, 3),
        "median_s": round(statistics.median(seconds), 3),
        "p95_s": round(percentile(seconds, 0.95), 3),
        "min_s": round(min(seconds), 3),
        "max_s": round(max(seconds), 3),
        "steps": {name: round(statistics.median(ms), 1) for name, ms in sorted(steps.items())},
    }


def sustained(stack: StackProcess, files: int, clients: int) -> dict[str, Any]:
    """``clients`` people (one account each) upload ``files`` files between them, each sending its
    next file as soon as S3 took the last one; done when every file is terminal in the index."""
    accounts = [sign_up(stack) for _ in range(clients)]
    ddb = stack.client("dynamodb")
    sent: dict[str, list[str]] = {a.sub: [] for a in accounts}
    errors: list[str] = []
    lock = threading.Lock()
    share = [files // clients + (1 if i < files % clients else 0) for i in range(clients)]

    retries: list[str] = []

    def person(account: Account, count: int) -> None:
        """Sends the next file as soon as S3 took the last one; a refused request is sent again,
        as the web app's retry does, at most twice."""
        http = requests.Session()
        for _ in range(count):
            for attempt in range(1, UPLOAD_ATTEMPTS + 1):
                try:
                    file_id = upload(http, stack.api_url, account, text_body(FILE_BYTES))
                except (requests.RequestException, RuntimeError) as exc:
                    with lock:
                        (errors if attempt == UPLOAD_ATTEMPTS else retries).append(repr(exc))
                    time.sleep(attempt)
                    continue
                with lock:
                    sent[account.sub].append(file_id)
                break

    before = stack.cpu()
    started, started_at = time.perf_counter(), time.time()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for account, count in zip(accounts, share, strict=True):
            pool.submit(person, account, count)
    uploaded = time.perf_counter() - started
    terminal: dict[str, tuple[str, str]] = {}
    expected = sum(len(ids) for ids in sent.values())
    progress = time.monotonic()
    while time.monotonic() - progress < STALL_SECONDS:
        now_terminal: dict[str, tuple[str, str]] = {}
        for account in accounts:
            listed = owner_files(ddb, stack.table, account.sub)
            now_terminal.update({f: v for f, v in listed.items() if f in sent[account.sub] and v[0] in TERMINAL})
        if len(now_terminal) > len(terminal):
            progress = time.monotonic()
        terminal = now_terminal
        if len(terminal) >= expected:
            break
        time.sleep(POLL_SECONDS)
    spent = difference(stack.cpu(), before)
    # Until the last file turned terminal, by the index's own clock (this machine's): the record's
    # updatedAt is the entry time of the state that wrote the outcome, a few milliseconds before.
    ended = [datetime.fromisoformat(updated).timestamp() for _, updated in terminal.values()]
    last_done = max(ended, default=started_at)
    elapsed = last_done - started_at
    total = sum(spent.values())
    outcomes: dict[str, int] = defaultdict(int)
    for status, _ in terminal.values():
        outcomes[status] += 1
    return {
        "files": files,
        "clients": clients,
        "file_bytes": FILE_BYTES,
        "upload_errors": len(errors),
        "upload_retries": len(retries),
        "uploads_s": round(uploaded, 2),
        "elapsed_s": round(elapsed, 2),
        "files_per_s": round(len(terminal) / elapsed, 2) if elapsed > 0 else 0.0,
        "lost": expected - len(terminal),  # S3 took it, yet it is not terminal in the index
        "outcomes": dict(outcomes),
        "cpu_s_per_file": round(total / max(1, files), 3),
        "cpu_s_per_component": {k: round(v / max(1, files), 4) for k, v in spent.items() if v > 0},
        "cpu_s_total": round(total, 2),
    }
