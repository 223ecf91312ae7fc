"""Content safety on a large file: validate + hash + scan throughput against ``sha256sum`` on the
same file, and the peak memory of the step, which must not grow with the file size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROBE = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, "functions")
from fileshare.core.archives import ArchiveLimits
from fileshare.core.content_types import DEFAULT_ALLOWED
from fileshare.core.scanning import YaraScanner, read_file, scan_upload
from fileshare.core.validation import inspect_stream
path = Path(sys.argv[1])
engine = YaraScanner()
started = time.perf_counter()
facts = inspect_stream(read_file(path))
result = scan_upload(path, engine, ArchiveLimits(), DEFAULT_ALLOWED)
elapsed = time.perf_counter() - started
# VmHWM is this process image's own peak (ru_maxrss would carry the forking parent's over exec).
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"seconds": elapsed, "sha256": facts.sha256, "verdict": result.verdict, "max_rss_kib": peak}))
"""


def make_file(path: Path, size: int) -> None:
    block = os.urandom(8 * 1024 * 1024)
    with path.open("wb") as sink:
        written = 0
        while written < size:
            part = block[: min(len(block), size - written)]
            sink.write(part)
            written += len(part)


def measure(path: Path) -> dict[str, Any]:
    answer = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, check=True)
    figures: dict[str, Any] = json.loads(answer.stdout)
    started = time.perf_counter()
    reference = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True, check=True)  # noqa: S607 - coreutils from PATH is the point of comparison
    figures["sha256sum_seconds"] = time.perf_counter() - started
    assert reference.stdout.split()[0] == figures["sha256"], "hash mismatch"
    return figures


def inspect(size: int) -> dict[str, float]:
    """The step's throughput against ``sha256sum`` on ``size`` bytes, and its peak memory on 64 MiB
    and on ``size`` (flat when the step streams)."""
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "object"
        for label, n in (("64m", 64 * 1024 * 1024), ("large", size)):
            make_file(path, n)
            figures = measure(path)
            results[f"peak_rss_mib_{label}"] = round(figures["max_rss_kib"] / 1024, 1)
            if label == "large":
                mib = n / 1024**2
                results["inspect_mib_per_s"] = round(mib / figures["seconds"], 1)
                results["sha256sum_mib_per_s"] = round(mib / figures["sha256sum_seconds"], 1)
                results["inspect_ratio"] = round(figures["sha256sum_seconds"] / figures["seconds"], 3)
            path.unlink()
    return results
