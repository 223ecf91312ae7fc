"""``fileshare local``: the local stack (``devstack.cli``). Listed here for ``fileshare --help``;
``fileshare_cli.main`` hands ``local …`` to devstack before parsing, so its options stay devstack's
own and the client never imports moto unless this command runs."""

from __future__ import annotations

import argparse

from fileshare_cli.commands import Subcommands


def register(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    commands.add_parser(
        "local",
        help="run the whole system on 127.0.0.1 (moto underneath; needs the development install)",
        add_help=False,
    )


def run(argv: list[str]) -> int:
    try:
        from devstack.cli import main as local_main
    except ImportError as error:
        from fileshare_cli.errors import CliError, Exit

        raise CliError(
            f"`fileshare local` needs the development install (`make install`): {error}.", Exit.USAGE
        ) from error
    return local_main(argv)
