"""Password attempts on a token link, a share or a file request: at most ``max_attempts`` guesses are
ever judged, however many requests race, because each guess first takes an attempt with one atomic
write (the link's redeem workflow, mode ``reserve``) and only then does scrypt run. Once they are
taken the link is locked and every guess, the right one too, gets the same 429. A wrong guess stays
counted; the caller's next command (a download, an unlock, an upload ticket) resets the count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from fileshare.core import clock
from fileshare.core.commands import CommandFailed
from fileshare.core.errors import Forbidden, NotFound, TooManyAttempts
from fileshare.core.passwords import verify_password

Command = Callable[[dict[str, Any]], dict[str, Any]]
# The Fail states of the redeem workflows that mean "this link is dead" (expired, revoked, closed, used up).
UNAVAILABLE = frozenset({"ShareUnavailable", "RequestUnavailable"})


class PasswordPolicy(NamedTuple):
    max_attempts: int
    lock_seconds: int


def locked() -> TooManyAttempts:
    return TooManyAttempts("too many wrong passwords: try again later")


def run_redeem(run: Command, payload: dict[str, Any], dead: NotFound) -> dict[str, Any]:
    """Run one redeem-workflow command, mapping its refusals to the visitor's answers."""
    try:
        return run(payload)
    except CommandFailed as failed:
        if failed.error == "Locked":
            raise locked() from failed
        if failed.error in UNAVAILABLE:
            raise dead from failed
        raise


def check_password(
    *,
    run: Command,
    link: dict[str, Any],
    password_hash: str,
    locked_until: str | None,
    password: str | None,
    policy: PasswordPolicy,
    at: datetime,
    dead: NotFound,
) -> None:
    """Judge a guess at a password link; ``link`` names the item for the workflow (its token hash and
    the id its condition checks). Raises 403 ``password_required`` / ``wrong_password`` or 429."""
    if locked_until is not None and clock.from_iso(locked_until) > at:  # answer without a workflow
        raise locked()
    if not password:
        raise Forbidden("this link needs a password", code="password_required")
    run_redeem(
        run,
        {
            "mode": "reserve",
            **link,
            "now": clock.to_iso(at),
            "maxAttempts": policy.max_attempts,
            "lockUntil": clock.to_iso(clock.later(at, policy.lock_seconds)),
        },
        dead,
    )
    if not verify_password(password, password_hash):
        raise Forbidden("wrong password", code="wrong_password")
