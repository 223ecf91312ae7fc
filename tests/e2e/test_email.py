"""Owners send a link by email from the link dialog, and turn on emails about upload problems."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from playwright.sync_api import Page, ViewportSize, expect

from devstack.mail import SentMail, sent_mail
from devstack.stack import REGION
from tests.e2e.app_flows import choose_files, open_links, sign_up, wait_for_status
from tests.e2e.browser_checks import axe_check, no_horizontal_scroll, save_screenshot

PHONE: ViewportSize = {"width": 360, "height": 740}


def mail_to(to: str, timeout: float = 30) -> list[SentMail]:
    deadline = time.monotonic() + timeout
    while not (found := [m for m in sent_mail(REGION) if m.to == to]) and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def test_the_owner_sends_a_link_by_email_and_is_told_what_went_and_what_was_refused(
    new_page: Callable[..., Page],
) -> None:
    owner = new_page("owner")
    sign_up(owner)
    choose_files(owner, ("minutes.txt", b"what we decided\n", "text/plain"))
    wait_for_status(owner, "minutes.txt", "Ready")
    dialog = open_links(owner, "minutes.txt")
    url = dialog.get_by_label("Link", exact=True).first.input_value()
    dialog.get_by_role("button", name="Email…").first.click()
    form = dialog.get_by_role("form", name="Send this link by email")

    # A typo is named before anything is sent
    form.get_by_label("Send this link to…").fill("ann@example.com, bob")
    form.get_by_role("button", name="Send").click()
    expect(form.get_by_role("alert")).to_have_text("“bob” is not an email address.")
    # The API names an address it refuses
    form.get_by_label("Send this link to…").fill("ann@example..com")
    form.get_by_role("button", name="Send").click()
    expect(form.get_by_role("alert")).to_contain_text("'ann@example..com' is not an email address")

    to = f"{uuid.uuid4().hex[:8]}@example.com"
    form.get_by_label("Send this link to…").fill(to)
    form.get_by_label("Message (optional)").fill("Here are the minutes.")
    form.get_by_role("button", name="Send").click()

    expect(form.get_by_role("status")).to_have_text(f"Sent to {to}. You can email 19 more people this hour.")
    expect(form.get_by_role("alert")).to_have_count(0)
    axe_check(owner)
    save_screenshot(owner, "link-dialog-email")
    [message] = mail_to(to)  # the mailer runs on the event, a moment after the answer
    assert url in message.text and "Here are the minutes." in message.text

    owner.emulate_media(color_scheme="dark")
    owner.set_viewport_size(PHONE)
    no_horizontal_scroll(owner)
    save_screenshot(owner, "link-dialog-email-360-dark")


def test_the_owner_turns_on_emails_about_upload_problems_and_it_stays_on(new_page: Callable[..., Page]) -> None:
    owner = new_page("owner", viewport=PHONE)
    sign_up(owner)
    toggle = owner.get_by_label("Email me when an upload is rejected or infected")
    expect(toggle).to_be_enabled()
    expect(toggle).not_to_be_checked()

    toggle.check()
    expect(toggle).to_be_enabled()  # saved
    owner.reload()

    expect(owner.get_by_label("Email me when an upload is rejected or infected")).to_be_checked()
    no_horizontal_scroll(owner)
    axe_check(owner)
    save_screenshot(owner, "notifications-toggle-360")
