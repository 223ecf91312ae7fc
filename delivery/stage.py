"""A stage (``dev``, ``prod``) is a ``samconfig.toml`` environment: its stack name and region are
written there once and read here, so ``sam deploy --config-env`` and these scripts agree."""

from __future__ import annotations

import json
import shlex
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMCONFIG = ROOT / "samconfig.toml"


class StageError(ValueError):
    pass


@dataclass(frozen=True)
class Stage:
    name: str
    stack_name: str
    region: str

    @classmethod
    def load(cls, name: str, samconfig: Path = SAMCONFIG) -> Stage:
        config = tomllib.loads(samconfig.read_text())
        stages = sorted(k for k, v in config.items() if isinstance(v, dict) and "deploy" in v)
        try:
            deploy = config[name]["deploy"]["parameters"]
        except KeyError:
            raise StageError(f"no stage {name!r} in {samconfig.name} (stages: {', '.join(stages)})") from None
        return cls(name=name, stack_name=deploy["stack_name"], region=deploy["region"])


class Aws:
    """Runs the AWS CLI for one stage's region; with ``dry_run`` it only prints each command."""

    def __init__(self, stage: Stage, *, dry_run: bool = False) -> None:
        self.stage = stage
        self.dry_run = dry_run

    def __call__(self, *args: str) -> str:
        command = ["aws", "--region", self.stage.region, *args]
        print("+", shlex.join(command), flush=True)  # a deploy step says what it runs
        if self.dry_run:
            return ""
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603 - fixed argv

    def outputs(self) -> dict[str, str]:
        """The stack's outputs by name (``aws cloudformation describe-stacks``)."""
        answer = self(
            "cloudformation",
            "describe-stacks",
            "--stack-name",
            self.stage.stack_name,
            "--query",
            "Stacks[0].Outputs",
            "--output",
            "json",
        )
        return outputs_by_name(json.loads(answer) if answer else [])

    def resources(self) -> list[dict[str, Any]]:
        answer = self(
            "cloudformation",
            "describe-stack-resources",
            "--stack-name",
            self.stage.stack_name,
            "--query",
            "StackResources",
            "--output",
            "json",
        )
        return list(json.loads(answer)) if answer else []


def outputs_by_name(outputs: list[dict[str, str]]) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in outputs}


def main(argv: list[str]) -> None:
    """``python -m delivery.stage dev region`` prints one setting of a stage (for the workflows)."""
    name, setting = argv
    print(getattr(Stage.load(name), setting))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
