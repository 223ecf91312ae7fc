"""The subcommands. Each module has ``register(commands, common)``: it adds its parsers to the
``fileshare`` subparsers (with ``common``'s ``--json``) and sets ``run`` to a function of the parsed
arguments that returns the exit status. ``fileshare_cli.main.COMMANDS`` lists the modules in the
order ``fileshare --help`` shows them; a new group of commands is one module and one entry there."""

from __future__ import annotations

import argparse
from typing import Protocol


class Subcommands(Protocol):
    def add_parser(self, name: str, **kwargs: object) -> argparse.ArgumentParser: ...
