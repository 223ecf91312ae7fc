"""Asking the person at the terminal, or reading what a script pipes in."""

from __future__ import annotations

import getpass
import os
import sys

from fileshare_cli.errors import CliError, Exit

PASSWORD_VARIABLE = "FILESHARE_PASSWORD"  # noqa: S105 - the name of a variable, not a password


def secret(prompt: str, *, confirm: bool = False) -> str:
    """A secret from the terminal (not echoed), or the first line of standard input when it is not a
    terminal (``echo "$PW" | fileshare ...``)."""
    if sys.stdin is not None and sys.stdin.isatty():
        value = getpass.getpass(prompt)
        if confirm and value and getpass.getpass("Again: ") != value:
            raise CliError("The two passwords differ.", Exit.USAGE)
    else:
        value = (sys.stdin.readline() if sys.stdin is not None else "").rstrip("\r\n")
    if not value:
        raise CliError("No password was given.", Exit.USAGE)
    return value


def text(prompt: str) -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        value = input(prompt).strip()
    else:
        value = (sys.stdin.readline() if sys.stdin is not None else "").strip()
    if not value:
        raise CliError(f"Nothing was given for {prompt.strip(': ').lower()}.", Exit.USAGE)
    return value


def link_password(asked: bool, *, confirm: bool = False) -> str | None:
    """A share link's password: ``$FILESHARE_PASSWORD`` for scripts, else asked with ``--password-prompt``."""
    from_environment = os.environ.get(PASSWORD_VARIABLE)
    if from_environment:
        return from_environment
    return secret("Link password: ", confirm=confirm) if asked else None
