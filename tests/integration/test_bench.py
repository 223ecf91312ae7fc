"""`make bench QUICK=1` runs whole and reports every figure, so the benchmarks never rot. It checks
the shape of the report and that no upload was lost, not speed (docs/performance.md has the
targets; a loaded CI machine would make speed assertions flaky)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.stack, pytest.mark.timeout(900)]

NUMBER = (int, float)


def test_the_quick_bench_reports_every_figure_and_loses_no_upload(tmp_path: Path) -> None:
    # When the quick bench runs (its own local stack, in a process of its own)
    subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--out", str(tmp_path)], check=True, timeout=840)
    report = json.loads((tmp_path / "quick.json").read_text())

    # Then every section has its figures, with sane types
    machine = report["machine"]
    assert machine["cores"] >= 1 and len(machine["load_average_start"]) == 3
    assert machine["speed_ms_start"] > 0 and machine["speed_ms_end"] > 0 and machine["steal_s"] >= 0
    pipeline = report["pipeline"]
    assert 0 < pipeline["median_s"] <= pipeline["p95_s"]
    assert pipeline["steps"] and all(isinstance(ms, NUMBER) and ms >= 0 for ms in pipeline["steps"].values())
    assert {"Register", "Validate", "ScanWithRules", "IndexReady"} <= set(pipeline["steps"])
    throughput = report["throughput"]
    assert throughput["clients"] == 8 and isinstance(throughput["upload_errors"], int)
    assert throughput["files_per_s"] > 0 and throughput["cpu_s_per_file"] > 0
    components = report["cpu_s_per_component"]
    assert {"moto", "engine", "gateway"} <= set(components)
    assert components["engine"] > 0  # the engine's own process, read from /proc
    assert any(name.startswith("function:") for name in components)
    burst = report["burst_redeem"]
    assert burst["clients"] == 20 and burst["p99_s"] > 0
    large = report["large"]
    for key in ("multipart_ratio", "inspect_ratio", "peak_rss_mib_64m", "peak_rss_mib_1g"):
        assert isinstance(large[key], NUMBER) and large[key] > 0, key
    api = report["api"]
    assert 0 < api["list_p50_ms"] <= api["list_p99_ms"]
    assert report["cold_start"]
    for figures in report["cold_start"].values():
        assert figures["import_ms"] > 0 and figures["boto3_ms"] > 0
        assert figures["artifact_kb"] is None or figures["artifact_kb"] > 0

    # and nothing was lost: every upload S3 took is terminal in the index, and the link's limit held
    assert throughput["lost"] == 0
    assert sum(throughput["outcomes"].values()) == throughput["files"] - throughput["upload_errors"]
    assert large["status"] == "READY"
    assert burst["succeeded"] == burst["allowed"]
