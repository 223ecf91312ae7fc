"""SES adapter: one message, plain text and HTML, to one address.

The message goes as raw MIME (multipart/alternative) through SES v2 ``SendEmail``, so both parts
reach the reader (and the local stack keeps both). Each recipient gets a message of their own:
nobody sees the other addresses."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from fileshare.core.aws import client
from fileshare.core.mail import Email


def compose(*, sender: str, to: str, email: Email, reply_to: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = email.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    message["Content-Language"] = email.locale
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message


def send(*, sender: str, to: str, email: Email, reply_to: str | None = None, configuration_set: str = "") -> str:
    """Send one message; returns SES's message id."""
    raw = compose(sender=sender, to=to, email=email, reply_to=reply_to).as_bytes()
    params = {
        "FromEmailAddress": sender,
        "Destination": {"ToAddresses": [to]},
        "Content": {"Raw": {"Data": raw}},
    }
    if configuration_set:
        params["ConfigurationSetName"] = configuration_set
    return str(client("sesv2").send_email(**params)["MessageId"])
