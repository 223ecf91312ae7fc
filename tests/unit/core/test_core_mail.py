"""The emails: escaping, locales and their fallback, what a link email may hold, the addresses a
link may be sent to, the hourly window, and the MIME message SES gets."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from fileshare.core.directory import Person
from fileshare.core.errors import InvalidRequest
from fileshare.core.mail import (
    CATALOGUES,
    Email,
    available_locales,
    request_file_received_email,
    resolve_locale,
    share_link_email,
    upload_problem_email,
)
from fileshare.core.mailbox import compose
from fileshare.core.notifications import Mailroom, on_file_rejected, on_share_email_requested
from fileshare.core.records import FileRecord, ShareRecord
from fileshare.core.share_emails import RateWindow, recipients

NASTY = "<script>alert(\"x\")</script> & 'friends'"
AT = datetime(2026, 11, 29, 12, 20, 30, tzinfo=UTC)


def link(**overrides: object) -> Email:
    options: dict[str, object] = {
        "sender": "ann@example.com",
        "name": "report.pdf",
        "size": 3 * 2**20,
        "url": "https://files.example/s/" + "A" * 43,
        "expires_at": "2026-12-06T12:00:00.000Z",
        "password_protected": False,
        "message": None,
    }
    options.update(overrides)
    return share_link_email("en", **options)  # type: ignore[arg-type]  # the keywords above, varied per test


def test_every_person_typed_value_is_escaped_in_the_html_part_and_kept_as_typed_in_the_text() -> None:
    email = link(name=NASTY, message=NASTY, sender=NASTY)

    assert "<script>" not in email.html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in email.html
    assert "&amp; &#x27;friends&#x27;" in email.html
    assert NASTY in email.text
    assert re.findall(r"<(\w+)", email.html) == [
        "html", "head", "meta", "title", "body", "p", "p", "blockquote", "p", "br", "a", "p", "p",
    ]  # fmt: skip


def test_request_and_problem_emails_escape_titles_names_reasons_and_uploaders() -> None:
    received = request_file_received_email(
        None, request_title=NASTY, name=NASTY, size=10, status="READY", uploader_name=NASTY, app_url="https://a.example"
    )
    problem = upload_problem_email(None, name=NASTY, status="INFECTED", reason=NASTY, app_url="https://a.example")

    for email in (received, problem):
        assert "<script>" not in email.html and "&lt;script&gt;" in email.html
        assert NASTY in email.text


def test_a_subject_is_one_line_whatever_the_name_holds() -> None:
    email = link(name="a.pdf\r\nBcc: victim@example.com", sender="ann@example.com")

    assert "\n" not in email.subject and "\r" not in email.subject
    assert email.subject == "ann@example.com shared “a.pdf Bcc: victim@example.com” with you"


@pytest.mark.parametrize(
    ("requested", "chosen"),
    [("fr", "fr"), ("fr-CA", "fr"), ("FR_ca", "fr"), ("en-GB", "en"), ("de", "en"), ("", "en"), (None, "en")],
)
def test_the_locale_falls_back_to_the_language_then_to_english(requested: str | None, chosen: str) -> None:
    assert resolve_locale(requested) == chosen
    assert link().locale == "en"
    assert share_link_email(requested, **_link_options()).locale == chosen


def _link_options() -> dict[str, object]:
    return {
        "sender": "ann@example.com",
        "name": "r.pdf",
        "size": 1,
        "url": "https://x.example/s/t",
        "expires_at": "2026-12-06T12:00:00.000Z",
        "password_protected": False,
        "message": None,
    }


def test_a_french_owner_gets_french_and_an_unknown_locale_english() -> None:
    french = upload_problem_email("fr-FR", name="x.exe", status="REJECTED", reason="r", app_url="https://a.example")
    other = upload_problem_email("tlh", name="x.exe", status="REJECTED", reason="r", app_url="https://a.example")

    assert french.subject == "Votre envoi « x.exe » n’a pas été accepté" and 'lang="fr"' in french.html
    assert other.subject == "Your upload “x.exe” was not accepted" and 'lang="en"' in other.html


def test_every_catalogue_has_the_english_messages_with_the_same_placeholders() -> None:
    english = json.loads((CATALOGUES / "en.json").read_text())
    assert {"en", "fr"} <= set(available_locales())
    for locale in available_locales():
        other = json.loads((CATALOGUES / f"{locale}.json").read_text())
        assert other.keys() == english.keys(), locale
        for group, words in english.items():
            assert other[group].keys() == words.keys(), (locale, group)
            for key, text in words.items():
                assert set(re.findall(r"{\w+}", other[group][key])) == set(re.findall(r"{\w+}", text)), (locale, key)


def test_a_password_link_says_it_needs_one_and_carries_only_its_url() -> None:
    url = "https://files.example/s/" + "B" * 43

    protected = link(url=url, password_protected=True)
    open_link = link(url=url)

    assert "needs a password" in protected.text and "needs a password" not in open_link.text
    assert re.findall(r"https?://\S+", protected.text) == [url]
    assert re.findall(r'href="([^"]+)"', protected.html) == [url]


class FakeIndex:
    def __init__(self, record: FileRecord, shares: list[ShareRecord], upload_problems: bool = False) -> None:
        self.record, self.shares, self.upload_problems = record, shares, upload_problems

    def get_file(self, file_id: str) -> FileRecord | None:
        return self.record if file_id == self.record.file_id else None

    def list_shares(self, file_id: str) -> list[ShareRecord]:
        return self.shares

    def notifications(self, owner_id: str) -> dict[str, bool]:
        return {"uploadProblems": self.upload_problems}


def _record(status: str = "READY") -> FileRecord:
    return FileRecord(
        file_id="f" * 32,
        owner_id="owner-1",
        name="plans.pdf",
        size=1000,
        content_type="application/pdf",
        status=status,
        created_at="2026-11-29T10:00:00.000Z",
        updated_at="2026-11-29T10:00:01.000Z",
        object_key="uploads/owner-1/" + "f" * 32,
        object_version="v1",
        etag="e",
        expires_at="2026-12-29T10:00:00.000Z",
        reason="malware found: EICAR" if status == "INFECTED" else None,
    )


def _share(share_id: str, token: str, password_hash: str | None = None, revoked: bool = False) -> ShareRecord:
    return ShareRecord(
        share_id=share_id,
        file_id="f" * 32,
        token_hash="h" + share_id,
        token_ciphertext="cipher-of-" + token,
        created_at="2026-11-29T10:00:00.000Z",
        expires_at="2026-12-06T10:00:00.000Z",
        password_hash=password_hash,
        revoked=revoked,
    )


def _room(index: FakeIndex, outbox: list[tuple[str, Email, str | None]]) -> Mailroom:
    return Mailroom(
        store=index,
        find_person=lambda sub: Person("owner@example.com", "en") if sub == "owner-1" else None,
        send=lambda to, email, reply_to: outbox.append((to, email, reply_to)),
        decrypt_token=lambda share: share.token_ciphertext.removeprefix("cipher-of-"),
        app_url="https://files.example",
    )


def test_each_recipient_gets_that_link_only_never_another_token_or_a_password_hash() -> None:
    sent = _share("1" * 16, "T" * 43, password_hash="scrypt$sent-hash")
    other = _share("2" * 16, "U" * 43, password_hash="scrypt$other-hash")
    outbox: list[tuple[str, Email, str | None]] = []
    to = ["a@x.example", "b@x.example"]
    detail = {"fileId": "f" * 32, "ownerId": "owner-1", "shareId": sent.share_id, "recipients": to}

    written = on_share_email_requested(_room(FakeIndex(_record(), [other, sent]), outbox), detail, AT)

    assert written == ["a@x.example", "b@x.example"] and [o[0] for o in outbox] == written
    for _, email, reply_to in outbox:
        whole = email.subject + email.text + email.html
        assert "https://files.example/s/" + "T" * 43 in email.text and "U" * 43 not in whole
        assert "hash" not in whole and "scrypt" not in whole
        assert reply_to == "owner@example.com"


def test_a_link_revoked_before_the_mailer_runs_is_not_sent() -> None:
    revoked = _share("1" * 16, "T" * 43, revoked=True)
    outbox: list[tuple[str, Email, str | None]] = []
    detail = {"fileId": "f" * 32, "ownerId": "owner-1", "shareId": revoked.share_id, "recipients": ["a@x.example"]}

    assert on_share_email_requested(_room(FakeIndex(_record(), [revoked]), outbox), detail, AT) == []
    assert outbox == []


@pytest.mark.parametrize("turned_on", [False, True])
def test_an_upload_problem_goes_to_the_owner_only_when_turned_on(turned_on: bool) -> None:
    outbox: list[tuple[str, Email, str | None]] = []
    detail = {"fileId": "f" * 32, "ownerId": "owner-1", "status": "INFECTED", "reason": "malware found: EICAR"}

    on_file_rejected(_room(FakeIndex(_record("INFECTED"), [], upload_problems=turned_on), outbox), detail)

    assert [o[0] for o in outbox] == (["owner@example.com"] if turned_on else [])


def test_addresses_are_normalised_deduplicated_and_a_bad_one_is_named() -> None:
    assert recipients(["Ann@Example.COM", "ann@example.com", " bob@example.org "]) == [
        "Ann@example.com",
        "bob@example.org",
    ]
    with pytest.raises(InvalidRequest) as bad:
        recipients(["ok@example.com", "ann@@example.com"])
    assert bad.value.code == "invalid_address" and "'ann@@example.com'" in bad.value.message
    with pytest.raises(InvalidRequest):
        recipients([f"r{i}@example.com" for i in range(11)])


def test_the_window_is_the_clock_hour_and_retry_after_reaches_its_end() -> None:
    window = RateWindow.at(AT)

    assert window.start == datetime(2026, 11, 29, 12, tzinfo=UTC)
    assert window.seconds_left(AT) == 3600 - 20 * 60 - 30
    assert window.counter_key("o") == {"pk": "OWNER#o", "sk": "MAILRATE#2026-11-29T12:00:00.000Z"}


def test_the_message_ses_gets_has_both_parts_a_reply_to_and_one_recipient() -> None:
    email = link(message="hi")
    raw = compose(sender="no-reply@files.example", to="a@x.example", email=email, reply_to="ann@example.com")

    parsed = message_from_bytes(raw.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    assert (parsed["To"], parsed["Reply-To"], parsed["Subject"]) == ("a@x.example", "ann@example.com", email.subject)
    assert parsed.get_content_type() == "multipart/alternative"
    plain, rich = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert plain is not None and plain.get_content() == email.text
    assert rich is not None and rich.get_content() == email.html
