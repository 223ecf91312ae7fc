"""After ``sam build``: each function's artifact size, unzipped and zipped: its own code, and with
the layers it takes, against Lambda's limits (250 MB unzipped for a function and its layers
together; 50 MB zipped for each direct upload); and whether every module in them has the bytecode
Lambda's Python will use.

Lambda cannot write bytecode into a deployed package (``/var/task`` and ``/opt`` are read-only), so
a module without it is compiled again on every cold start: boto3 alone took 775 ms to import from
the built layer without bytecode, 293 ms with it. ``make build`` compiles each one after ``sam
build``, hash-based and unchecked: ``sam deploy`` zips every file dated 1980, so a timestamp-checked
``.pyc`` would never match its source on Lambda and be compiled again anyway."""

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


def cache_tag(template_path: Path) -> str:
    """The bytecode tag of the functions' runtime: ``python3.13`` -> ``cpython-313``."""
    runtime = str(load_template(template_path)["Globals"]["Function"]["Runtime"])
    return "cpython-" + runtime.removeprefix("python").replace(".", "")


# A .pyc's flags word (PEP 552): bit 0 hash-based, bit 1 checked against the source.
UNCHECKED_HASH = 0b01


def without_bytecode(root: Path, tag: str) -> list[Path]:
    """The modules under ``root`` with no unchecked hash-based ``.pyc`` for ``tag`` beside them."""
    missing = []
    for source in sorted(root.rglob("*.py")):
        compiled = source.parent / "__pycache__" / f"{source.stem}.{tag}.pyc"
        header = compiled.read_bytes()[:8] if compiled.is_file() else b""
        if len(header) < 8 or int.from_bytes(header[4:8], "little") != UNCHECKED_HASH:
            missing.append(source)
    return missing


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


def main(argv: list[str]) -> int:
    build_dir = Path(argv[0]) if argv else ROOT / ".aws-sam" / "build"
    template_path = build_dir / "template.yaml"
    print("\n".join(report(build_dir, template_path)))
    tag = cache_tag(template_path)
    parts = sorted({part for function, layers in functions(template_path).items() for part in (function, *layers)})
    missing = [path for part in parts for path in without_bytecode(build_dir / part, tag)]
    if missing:
        shown = ", ".join(str(p.relative_to(build_dir)) for p in missing[:5])
        print(f"{len(missing)} modules have no unchecked {tag} bytecode (each cold start would compile them): {shown}")
        return 1
    print(f"bytecode: every module of every function and layer is compiled for {tag}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
