"""Each function ships exactly the third-party code it imports: its layers (template.yaml) hold every
distribution its handler can import, and no layer it does not need. Locally every layer's set is
installed together, so only this test would notice a function that imports what its layers lack
before Lambda's ``Runtime.ImportModuleError`` did."""

from __future__ import annotations

import ast
import importlib.metadata
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from devstack.template import load_template

ROOT = Path(__file__).resolve().parents[2]
CODE = ROOT / "functions"
TEMPLATE = load_template(ROOT / "template.yaml")
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
GLOBAL_LAYERS = [layer["Ref"] for layer in TEMPLATE["Globals"]["Function"].get("Layers", [])]
FUNCTIONS = sorted(k for k, v in RESOURCES.items() if v["Type"] == "AWS::Serverless::Function")
LAYERS = {k: v for k, v in RESOURCES.items() if v["Type"] == "AWS::Serverless::LayerVersion"}


def _source(module: str) -> Path | None:
    path = CODE.joinpath(*module.split("."))
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def imported_by(handler_module: str) -> set[str]:
    """Every module name outside our package that the handler's module, or any of ours it imports,
    imports anywhere (inside functions too: a lazy import is still needed when that code runs)."""
    seen: set[str] = set()
    outside: set[str] = set()
    todo = [handler_module]
    while todo:
        module = todo.pop()
        source = _source(module)
        if module in seen or source is None:
            continue
        seen.add(module)
        parts = module.split(".")
        todo += [".".join(parts[:n]) for n in range(1, len(parts))]  # its packages' __init__ run too
        package = parts if source.name == "__init__.py" else parts[:-1]
        for node in ast.walk(ast.parse(source.read_text())):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
                stem = ".".join(p for p in (base, node.module or "") if p)
                names = [stem] + [f"{stem}.{alias.name}" for alias in node.names]
            for name in names:
                if name.split(".")[0] == "fileshare":
                    todo.append(name)
                elif name.split(".")[0] not in sys.stdlib_module_names | {"__future__"}:
                    outside.add(name)
    return outside


def distributions_needed(handler_module: str) -> set[str]:
    modules = imported_by(handler_module)
    tops = {m.split(".")[0] for m in modules}
    owners = importlib.metadata.packages_distributions()
    needed = {canonicalize_name(dist) for top in tops for dist in owners.get(top, [top])}
    return needed


@cache
def shipped_by(layer: str) -> frozenset[str]:
    """The distributions a layer's build installs: its requirements and theirs, extras included."""
    requirements = (ROOT / LAYERS[layer]["Properties"]["ContentUri"] / "requirements.txt").read_text().splitlines()
    todo = [Requirement(line) for line in requirements if line.strip() and not line.startswith("#")]
    found: set[str] = set()
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found.add(name)
        for line in importlib.metadata.requires(requirement.name) or []:
            dependency = Requirement(line)
            if dependency.marker is None or any(
                dependency.marker.evaluate({"extra": extra}) for extra in requirement.extras or {""}
            ):
                todo.append(dependency)
    return frozenset(found)


def layers_of(function: str) -> list[str]:
    own = [layer["Ref"] for layer in RESOURCES[function]["Properties"].get("Layers", [])]
    return GLOBAL_LAYERS + own


@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_function_ships_everything_it_imports_and_no_layer_it_does_not(function: str) -> None:
    handler_module = RESOURCES[function]["Properties"]["Handler"].rpartition(".")[0]
    needed = distributions_needed(handler_module)
    layers = layers_of(function)
    shipped = set().union(*(shipped_by(layer) for layer in layers))

    assert needed <= shipped, f"{function} imports {sorted(needed - shipped)}, which none of its layers ships"
    for layer in layers:
        assert shipped_by(layer) & needed, f"{function} takes {layer}, whose packages it never imports"
    assert len(layers) <= 5  # Lambda's limit of layers per function


def test_the_checks_see_lazy_imports() -> None:
    # The scanner loads yara inside a function, and the share-email module its validator too.
    assert "yara" in imported_by("fileshare.workflow.scan_upload")
    assert "email_validator" in imported_by("fileshare.api.shares")
    assert "yara-python" not in distributions_needed("fileshare.api.files")
