"""`make bench`: every figure we track, printed as one table and written to
``bench/results/latest.json`` and ``bench/results/<date>.json``. ``--quick`` (``make bench
QUICK=1``) runs small sizes in under two minutes and writes ``bench/results/quick.json``.
Not pass/fail: docs/performance.md has the targets and what dominates each figure."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import api, cold_start, content, cpu, large, pipeline
from benchmarks.client import StackProcess, sign_up

MIB = 1024**2


SIZES = {
    "full": {
        "one_at_a_time": 50,
        "files": 500,
        "clients": 8,
        "listed": 1000,
        "walks": 3,
        "large": 1024 * MIB,
        "runs": 5,
    },
    "quick": {"one_at_a_time": 5, "files": 40, "clients": 8, "listed": 100, "walks": 2, "large": 64 * MIB, "runs": 1},
}
BURST_CLIENTS = 20


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)  # noqa: S607 - the work tree's own git
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "commit": commit.stdout.strip(),
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "speed_ms_start": cpu.machine_speed(),
    }


def run(sizes: dict[str, int], log_path: Path) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine(), "sizes": sizes}
    stolen_before = cpu.steal_ticks()
    began = time.perf_counter()
    stack = StackProcess(log_path)
    try:
        results["stack_start_s"] = round(time.perf_counter() - began, 2)
        owner = sign_up(stack)
        print(
            f"  [{time.perf_counter() - began:4.0f} s] one at a time: {sizes['one_at_a_time']} uploads ...", flush=True
        )
        results["pipeline"] = pipeline.one_at_a_time(stack, owner, sizes["one_at_a_time"])
        print(
            f"  [{time.perf_counter() - began:4.0f} s] sustained: {sizes['files']} uploads, {sizes['clients']} clients",
            flush=True,
        )
        results["throughput"] = pipeline.sustained(stack, sizes["files"], sizes["clients"])
        results["cpu_s_per_component"] = results["throughput"].pop("cpu_s_per_component")
        print(
            f"  [{time.perf_counter() - began:4.0f} s] burst: {BURST_CLIENTS} redemptions of one link ...", flush=True
        )
        ready = _one_ready_file(stack, owner)
        results["burst_redeem"] = api.burst_redeem(stack, owner, ready, BURST_CLIENTS)
        print(
            f"  [{time.perf_counter() - began:4.0f} s] listing: an owner with {sizes['listed']} files ...", flush=True
        )
        api.seed_files(stack, owner, ready, sizes["listed"] - 1 - sizes["one_at_a_time"])
        results["api"] = api.list_files(stack, owner, sizes["walks"])
        print(f"  [{time.perf_counter() - began:4.0f} s] large: {sizes['large'] // MIB} MiB multipart ...", flush=True)
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "large.bin"
            content.make_file(path, sizes["large"])
            results["large"] = large.compare(stack, owner, path)
        functions = stack.functions
    finally:
        stack.close()
    print(f"  [{time.perf_counter() - began:4.0f} s] content inspection and cold starts ...", flush=True)
    results["large"].update(content.inspect(sizes["large"]))
    results["cold_start"] = cold_start.measure_all(functions, sizes["runs"])
    results["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    results["machine"]["speed_ms_end"] = cpu.machine_speed()
    results["machine"]["steal_s"] = round((cpu.steal_ticks() - stolen_before) / cpu.TICKS, 1)
    results["bench_s"] = round(time.perf_counter() - began, 1)
    return results


def _one_ready_file(stack: StackProcess, owner: Any) -> str:
    from benchmarks.client import owner_statuses

    statuses = owner_statuses(stack.client("dynamodb"), stack.table, owner.sub)
    return next(f for f, s in statuses.items() if s == "READY")


def table(results: dict[str, Any]) -> str:
    m, p, t, b, lg, a = (results[k] for k in ("machine", "pipeline", "throughput", "burst_redeem", "large", "api"))
    rows = [
        (
            "machine",
            f"{m['cores']} cores, {m['cpu']}, Python {m['python']}, load {m['load_average_start']} -> "
            f"{m['load_average_end']}, speed {m['speed_ms_start']} -> {m['speed_ms_end']} ms "
            f"(a fixed piece of Python work; lower is faster), stolen {m['steal_s']} s",
        ),
        (
            "upload -> READY, 100 KB, one at a time",
            f"median {p['median_s'] * 1000:.0f} ms, p95 {p['p95_s'] * 1000:.0f} ms "
            f"(first, cold: {p['first_s'] * 1000:.0f} ms)",
        ),
        (
            f"sustained, {t['files']} files, {t['clients']} clients",
            f"{t['files_per_s']} files/s, {t['lost']} lost, {t['cpu_s_per_file']} CPU-s/file",
        ),
        (
            "  CPU-s per file by component",
            ", ".join(f"{k} {v}" for k, v in sorted(results["cpu_s_per_component"].items(), key=lambda kv: -kv[1])),
        ),
        (
            f"burst, {b['clients']} redemptions of one link",
            f"p99 {b['p99_s'] * 1000:.0f} ms, {b['succeeded']} of {b['allowed']} allowed succeeded",
        ),
        (
            f"{lg['bytes'] // MIB} MiB multipart (presigned parts) vs boto3",
            f"{lg['multipart_ratio']}x ({lg['presigned_s']} s vs {lg['boto3_s']} s)",
        ),
        (
            "validate + SHA-256 + scan vs sha256sum",
            f"{lg['inspect_ratio']}x ({lg['inspect_mib_per_s']} vs "
            f"{lg['sha256sum_mib_per_s']} MiB/s), peak RSS {lg['peak_rss_mib_64m']} MiB (64 MiB) / "
            f"{lg['peak_rss_mib_large']} MiB",
        ),
        (
            f"GET /files, {a['files']} files, page of {a['page']}",
            f"p50 {a['list_p50_ms']} ms, p99 {a['list_p99_ms']} ms (first walk p50 {a['first_walk_p50_ms']} ms)",
        ),
    ]
    for name, c in results["cold_start"].items():
        size = f", {c['artifact_kb']} KB" if c.get("artifact_kb") is not None else ", no sam build"
        rows.append(
            (f"  cold start {name}", f"{c['import_ms']} ms import ({c['ratio']}x boto3's {c['boto3_ms']} ms){size}")
        )
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, under two minutes")
    parser.add_argument("--out", type=Path, default=Path("bench/results"), help="where the JSON goes")
    args = parser.parse_args(argv)
    sizes = SIZES["quick" if args.quick else "full"]
    args.out.mkdir(parents=True, exist_ok=True)
    log_path = Path(".bench/stack.log")
    print(f"Fileshare benchmarks ({'quick' if args.quick else 'full'}); the stack logs to {log_path}")
    results = run(sizes, log_path)
    results["large"]["peak_rss_mib_1g"] = results["large"]["peak_rss_mib_large"]
    print(table(results))
    text = json.dumps(results, indent=2) + "\n"
    if args.quick:
        (args.out / "quick.json").write_text(text)
    else:
        (args.out / "latest.json").write_text(text)
        (args.out / f"{results['machine']['date'][:10]}.json").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
