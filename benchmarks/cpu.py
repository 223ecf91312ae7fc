"""CPU seconds per component of the local stack, told apart by thread and by process.

Most of the stack's Python pieces share one process (``benchmarks.host``): moto's request threads,
the HTTP API gateway's request threads, EventBridge delivery, the web server. Each thread is
classified when it starts (by what it runs) and its CPU time (``time.thread_time``) is added to its
component when it ends; threads still running are read from ``/proc/self/task/<tid>/stat``. The
Step Functions engine (``engine``) and the functions (a fork server per function and its workers)
run in processes of their own, read from ``/proc/<pid>/stat``.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import defaultdict
from typing import Any

TICKS = os.sysconf("SC_CLK_TCK")

# Listening ports of the stack's HTTP servers -> component ("moto", "gateway", "web").
server_ports: dict[int, str] = {}
_finished: dict[str, float] = defaultdict(float)
_live: dict[int, str] = {}  # native thread id -> component
_lock = threading.Lock()


def _component(thread: threading.Thread) -> str:
    target = getattr(thread, "_target", None)
    owner = getattr(target, "__self__", None)
    address = getattr(owner, "server_address", None)
    if isinstance(address, tuple) and len(address) >= 2:  # a werkzeug server's request thread
        return server_ports.get(int(address[1]), "stack")
    if thread.name.startswith("eventbridge"):
        return "eventbridge"
    if thread.name in ("gateway", "web", "scheduler"):
        return thread.name
    return "stack"


def _thread_cpu(tid: int) -> float:
    try:
        with open(f"/proc/self/task/{tid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def process_cpu(pid: int) -> float:
    """utime + stime of a live process, in seconds (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def install() -> None:
    """Account every thread started from now on (call before the stack starts)."""
    original = threading.Thread._bootstrap_inner  # type: ignore[attr-defined]  # the one place every thread's run passes

    def accounted(self: threading.Thread) -> None:
        component = _component(self)
        tid = threading.get_native_id()
        with _lock:
            _live[tid] = component
        try:
            original(self)
        finally:
            spent = time.thread_time()
            with _lock:
                _live.pop(tid, None)
                _finished[component] += spent

    threading.Thread._bootstrap_inner = accounted  # type: ignore[attr-defined]


def snapshot(functions: dict[str, list[int]], processes: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far per component: the host's threads, each function's processes, and the
    stack's other processes (``processes``: component -> pid)."""
    with _lock:
        totals = dict(_finished)
        live = dict(_live)
    for tid, component in live.items():
        totals[component] = totals.get(component, 0.0) + _thread_cpu(tid)
    accounted = sum(_thread_cpu(tid) for tid in live) + sum(_finished.values())
    # The main thread and any thread started before install(): the stack's own bookkeeping.
    totals["stack"] = totals.get("stack", 0.0) + max(0.0, process_cpu(os.getpid()) - accounted)
    for name, pids in functions.items():
        totals[f"function:{name}"] = sum(process_cpu(pid) for pid in pids)
    for name, pid in processes.items():
        totals[name] = process_cpu(pid)
    return totals


def difference(after: dict[str, Any], before: dict[str, Any]) -> dict[str, float]:
    return {k: round(float(after[k]) - float(before.get(k, 0.0)), 3) for k in sorted(after)}


def machine_speed(rounds: int = 5) -> float:
    """CPU milliseconds this interpreter takes for a fixed piece of work like the stack's own (build
    small dicts, format strings, JSON them both ways), the best of ``rounds``. This machine's speed
    drifts by up to about two between hours; a run's figures are read beside this one."""
    best = float("inf")
    for _ in range(rounds):
        began = time.thread_time()
        for i in range(4000):
            record = {"fileId": f"{i:032x}", "size": i * 17, "status": "READY", "tags": [str(i), "clean"]}
            json.loads(json.dumps(record))
        best = min(best, time.thread_time() - began)
    return round(best * 1000, 1)


def steal_ticks() -> int:
    """Time the hypervisor gave this machine's CPUs to others, in clock ticks since boot (0 if the
    kernel does not say)."""
    try:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()
    except OSError:
        return 0
    return int(fields[8]) if len(fields) > 8 else 0
