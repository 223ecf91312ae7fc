"""``fileshare``: the command line. One parser; each command group registers itself
(``fileshare_cli.commands``). Errors are one sentence on stderr and an exit status from
``fileshare_cli.errors``."""

from __future__ import annotations

import argparse
import sys

from fileshare_cli import errors, output
from fileshare_cli.commands import account, files, get, local, ops, upload
from fileshare_cli.errors import CliError, Exit

# The order of `fileshare --help`. A new group of commands (`ops`, …) is one module and one entry.
COMMANDS = (account, upload, files, get, ops, local)

EPILOG = "exit status:\n" + "\n".join(f"  {int(code):>3}  {meaning}" for code, meaning in errors.MEANINGS.items())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fileshare",
        description="Fileshare from a terminal: sign in, upload, share, download.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON for scripts instead of text for people")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(commands, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    try:
        if arguments[:1] == ["local"]:
            return local.run(arguments)
        args = build_parser().parse_args(arguments)
        return int(args.run(args))
    except CliError as error:
        output.error(str(error))
        return int(error.status)
    except KeyboardInterrupt:
        output.error("Interrupted.")
        return int(Exit.INTERRUPTED)


if __name__ == "__main__":
    sys.exit(main())
