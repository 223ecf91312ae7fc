"""After ``sam build``: each function's artifact size, unzipped and zipped, against Lambda's
limits (250 MB unzipped; 50 MB zipped for a direct upload)."""

from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from delivery.stage import ROOT
from devstack.template import load_template

UNZIPPED_LIMIT = 250 * 1024 * 1024
ZIPPED_LIMIT = 50 * 1024 * 1024


@dataclass(frozen=True)
class Artifact:
    function: str
    files: int
    unzipped: int
    zipped: int


def measure(build_dir: Path, function: str) -> Artifact:
    root = build_dir / function
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is missing: did sam build run?")
    files = sorted(p for p in root.rglob("*") if p.is_file())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.relative_to(root).as_posix())
    return Artifact(function, len(files), sum(p.stat().st_size for p in files), buffer.tell())


def functions(template_path: Path) -> list[str]:
    resources = load_template(template_path)["Resources"]
    return sorted(k for k, v in resources.items() if v["Type"] == "AWS::Serverless::Function")


def report(build_dir: Path, template_path: Path) -> list[str]:
    lines = [f"{'function':<28} {'files':>6} {'unzipped':>10} {'zipped':>9}"]
    for function in functions(template_path):
        a = measure(build_dir, function)
        warn = "  OVER LAMBDA'S LIMIT" if a.unzipped > UNZIPPED_LIMIT or a.zipped > ZIPPED_LIMIT else ""
        lines.append(f"{a.function:<28} {a.files:>6} {a.unzipped / 1e6:>8.1f}MB {a.zipped / 1e6:>7.1f}MB{warn}")
    return lines


def main(argv: list[str]) -> None:
    build_dir = Path(argv[0]) if argv else ROOT / ".aws-sam" / "build"
    print("\n".join(report(build_dir, build_dir / "template.yaml")))


if __name__ == "__main__":
    main(sys.argv[1:])
