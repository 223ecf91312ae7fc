"""What the app would have emailed: moto's SES keeps every message it accepts (``sent_messages`` of
its in-process backend), and the local stack shows them on the console (``[mail] to … subject …``)
and at ``/local/mail`` on the web server, newest first. Local only: nothing here is deployed."""

from __future__ import annotations

import html
from dataclasses import dataclass
from email import message_from_string, policy
from email.message import EmailMessage
from typing import Any

from moto.ses.models import RawMessage, ses_backends

from devstack.template import ACCOUNT_ID


@dataclass(frozen=True)
class SentMail:
    message_id: str
    sender: str
    to: str
    subject: str
    text: str
    html: str


def read(message: Any) -> SentMail:
    """One message moto's SES accepted (raw MIME, as the mailer sends, or a simple one)."""
    if isinstance(message, RawMessage):
        parsed = message_from_string(message.raw_data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        text = parsed.get_body(preferencelist=("plain",))
        rich = parsed.get_body(preferencelist=("html",))
        return SentMail(
            message_id=message.id,
            sender=str(parsed["From"] or message.source),
            to=str(parsed["To"] or ", ".join(message.destinations)),
            subject=str(parsed["Subject"] or ""),
            text=text.get_content() if text is not None else "",
            html=rich.get_content() if rich is not None else "",
        )
    to = ", ".join(a for addresses in message.destinations.values() for a in addresses)
    return SentMail(message.id, message.source, to, message.subject, message.body, "")


def sent_mail(region: str) -> list[SentMail]:
    """Every message sent so far, newest first."""
    return [read(m) for m in reversed(list(ses_backends[ACCOUNT_ID][region].sent_messages))]


def console_line(mail: SentMail) -> str:
    return f"to {mail.to} subject {mail.subject!r}"


def mail_page(messages: list[SentMail]) -> str:
    """A small read-only page: to, subject and the plain text of each message, newest first."""
    rows = "\n".join(
        "<article><hr>"
        f"<h2>{html.escape(m.subject)}</h2>"
        f"<p><b>To</b> {html.escape(m.to)} &middot; <b>From</b> {html.escape(m.sender)}</p>"
        f"<pre>{html.escape(m.text)}</pre>"
        "</article>"
        for m in messages
    )
    empty = "<p>No email has been sent yet.</p>" if not messages else ""
    # No inline style: the page gets the app's Content-Security-Policy like every other answer.
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        "<title>Local mail - Fileshare</title></head>\n<body><h1>Local mail</h1>"
        f"<p>What the local stack's SES accepted ({len(messages)}), newest first. Nothing leaves this machine.</p>"
        f"{empty}\n{rows}\n</body></html>\n"
    )
