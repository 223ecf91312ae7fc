"""Owners share READY files; recipients, with no account, open the links and download."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.app_flows import (
    choose_files,
    create_link,
    download,
    file_item,
    link_urls,
    open_links,
    sign_up,
    wait_for_status,
)
from tests.e2e.browser_checks import axe_check, no_horizontal_scroll, save_screenshot

DEAD_LINK = "This link does not work"


def ready_file(owner: Page, name: str, content: bytes, content_type: str = "text/plain") -> None:
    sign_up(owner)
    choose_files(owner, (name, content, content_type))
    wait_for_status(owner, name, "Ready")


def test_the_owner_copies_the_link_and_the_recipient_downloads_the_same_bytes(owner: Page, recipient: Page) -> None:
    content = "Grüße aus dem Büro\n".encode() * 50
    ready_file(owner, "greetings.txt", content)
    owner.context.grant_permissions(["clipboard-read", "clipboard-write"])

    dialog = open_links(owner, "greetings.txt")
    dialog.get_by_role("button", name="Copy link").first.click()
    expect(dialog.get_by_text("Copied.")).to_be_visible()
    copied = owner.evaluate("() => navigator.clipboard.readText()")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/s/[A-Za-z0-9_-]{43}", copied), copied
    dialog.get_by_role("button", name="QR code").first.click()
    expect(dialog.get_by_role("img", name="QR code of the link")).to_be_visible()
    axe_check(owner)

    recipient.goto(copied)
    expect(recipient.get_by_role("heading", name="greetings.txt")).to_be_visible()
    expect(recipient.get_by_text("1.1 KB")).to_be_visible()  # 1100 bytes
    assert download(recipient, recipient.get_by_role("button", name="Download")) == content


def test_a_one_download_link_works_once_then_shows_the_dead_link_page(owner: Page, recipient: Page) -> None:
    ready_file(owner, "once.txt", b"only once\n")
    url = create_link(owner, open_links(owner, "once.txt"), max_downloads=1)

    recipient.goto(url)
    expect(recipient.get_by_text("Downloads left")).to_be_visible()
    axe_check(recipient)
    save_screenshot(recipient, "share-page")
    assert download(recipient, recipient.get_by_role("button", name="Download")) == b"only once\n"

    recipient.reload()
    expect(recipient.get_by_role("heading", name=DEAD_LINK)).to_be_visible()
    expect(recipient.get_by_role("button", name="Download")).to_have_count(0)
    axe_check(recipient)


def test_a_password_link_refuses_a_wrong_password_in_words_and_downloads_with_the_right_one(
    owner: Page, recipient: Page
) -> None:
    ready_file(owner, "secret.txt", b"the secret\n")
    dialog = open_links(owner, "secret.txt")
    dialog.get_by_label("Password").fill("short")
    dialog.get_by_role("button", name="Create link").click()
    expect(dialog.get_by_role("alert")).to_contain_text("at least 8 characters")
    url = create_link(owner, dialog, password="correct horse")
    expect(dialog.get_by_text("Password protected")).to_be_visible()
    save_screenshot(owner, "link-dialog")

    recipient.goto(url)
    # Nothing about the file shows before the password is right
    expect(recipient.get_by_role("heading", name="This file needs a password")).to_be_visible()
    expect(recipient.get_by_text("secret.txt")).to_have_count(0)
    password = recipient.get_by_label("Password")
    password.fill("not the one")
    recipient.get_by_role("button", name="Unlock").click()
    expect(recipient.get_by_role("alert")).to_have_text("That password is not right. Check it and try again.")
    axe_check(recipient)

    password.fill("correct horse")
    recipient.get_by_role("button", name="Unlock").click()
    expect(recipient.get_by_role("heading", name="secret.txt")).to_be_visible()
    assert download(recipient, recipient.get_by_role("button", name="Download")) == b"the secret\n"


def test_a_locked_password_link_says_try_again_later(owner: Page, recipient: Page) -> None:
    ready_file(owner, "locked.txt", b"locked\n")
    url = create_link(owner, open_links(owner, "locked.txt"), password="correct horse")
    recipient.goto(url)
    password = recipient.get_by_label("Password")
    alert = recipient.get_by_role("alert")
    for attempt in range(1, 7):
        password.fill(f"wrong guess {attempt}")
        recipient.get_by_role("button", name="Unlock").click()
        expect(alert).to_contain_text(re.compile("not right|Try again later"))
        if "later" in alert.inner_text():
            break
    expect(alert).to_have_text("Too many wrong passwords. Try again later.")
    # Even the right password waits out the lock
    password.fill("correct horse")
    recipient.get_by_role("button", name="Unlock").click()
    expect(alert).to_have_text("Too many wrong passwords. Try again later.")
    expect(recipient.get_by_role("heading", name="locked.txt")).to_have_count(0)


def test_a_revoked_link_dies_and_deleting_the_file_kills_all_its_links(
    owner: Page, new_page: Callable[..., Page]
) -> None:
    ready_file(owner, "temporary.txt", b"short-lived\n")
    dialog = open_links(owner, "temporary.txt")
    second = create_link(owner, dialog)
    first, *_ = [u for u in link_urls(dialog) if u != second]

    # Revoke the newest link: it dies at once, the other one lives
    newest = dialog.get_by_role("listitem").first  # the dialog lists links newest first
    expect(newest.get_by_label("Link", exact=True)).to_have_value(second)
    newest.get_by_role("button", name="Revoke").click()
    expect(dialog.get_by_text("Revoked")).to_be_visible()
    visitor = new_page("recipient")
    visitor.goto(second)
    expect(visitor.get_by_role("heading", name=DEAD_LINK)).to_be_visible()
    visitor.goto(first)
    expect(visitor.get_by_role("button", name="Download")).to_be_visible()

    # Delete the file, after confirming: every link dies
    dialog.get_by_role("button", name="Close").click()
    file_item(owner, "temporary.txt").get_by_role("button", name="Delete temporary.txt").click()
    confirm = owner.get_by_role("dialog", name="Delete this file?")
    expect(confirm).to_contain_text("temporary.txt")
    confirm.get_by_role("button", name="Delete file").click()
    expect(file_item(owner, "temporary.txt")).to_have_count(0)
    visitor.goto(first)
    expect(visitor.get_by_role("heading", name=DEAD_LINK)).to_be_visible()


def test_an_unknown_link_gets_the_friendly_dead_link_page_at_phone_width(new_page: Callable[..., Page]) -> None:
    page = new_page("recipient", viewport={"width": 360, "height": 740})
    page.goto("/s/" + "A" * 43)
    expect(page.get_by_role("heading", name=DEAD_LINK)).to_be_visible()
    no_horizontal_scroll(page)
    axe_check(page)
