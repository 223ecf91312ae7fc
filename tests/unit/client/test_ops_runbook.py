"""The runbook's `fileshare ops` commands are commands the client really takes."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from fileshare_cli.main import build_parser

RUNBOOK = Path(__file__).resolve().parents[3] / "docs" / "operations.md"
COMMANDS = sorted(
    {m.strip() for m in re.findall(r"^(fileshare ops [^#\n]*)", RUNBOOK.read_text(), flags=re.M)}
    | {m.strip() for m in re.findall(r"`(fileshare ops [^`]*)`", RUNBOOK.read_text())}
)
EXAMPLE = {
    "<fileId>": "0123456789abcdef0123456789abcdef",
    "<executionArn>": "arn:aws:states:us-east-1:123456789012:execution:s-process-upload:x",
    '"$STACK"': "fileshare",
}


def test_the_runbook_names_every_ops_command() -> None:
    used = {c.split()[2] for c in COMMANDS}
    assert used == {"executions", "trace", "redrive", "reconcile"}


@pytest.mark.parametrize("command", COMMANDS)
def test_each_runbook_command_parses(command: str) -> None:
    for placeholder, value in EXAMPLE.items():
        command = command.replace(placeholder, value)
    args = build_parser().parse_args(shlex.split(command)[1:])
    assert callable(args.run)
