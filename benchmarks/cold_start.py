"""Each function's cold start, as Lambda's init phase has it: the handler's import in a fresh
interpreter with the function's own environment, against ``import boto3`` alone; and its
deployment artifact from ``sam build`` (``.aws-sam/build``: its code and its layers), with the
packages in it that the handler's import does not load."""

from __future__ import annotations

import compileall
import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from delivery.build_report import functions as layers_by_function
from delivery.build_report import measure

PROBE = r"""
import json, sys, time
module = sys.argv[1]
began = time.perf_counter()
if module:
    sys.path.insert(0, sys.argv[2])
    __import__(module)
else:
    import boto3
spent = time.perf_counter() - began
print(json.dumps({"ms": spent * 1000, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""
BUILD_DIR = Path(".aws-sam/build")


def _probe(env: dict[str, str], module: str, code_dir: str) -> dict[str, Any]:
    answer = subprocess.run(
        [sys.executable, "-c", PROBE, module, code_dir],
        capture_output=True,
        text=True,
        env=env,
        cwd=code_dir,
        check=True,
    )
    return dict(json.loads(answer.stdout))


def _artifact(function: str, imported: set[str]) -> dict[str, Any]:
    """The function's code and its layers as ``sam build`` left them: sizes, and the importable
    top-level names in them that its handler's import did not load (lazy imports show here too)."""
    if not (BUILD_DIR / function).is_dir():
        return {"artifact_kb": None}
    layers = layers_by_function(BUILD_DIR / "template.yaml").get(function, [])
    parts = [measure(BUILD_DIR, part) for part in (function, *layers)]
    roots = [BUILD_DIR / function, *(BUILD_DIR / layer / "python" for layer in layers)]
    # Importable top-level names: packages, modules and extension modules (yara.cpython-313-….so).
    metadata = (".dist-info", ".data", ".libs", "-stubs", ".pth", ".txt")
    shipped = {p.name.split(".")[0] for root in roots for p in root.iterdir() if not p.name.endswith(metadata)}
    shipped -= {"__pycache__", "layers"}  # layers/: the requirement lists under functions/
    return {
        "artifact_kb": round(sum(a.unzipped for a in parts) / 1024),
        "artifact_zipped_kb": round(sum(a.zipped for a in parts) / 1024),
        "code_kb": round(parts[0].unzipped / 1024),
        "layers": layers,
        "never_imported": sorted(shipped - imported),
    }


def measure_all(functions: dict[str, Any], runs: int) -> dict[str, Any]:
    """Each function's import against ``import boto3`` measured right before it, ``runs`` times in
    turn, and the median of those ratios: the machine's speed drifts over a bench (``import boto3``
    alone took 159 to 257 ms in runs of the same code), and a baseline taken once, minutes before,
    moved the ratio with it."""
    results: dict[str, Any] = {}
    # As deployed, every module has its bytecode (``make build`` compiles the artifacts; pip did the
    # installed packages): compile ours here for this interpreter, or each probe would time Python
    # compiling our source, which a work tree without ``__pycache__`` makes it do on every import.
    for code_dir in sorted({spec["codeDir"] for spec in functions.values()}):
        compileall.compile_dir(code_dir, quiet=1)
    for name, spec in sorted(functions.items()):
        module = spec["handler"].rpartition(".")[0]
        # Traced, as deployed (the template's ``Tracing: Active``): the local stack turns tracing
        # off, having no X-Ray daemon, and an untraced import skips the tracer's patching.
        env = {k: v for k, v in spec["env"].items() if k != "POWERTOOLS_TRACE_DISABLED"}
        baselines: list[float] = []
        probes: list[dict[str, Any]] = []
        for _ in range(runs):
            baselines.append(_probe(env, "", spec["codeDir"])["ms"])
            probes.append(_probe(env, module, spec["codeDir"]))
        results[name] = {
            "import_ms": round(statistics.median(p["ms"] for p in probes), 1),
            "boto3_ms": round(statistics.median(baselines), 1),
            # Each import against the baseline timed just before it, then the median of those: the
            # two medians' ratio paired a fast baseline with a slow import when the machine's speed
            # moved within the runs (FilesApiFunction 1.90 once, 1.58-1.64 in the full runs around it).
            "ratio": round(statistics.median(p["ms"] / b for p, b in zip(probes, baselines, strict=True)), 2),
            **_artifact(name, set(probes[0]["modules"])),
        }
    return results
