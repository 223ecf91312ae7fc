"""Email over the whole local stack: a link sent by its owner, a file received by a request, an
upload problem; each through the app's bus, the mailer and moto's SES (read back as the local
stack shows it, ``devstack.mail``)."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests

from devstack.mail import SentMail, sent_mail
from devstack.stack import REGION, LocalStack
from tests.contracts import validate_event
from tests.integration.test_upload_to_download import Owner
from tests.stack_support import BusRecorder, eicar

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def bus(local_stack: LocalStack) -> BusRecorder:
    return BusRecorder(local_stack, "email-test-recorder")


@pytest.fixture
def owner(local_stack: LocalStack) -> Owner:
    return Owner(local_stack)


def address() -> str:
    return f"{uuid.uuid4().hex[:10]}@example.com"


def mail_to(to: str, count: int = 1, timeout: float = 20, *, any_case: bool = False) -> list[SentMail]:
    """The messages sent to ``to`` (its case ignored if ``any_case``), once there are ``count`` of
    them (or the time is up)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in sent_mail(REGION) if m.to == to or (any_case and m.to.lower() == to.lower())]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def ready_file(owner: Owner, name: str = "report.txt") -> str:
    file_id = owner.upload(b"quarterly numbers\n" * 20, name=name)
    assert owner.wait_until_done(file_id)["status"] == "READY"
    return file_id


def new_share(owner: Owner, file_id: str, **options: Any) -> dict[str, Any]:
    answer = owner.call("POST", f"/files/{file_id}/shares", json=options)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def email(owner: Owner, file_id: str, share_id: str, **body: Any) -> requests.Response:
    return owner.call("POST", f"/files/{file_id}/shares/{share_id}/emails", json=body)


def sub_of(owner: Owner) -> str:
    return str(jwt.decode(owner.id_token, options={"verify_signature": False})["sub"])


def test_a_link_is_emailed_to_each_address_and_no_message_holds_another_link_or_a_password(
    owner: Owner, bus: BusRecorder
) -> None:
    file_id = ready_file(owner, name="R&D notes.txt")
    sent = new_share(owner, file_id, password="first secret pass")
    other = new_share(owner, file_id, password="second secret pass")
    first, second = address(), address()

    answer = email(owner, file_id, sent["shareId"], to=[first, second.upper()], message="<i>see</i> you & soon")

    assert answer.status_code == 202, answer.text
    assert answer.json()["recipients"] == [first, second.upper().split("@")[0] + "@example.com"]
    [event] = [e for e in bus.events_for(file_id, "ShareEmailRequested") if e["detail"]["shareId"] == sent["shareId"]]
    assert event["detail"]["message"] == "<i>see</i> you & soon"
    assert sent["token"] not in json.dumps(event) and other["token"] not in json.dumps(event)
    messages = mail_to(first) + mail_to(second, any_case=True)  # one message per recipient, each awaited
    assert [m.to.lower() for m in messages] == [first, second]
    for message in messages:
        whole = json.dumps(message.__dict__)
        assert sent["url"] in message.text and f'href="{sent["url"]}"' in message.html
        assert other["token"] not in whole
        assert "first secret pass" not in whole and "second secret pass" not in whole
        assert "needs a password" in message.text
        # Everything a person typed is escaped in the HTML part.
        assert "&lt;i&gt;see&lt;/i&gt; you &amp; soon" in message.html and "<i>" not in message.html
        assert "R&amp;D notes.txt" in message.html and "R&D" not in message.html
        assert owner.email in message.subject


def test_past_the_hourly_allowance_the_request_is_refused_with_retry_after_and_nothing_is_sent(owner: Owner) -> None:
    file_id = ready_file(owner)
    share = new_share(owner, file_id)
    first_ten = [address() for _ in range(10)]
    assert email(owner, file_id, share["shareId"], to=first_ten).json()["remainingThisHour"] == 10
    second = email(owner, file_id, share["shareId"], to=[address() for _ in range(10)])
    assert second.status_code == 202 and second.json()["remainingThisHour"] == 0
    too_many = address()

    refused = email(owner, file_id, share["shareId"], to=[too_many])

    assert refused.status_code == 429, refused.text
    assert refused.json()["error"]["code"] == "email_rate_exceeded"
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    assert len(mail_to(first_ten[-1])) == 1  # the accepted ones went out...
    assert mail_to(too_many, timeout=2) == []  # ...the refused one did not


