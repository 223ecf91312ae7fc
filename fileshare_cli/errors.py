"""What can go wrong for a user: one sentence and a documented exit status (``MEANINGS``, shown
by ``fileshare --help`` and in docs/architecture.md)."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    AUTH = 3
    NOT_FOUND = 4
    PASSWORD = 5
    NOT_READY = 6
    INTERRUPTED = 130


MEANINGS = {
    Exit.OK: "done (upload --wait: every file is READY)",
    Exit.ERROR: "an error: network, server, an unexpected answer, a failed integrity check",
    Exit.USAGE: "usage: bad arguments, an unreadable file, a destination that exists (no --force)",
    Exit.AUTH: "not signed in, the session ended, or the sign-in was refused; ops: not an operator",
    Exit.NOT_FOUND: "not found: a dead link (unknown, expired, revoked, used up), an unknown file or link",
    Exit.PASSWORD: "the link needs a password, the password is wrong, or the link is locked",
    Exit.NOT_READY: "upload --wait: a file ended REJECTED, INFECTED or FAILED, or was not done in time",
    Exit.INTERRUPTED: "interrupted (Ctrl-C); run the same upload again to resume one sent in parts",
}


class CliError(Exception):
    """A failure the user can understand: ``str(error)`` is one sentence, ``status`` the exit status."""

    def __init__(self, sentence: str, status: Exit = Exit.ERROR, code: str | None = None) -> None:
        super().__init__(sentence)
        self.status = status
        self.code = code or status.name.lower()
