"""EventBridge target on the app's bus: the emails for ``ShareEmailRequested``, ``FileRejected``
and ``RequestFileReceived`` (``fileshare.core.notifications``), sent through SES.

A failure (Cognito, KMS or SES unavailable) raises: Lambda retries the event twice, then puts it in
the mail dead-letter queue."""

from __future__ import annotations

from typing import Any, NamedTuple

from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.core import clock, config, mailbox
from fileshare.core.directory import find_person
from fileshare.core.mail import Email
from fileshare.core.notifications import (
    Mailroom,
    decrypt_share_token,
    on_file_rejected,
    on_request_file_received,
    on_share_email_requested,
)
from fileshare.core.store import IndexReader
from fileshare.observability import logger, metrics, tracer


class Settings(NamedTuple):
    table_name: str
    user_pool_id: str
    app_url: str
    mail_from_address: str
    mail_configuration_set: str = ""


settings = config.load(Settings)


def _send(to: str, email: Email, reply_to: str | None) -> None:
    mailbox.send(
        sender=settings.mail_from_address,
        to=to,
        email=email,
        reply_to=reply_to,
        configuration_set=settings.mail_configuration_set,
    )


room = Mailroom(
    store=IndexReader(settings.table_name),
    find_person=lambda sub: find_person(settings.user_pool_id, sub),
    send=_send,
    decrypt_token=decrypt_share_token,
    app_url=settings.app_url,
)


@logger.inject_lambda_context
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    kind = event["detail-type"]
    detail = event["detail"]
    logger.append_keys(file_id=detail.get("fileId"), event=kind, event_id=event["id"])
    if kind == "ShareEmailRequested":
        sent = on_share_email_requested(room, detail, clock.now())
    elif kind == "FileRejected":
        sent = on_file_rejected(room, detail)
    elif kind == "RequestFileReceived":
        sent = on_request_file_received(room, detail)
    else:
        raise ValueError(f"the mailer does not handle {kind!r}")
    metrics.add_metric(name="EmailsSent", unit="Count", value=len(sent))
    logger.info("mail", extra={"messages": len(sent)})  # counts only: no addresses, no links
    return {"sent": len(sent)}


init_complete()
