"""File requests in the browser: an owner asks for files with a link; a stranger, in a browser of
their own with no account, sends files on /r/{token} and sees each verdict; the owner sees them arrive."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page, Response, expect

from tests.e2e.app_flows import EICAR, SETTLED, choose_files, file_item, sign_up, wait_for_status
from tests.e2e.browser_checks import axe_check, no_horizontal_scroll, save_screenshot

PHONE = {"width": 360, "height": 740}
TITLE = "Photos from the school trip"


def ask_for_files(owner: Page, title: str = TITLE, max_files: int | None = None) -> tuple[Locator, str]:
    """The owner's Requests view: a new request; returns its item and its link."""
    owner.get_by_role("navigation", name="Pages").get_by_role("link", name="Requests").click()
    expect(owner.get_by_role("heading", name="Ask for files")).to_be_visible()
    owner.get_by_label("What are you asking for?").fill(title)
    if max_files is not None:
        owner.get_by_label("Files at most (optional)").fill(str(max_files))
    owner.get_by_role("button", name="Make a link").click()
    item = (
        owner.get_by_role("list", name="Your requests")
        .get_by_role("listitem")
        .filter(has=owner.get_by_role("heading", name=title, exact=True))
    )
    # The first command on a fresh local stack starts its functions cold; the list shows it either way.
    expect(item).to_be_visible(timeout=SETTLED)
    url = item.get_by_label(f"Link for {title}").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/r/[A-Za-z0-9_-]{43}", url), url
    return item, url


def sent_file(page: Page, name: str) -> Locator:
    return page.get_by_role("list", name="Files you sent").get_by_role("listitem").filter(has_text=name)


def test_a_stranger_sends_files_through_a_request_and_the_owner_sees_them_arrive(owner: Page, recipient: Page) -> None:
    # Given an owner who asks for at most two files, and copies the link
    sign_up(owner)
    owner.context.grant_permissions(["clipboard-read", "clipboard-write"])
    item, url = ask_for_files(owner, max_files=2)
    item.get_by_role("button", name="Copy link").click()
    expect(item.get_by_text("Copied.")).to_be_visible()
    assert owner.evaluate("() => navigator.clipboard.readText()") == url
    item.get_by_role("button", name="QR code").click()
    expect(item.get_by_role("img", name=f"QR code of the link for {TITLE}")).to_be_visible()
    axe_check(owner)

    # When a stranger, in a fresh browser with no account, opens it, gives a name and sends two files
    scripts: list[Response] = []
    recipient.on("response", lambda r: scripts.append(r) if r.request.resource_type == "script" else None)
    recipient.goto(url)
    expect(recipient.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(recipient.get_by_text("Files it still takes")).to_be_visible()
    recipient.get_by_label("Your name (optional)").fill("Ada Lovelace")
    choose_files(recipient, ("beach.txt", b"sand and sea\n" * 40, "text/plain"), ("prize.txt", EICAR, "text/plain"))

    # Then they see each file's verdict, and nothing else
    expect(sent_file(recipient, "beach.txt")).to_contain_text("Received", timeout=SETTLED)
    expect(sent_file(recipient, "prize.txt")).to_contain_text("Not accepted: malware", timeout=SETTLED)
    axe_check(recipient)
    no_horizontal_scroll(recipient)
    recipient.get_by_role("heading", name="Files you sent").scroll_into_view_if_needed()
    save_screenshot(recipient, "request-page")
    code = b"".join(r.body() for r in scripts)
    for marker in (b"cognito-idp", b"InitiateAuth", b"USER_SRP_AUTH"):
        assert marker not in code, f"the request page's JavaScript contains {marker!r}"

    # And the owner sees both arrive in the Requests view (it reads the list again every few seconds)
    received = item.get_by_role("list", name=f"Files received for {TITLE}")
    expect(received.get_by_role("listitem").filter(has_text="beach.txt")).to_contain_text("Ready", timeout=SETTLED)
    expect(received.get_by_role("listitem").filter(has_text="prize.txt")).to_contain_text("Infected")
    expect(received).to_contain_text("from Ada Lovelace")
    expect(item).to_contain_text("2 files received (at most 2)")
    axe_check(owner)
    received.scroll_into_view_if_needed()
    save_screenshot(owner, "requests-view")
    # and among their files, marked as sent through a request
    owner.get_by_role("navigation", name="Pages").get_by_role("link", name="Your files").click()
    expect(wait_for_status(owner, "beach.txt", "Ready")).to_contain_text("Sent through a request by Ada Lovelace")

    # A full request is a dead link
    recipient.reload()
    expect(recipient.get_by_role("heading", name="This link does not take files")).to_be_visible()


def test_a_closed_request_stops_taking_files_at_once(owner: Page, recipient: Page) -> None:
    sign_up(owner)
    item, url = ask_for_files(owner, title="Signed forms")
    recipient.goto(url)
    expect(recipient.get_by_role("heading", name="Signed forms")).to_be_visible()

    item.get_by_role("button", name="Close the request Signed forms").click()

    expect(item).to_contain_text("Closed")
    expect(item.get_by_role("button", name="Copy link")).to_have_count(0)
    choose_files(recipient, ("form.txt", b"signed\n", "text/plain"))
    expect(recipient.get_by_text("Upload failed")).to_be_visible()
    # Uppy shows a file's error in an alert behind its "?" button
    shown: list[str] = []
    recipient.once("dialog", lambda dialog: (shown.append(dialog.message), dialog.dismiss()))
    recipient.get_by_role("button", name="Show error details").click()
    assert shown and "This request no longer accepts files." in shown[0], shown
    recipient.reload()
    expect(recipient.get_by_role("heading", name="This link does not take files")).to_be_visible()
    axe_check(recipient)


def test_the_request_pages_at_360_px_in_light_and_dark(new_page: Callable[..., Page]) -> None:
    owner = new_page("owner", viewport=PHONE, color_scheme="dark")
    sign_up(owner)
    item, url = ask_for_files(owner, title="A rather long request title that must wrap on a narrow phone screen")
    item.get_by_role("button", name="QR code").click()
    no_horizontal_scroll(owner)
    axe_check(owner)
    save_screenshot(owner, "requests-view-360-dark")

    for scheme in ("light", "dark"):
        uploader = new_page(f"uploader-{scheme}", viewport=PHONE, color_scheme=scheme)
        uploader.goto(url)
        expect(uploader.get_by_role("button", name="browse files")).to_be_visible()
        choose_files(uploader, ("notes.txt", b"notes\n", "text/plain"))
        expect(sent_file(uploader, "notes.txt")).to_contain_text("Received", timeout=SETTLED)
        no_horizontal_scroll(uploader)
        axe_check(uploader)
        save_screenshot(uploader, f"request-page-360-{scheme}")
    expect(file_item(owner, "notes.txt")).to_have_count(0)  # still on the Requests view
