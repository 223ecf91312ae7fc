"""After ``sam build``: each function's artifact size, unzipped and zipped: its own code, and with
the layers it takes, against Lambda's limits (250 MB unzipped for a function and its layers
together; 50 MB zipped for each direct upload)."""

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


def functions(template_path: Path) -> dict[str, list[str]]:
    """Each function's layers (logical ids): the template's global ones, then its own."""
    template = load_template(template_path)
    shared = [layer["Ref"] for layer in template.get("Globals", {}).get("Function", {}).get("Layers", [])]
    return {
        name: shared + [layer["Ref"] for layer in resource.get("Properties", {}).get("Layers", [])]
        for name, resource in sorted(template["Resources"].items())
        if resource["Type"] == "AWS::Serverless::Function"
    }


def report(build_dir: Path, template_path: Path) -> list[str]:
    lines = [f"{'function':<28} {'files':>6} {'code':>9} {'+ layers':>10} {'zipped':>9}  layers"]
    for function, layers in functions(template_path).items():
        code = measure(build_dir, function)
        parts = [code, *(measure(build_dir, layer) for layer in layers)]
        unzipped, zipped = sum(a.unzipped for a in parts), sum(a.zipped for a in parts)
        over = unzipped > UNZIPPED_LIMIT or any(a.zipped > ZIPPED_LIMIT for a in parts)
        warn = "  OVER LAMBDA'S LIMIT" if over else ""
        lines.append(
            f"{function:<28} {code.files:>6} {code.unzipped / 1e6:>7.1f}MB {unzipped / 1e6:>8.1f}MB "
            f"{zipped / 1e6:>7.1f}MB  {', '.join(layers) or '-'}{warn}"
        )
    return lines


def main(argv: list[str]) -> None:
    build_dir = Path(argv[0]) if argv else ROOT / ".aws-sam" / "build"
    print("\n".join(report(build_dir, build_dir / "template.yaml")))


if __name__ == "__main__":
    main(sys.argv[1:])
