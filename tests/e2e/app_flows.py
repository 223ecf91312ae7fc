"""What a person does in the web app, step by step, with accessible locators only."""

from __future__ import annotations

import base64
import re
import uuid
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

PASSWORD = "Fileshare-e2e-1"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
# The workflow takes a few seconds per file on a loaded machine.
SETTLED = 60_000
# Assertions wait as long as actions do (the page fixtures' 15 s); the first calls to a fresh local
# stack start its functions cold.
expect.set_options(timeout=15_000)


def sign_up(page: Page) -> str:
    """A new owner, through the sign-up form (the local stack confirms accounts at once)."""
    email = f"owner-{uuid.uuid4().hex[:10]}@example.com"
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Your files")).to_be_visible()
    return email


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your files")).to_be_visible()


def upload_area(page: Page) -> Locator:
    """The upload area, once Uppy has loaded into it."""
    area = page.get_by_role("region", name="Upload files")
    expect(area.get_by_role("button", name=re.compile("^(browse files|Add more files)$")).first).to_be_visible()
    return area


def choose_files(page: Page, *files: tuple[str, bytes, str]) -> None:
    """Pick files with the upload area's file picker (after "Add more" when files are listed)."""
    area = upload_area(page)
    add_more = area.get_by_role("button", name="Add more files")
    if add_more.is_visible():
        add_more.click()
    with page.expect_file_chooser() as chooser:
        area.get_by_role("button", name="browse files").click()
    chooser.value.set_files([{"name": n, "mimeType": t, "buffer": b} for n, b, t in files])


def drop_files(page: Page, *files: tuple[str, bytes | int, str]) -> None:
    """Drop files onto the upload area, as a drag from the desktop does. A file given as a number
    is that many zero bytes (made in the page: large files do not cross the wire)."""
    upload_area(page)
    transfer = page.evaluate_handle(
        """(files) => {
            const transfer = new DataTransfer();
            for (const [name, content, type] of files) {
                const bytes = typeof content === 'number'
                    ? new Uint8Array(content)
                    : Uint8Array.from(atob(content), (c) => c.charCodeAt(0));
                transfer.items.add(new File([bytes], name, { type }));
            }
            return transfer;
        }""",
        [[n, c if isinstance(c, int) else base64.b64encode(c).decode(), t] for n, c, t in files],
    )
    target = page.locator(".uppy-Dashboard-AddFiles")
    for event in ("dragenter", "dragover", "drop"):
        target.dispatch_event(event, {"dataTransfer": transfer})


def file_item(page: Page, name: str) -> Locator:
    return (
        page.get_by_role("list", name="Your files")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", name=name, exact=True))
    )


def wait_for_status(page: Page, name: str, status: str) -> Locator:
    item = file_item(page, name)
    expect(item).to_contain_text(status, timeout=SETTLED)
    return item


def open_links(page: Page, name: str) -> Locator:
    file_item(page, name).get_by_role("button", name=f"Share {name}").click()
    dialog = page.get_by_role("dialog", name=re.compile("Share"))
    expect(dialog).to_be_visible()
    return dialog


def link_urls(dialog: Locator) -> list[str]:
    """The links in the dialog, newest first."""
    return [field.input_value() for field in dialog.get_by_label("Link", exact=True).all()]


def create_link(page: Page, dialog: Locator, *, max_downloads: int | None = None, password: str | None = None) -> str:
    before = set(link_urls(dialog))
    if max_downloads is not None:
        dialog.get_by_label("Download limit").fill(str(max_downloads))
    if password is not None:
        dialog.get_by_label("Password").fill(password)
    dialog.get_by_role("button", name="Create link").click()
    expect(dialog.get_by_label("Link", exact=True)).to_have_count(len(before) + 1)
    (url,) = set(link_urls(dialog)) - before
    return url


def download(page: Page, button: Locator) -> bytes:
    with page.expect_download() as info:
        button.click()
    return Path(info.value.path()).read_bytes()
