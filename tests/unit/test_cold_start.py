"""A function's cold start, as Lambda runs it: the garbage collector is off while the handler's module
is imported (``fileshare/__init__.py``), and once it is imported the collector is on again for the
invocations, with what the import made frozen out of its walks. A handler module that forgot
``init_complete()`` would leave the collector off for the life of the environment, and every cycle
its invocations made would stay in memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from devstack.template import Resolver, load_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = load_template(ROOT / "template.yaml")
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
FUNCTIONS = sorted(k for k, v in RESOURCES.items() if v["Type"] == "AWS::Serverless::Function")
PROBE = "import gc, json, sys\nimport {module}\nprint(json.dumps([gc.isenabled(), gc.get_freeze_count()]))"


# A deploy with the template's defaults; a resource's name or attribute, or an empty default, is a
# placeholder that every setting which is only passed on accepts.
RESOLVER = Resolver(
    parameters={
        name: parameter.get("Default") or "x@example.com" for name, parameter in TEMPLATE["Parameters"].items()
    },
    region="us-east-1",
    stack_name="fileshare",
    lookup=lambda logical_id, attribute: "x@example.com",
    conditions=TEMPLATE.get("Conditions", {}),
)


def environment(function: str, *, handler: bool) -> dict[str, str]:
    properties = RESOURCES[function]["Properties"]
    variables = {
        **TEMPLATE["Globals"]["Function"].get("Environment", {}).get("Variables", {}),
        **properties.get("Environment", {}).get("Variables", {}),
    }
    env = {name: str(RESOLVER.resolve(value)) for name, value in variables.items()}
    env.update(AWS_DEFAULT_REGION="us-east-1", PATH="/usr/bin:/bin")
    if handler:
        env["_HANDLER"] = properties["Handler"]  # set by Lambda's runtime, and by the local stack's runner
    return env


def imported(function: str, *, handler: bool = True) -> tuple[bool, int]:
    module = RESOURCES[function]["Properties"]["Handler"].rpartition(".")[0]
    answer = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        env=environment(function, handler=handler),
        cwd=ROOT / "functions",
        capture_output=True,
        text=True,
        check=True,
    )
    enabled, frozen = json.loads(answer.stdout)
    return bool(enabled), int(frozen)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_after_a_cold_start_the_collector_is_on_and_the_import_is_frozen(function: str) -> None:
    enabled, frozen = imported(function)

    assert enabled, f"{function}'s handler module never calls init_complete(): the collector stays off"
    assert frozen > 50_000  # boto3, Powertools, the X-Ray SDK and ours: about 120,000 objects


def test_outside_a_lambda_runtime_importing_a_handler_leaves_the_collector_alone() -> None:
    # Tests, the local stack's own process and the bench import our modules too.
    assert imported("FilesApiFunction", handler=False) == (True, 0)