def test_a_bad_address_is_named_and_more_than_ten_are_refused(owner: Owner) -> None:
    file_id = ready_file(owner)
    share = new_share(owner, file_id)
    good = address()

    bad = email(owner, file_id, share["shareId"], to=[good, "not an address"])
    eleven = email(owner, file_id, share["shareId"], to=[address() for _ in range(11)])

    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_address"
    assert "not an address" in bad.json()["error"]["message"]
    assert eleven.status_code == 400 and eleven.json()["error"]["code"] == "invalid_request"
    assert mail_to(good, timeout=2) == []


def test_a_revoked_link_or_another_owners_link_is_not_emailed(owner: Owner, local_stack: LocalStack) -> None:
    file_id = ready_file(owner)
    share = new_share(owner, file_id)
    assert owner.call("DELETE", f"/files/{file_id}/shares/{share['shareId']}").status_code == 204
    stranger = Owner(local_stack)

    revoked = email(owner, file_id, share["shareId"], to=[address()])
    not_theirs = email(stranger, file_id, share["shareId"], to=[address()])

    assert revoked.status_code == 409 and revoked.json()["error"]["code"] == "share_not_live"
    assert not_theirs.status_code == 404


def test_an_upload_problem_is_emailed_only_once_its_owner_turns_it_on(owner: Owner, bus: BusRecorder) -> None:
    assert owner.call("GET", "/me").json()["notifications"] == {"uploadProblems": False}
    quiet = owner.upload(eicar(), name="quiet.txt")
    assert owner.wait_until_done(quiet)["status"] == "INFECTED"
    assert bus.events_for(quiet, "FileRejected")

    turned_on = owner.call("PUT", "/me/notifications", json={"uploadProblems": True})
    loud = owner.upload(eicar(), name="loud.txt")
    assert owner.wait_until_done(loud)["status"] == "INFECTED"

    assert turned_on.status_code == 200 and turned_on.json() == {"uploadProblems": True}
    assert owner.call("GET", "/me").json()["notifications"] == {"uploadProblems": True}
    [message] = mail_to(owner.email)  # the first one, sent while it was off, never was
    assert "loud.txt" in message.subject and "INFECTED" not in message.subject
    assert "infected" in message.text and "quiet.txt" not in message.text


def test_a_file_received_by_a_request_is_emailed_to_the_owner_in_their_locale(
    owner: Owner, local_stack: LocalStack
) -> None:
    cognito = local_stack.client("cognito-idp")
    pool = local_stack.stack.ref("UserPool")
    [user] = cognito.list_users(UserPoolId=pool, Filter=f'sub = "{sub_of(owner)}"')["Users"]
    cognito.admin_update_user_attributes(
        UserPoolId=pool, Username=user["Username"], UserAttributes=[{"Name": "locale", "Value": "fr-CA"}]
    )
    event = {
        "Source": "fileshare",
        "DetailType": "RequestFileReceived",
        "EventBusName": local_stack.stack.ref("AppEventBus"),
        "Detail": json.dumps(
            {
                "ownerId": sub_of(owner),
                "requestId": uuid.uuid4().hex[:16],
                "requestTitle": "Tax <papers>",
                "fileId": uuid.uuid4().hex,
                "name": "w2.pdf",
                "size": 2048,
                "status": "READY",
                "uploaderName": "Ann & Bob",
                "occurredAt": "2026-11-29T12:00:00.000Z",
            }
        ),
    }
    validate_event(
        {
            "version": "0",
            "id": "1",
            "detail-type": event["DetailType"],
            "source": "fileshare",
            "account": "123456789012",
            "time": "2026-11-29T12:00:00Z",
            "region": REGION,
            "resources": [],
            "detail": json.loads(event["Detail"]),
        }
    )

    local_stack.client("events").put_events(Entries=[event])

    [message] = mail_to(owner.email)
    assert message.subject == "« Tax <papers> » a reçu un fichier : w2.pdf"
    assert "Ann & Bob" in message.text and "Ann &amp; Bob" in message.html and "<papers>" not in message.html


def test_the_local_stack_lists_sent_mail_and_prints_a_line(
    owner: Owner, local_stack: LocalStack, stack_log_path: Path
) -> None:
    file_id = ready_file(owner, name="listed.txt")
    share = new_share(owner, file_id)
    earlier, later = address(), address()
    assert email(owner, file_id, share["shareId"], to=[earlier]).status_code == 202
    assert mail_to(earlier)
    assert email(owner, file_id, share["shareId"], to=[later]).status_code == 202
    assert mail_to(later)

    page = requests.get(f"{local_stack.app_url}/local/mail", timeout=10)

    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "listed.txt" in page.text and share["url"] in page.text
    assert page.text.index(later) < page.text.index(earlier)  # newest first
    assert f"[mail] to {later} subject" in stack_log_path.read_text()
