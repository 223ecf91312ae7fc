"""Each function's cold start, as Lambda's init phase has it: the handler's import in a fresh
interpreter with the function's own environment, against ``import boto3`` alone; and its
deployment artifact from ``sam build`` (``.aws-sam/build``), with the packages in it that the
handler never imports."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

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
    root = BUILD_DIR / function
    if not root.is_dir():
        return {"artifact_kb": None}
    artifact = measure(BUILD_DIR, function)
    # Importable top-level names: packages, modules and extension modules (yara.cpython-313-….so).
    metadata = (".dist-info", ".data", ".libs", "-stubs", ".pth", ".txt")
    shipped = {p.name.split(".")[0] for p in root.iterdir() if not p.name.endswith(metadata)}
    shipped.discard("__pycache__")
    return {
        "artifact_kb": round(artifact.unzipped / 1024),
        "artifact_zipped_kb": round(artifact.zipped / 1024),
        "never_imported": sorted(shipped - imported),
    }


def measure_all(functions: dict[str, Any], runs: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    any_env = next(iter(functions.values()))
    boto3_ms = statistics.median(_probe(any_env["env"], "", any_env["codeDir"])["ms"] for _ in range(runs))
    for name, spec in sorted(functions.items()):
        module = spec["handler"].rpartition(".")[0]
        probes = [_probe(spec["env"], module, spec["codeDir"]) for _ in range(runs)]
        import_ms = statistics.median(p["ms"] for p in probes)
        results[name] = {
            "import_ms": round(import_ms, 1),
            "boto3_ms": round(boto3_ms, 1),
            "ratio": round(import_ms / boto3_ms, 2),
            **_artifact(name, set(probes[0]["modules"])),
        }
    return results
