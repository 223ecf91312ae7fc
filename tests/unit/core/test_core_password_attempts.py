"""fileshare.core.shares: a link's password is judged only after an attempt has been taken with one
atomic write (the redeem workflow's ``reserve``), so the lockout holds however many guesses race;
a password link shows nothing before its password."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fileshare.core import clock, lockout
from fileshare.core.commands import CommandFailed
from fileshare.core.errors import Forbidden, NotFound, TooManyAttempts
from fileshare.core.lockout import PasswordPolicy
from fileshare.core.passwords import hash_password
from fileshare.core.records import FileRecord, ShareRecord
from fileshare.core.shares import Link, ShareLookup, public_view, unlock
from fileshare.core.tokens import hash_token
from tests.unit.core.test_core_records import NOW, a_file

TOKEN = "Q2hhbmdlTWUtdGhpcy1pcy1hLTQzLWNoYXItdG9rZW4"
PASSWORD_HASH = hash_password("correct horse")
POLICY = PasswordPolicy(max_attempts=5, lock_seconds=900)


def a_share(**changes: Any) -> ShareRecord:
    values: dict[str, Any] = {
        "share_id": "0123456789abcdef",
        "file_id": "0123456789abcdef0123456789abcdef",
        "token_hash": hash_token(TOKEN),
        "token_ciphertext": "Y2lwaGVy",
        "created_at": clock.to_iso(NOW - timedelta(hours=1)),
        "expires_at": clock.to_iso(NOW + timedelta(days=1)),
        "password_hash": PASSWORD_HASH,
        **changes,
    }
    return ShareRecord(**values)


class Index:
    def __init__(self, share: ShareRecord) -> None:
        self.share = share

    def get_share(self, token_hash: str) -> ShareRecord | None:
        return self.share if token_hash == self.share.token_hash else None

    def get_file(self, file_id: str) -> FileRecord | None:
        return a_file()


class Workflow:
    """The redeem workflow as the API sees it: records each command; may refuse with an error."""

    def __init__(self, refuse: dict[str, str] | None = None) -> None:
        self.modes: list[str] = []
        self.refuse = refuse or {}

    def __call__(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.modes.append(payload["mode"])
        if payload["mode"] in self.refuse:
            raise CommandFailed(self.refuse[payload["mode"]], "", "arn:aws:states:x")
        return {}


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password scrypt compares, in order."""
    seen: list[str] = []
    original = lockout.verify_password

    def verify(password: str, stored: str) -> bool:
        seen.append(password)
        return original(password, stored)

    monkeypatch.setattr(lockout, "verify_password", verify)
    return seen


def open_with(share: ShareRecord, workflow: Workflow, password: str) -> dict[str, Any]:
    return unlock(lookup=ShareLookup(Index(share)), run=workflow, token=TOKEN, password=password, policy=POLICY, at=NOW)


def test_the_right_password_takes_an_attempt_first_then_resets_the_count(checked: list[str]) -> None:
    workflow = Workflow()

    view = open_with(a_share(), workflow, "correct horse")

    assert workflow.modes == ["reserve", "unlock"]
    assert checked == ["correct horse"]
    assert view["name"] == "report.pdf" and view["passwordRequired"] is True


def test_a_wrong_password_stays_counted(checked: list[str]) -> None:
    workflow = Workflow()

    with pytest.raises(Forbidden) as refused:
        open_with(a_share(), workflow, "wrong horse")

    assert refused.value.code == "wrong_password"
    assert workflow.modes == ["reserve"]  # nothing resets the attempt it took


def test_when_no_attempt_is_left_even_the_right_password_is_not_checked(checked: list[str]) -> None:
    workflow = Workflow(refuse={"reserve": "Locked"})

    with pytest.raises(TooManyAttempts):
        open_with(a_share(), workflow, "correct horse")

    assert checked == []
    assert workflow.modes == ["reserve"]


def test_a_locked_link_answers_at_once(checked: list[str]) -> None:
    workflow = Workflow()

    with pytest.raises(TooManyAttempts):
        open_with(a_share(locked_until=clock.to_iso(NOW + timedelta(minutes=5))), workflow, "correct horse")

    assert workflow.modes == [] and checked == []


def test_a_link_revoked_between_the_guess_and_the_reset_is_the_one_404(checked: list[str]) -> None:
    with pytest.raises(NotFound):
        open_with(a_share(), Workflow(refuse={"unlock": "ShareUnavailable"}), "correct horse")


def test_a_password_link_shows_only_that_it_needs_one() -> None:
    protected = public_view(Link(a_share(), [a_file()]))
    open_link = public_view(Link(a_share(password_hash=None), [a_file()]))

    assert protected == {"passwordRequired": True, "expiresAt": a_share().expires_at}
    assert open_link["name"] == "report.pdf" and open_link["passwordRequired"] is False
    assert public_view(Link(a_share(), [a_file()]), unlocked=True)["name"] == "report.pdf"


def test_a_link_without_a_password_unlocks_without_a_workflow(checked: list[str]) -> None:
    workflow = Workflow()

    view = open_with(a_share(password_hash=None), workflow, "anything")

    assert workflow.modes == [] and checked == []
    assert view["passwordRequired"] is False
