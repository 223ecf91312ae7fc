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

GIB = 1024**3
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


def measure(path: Path) -> dict[str, float]:
    answer = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(answer.stdout)
    started = time.perf_counter()
    reference = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True, check=True)  # noqa: S607 - coreutils from PATH is the point of comparison
    figures["sha256sum_seconds"] = time.perf_counter() - started
    assert reference.stdout.split()[0] == figures["sha256"], "hash mismatch"
    return figures


def main() -> int:
    size = int(os.environ.get("BENCH_CONTENT_BYTES", str(GIB)))
    print("Content safety (validate + SHA-256 + YARA scan, one process, as the workflow steps do):")
    with tempfile.TemporaryDirectory() as scratch:
        for label, n in (("64 MiB", 64 * 1024 * 1024), (f"{size / GIB:.2f} GiB", size)):
            path = Path(scratch) / "object"
            make_file(path, n)
            figures = measure(path)
            mib = n / 1024**2
            print(
                f"  {label:>9}: {mib / figures['seconds']:7.0f} MiB/s (sha256sum alone: "
                f"{mib / figures['sha256sum_seconds']:5.0f} MiB/s), peak RSS {figures['max_rss_kib'] / 1024:.0f} MiB, "
                f"verdict {figures['verdict']}"
            )
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
