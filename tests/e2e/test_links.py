"""An owner selects several READY files and shares them under one link; the recipient sees every
file, downloads one, or all of them as one zip made in the browser."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, ViewportSize, expect

from tests.e2e.app_flows import PASSWORD, choose_files, download, file_item, sign_in, sign_up, wait_for_status
from tests.e2e.browser_checks import axe_check, no_horizontal_scroll, save_screenshot

PHONE: ViewportSize = {"width": 360, "height": 740}
FILES = {
    "Grüße aus Köln.txt": "Grüße aus Köln\n".encode() * 40,
    "meeting notes.txt": b"1. agenda\n2. actions\n" * 25,
    "figures.csv": b"year,amount\n2025,10\n2026,12\n" * 10,
}


def content_type(name: str) -> str:
    return "text/csv" if name.endswith(".csv") else "text/plain"


def select(page: Page, *names: str) -> None:
    for name in names:
        file_item(page, name).get_by_role("checkbox", name=f"Select {name}").check()


def share_selected(page: Page, *, max_downloads: int) -> tuple[Locator, str]:
    page.get_by_role("group", name="Selected files").get_by_role("button", name="Share selected").click()
    dialog = page.get_by_role("dialog", name=f"Share {len(FILES)} files")
    expect(dialog.get_by_role("list", name="Files in the link").get_by_role("listitem")).to_have_count(len(FILES))
    dialog.get_by_label("Download limit").fill(str(max_downloads))
    dialog.get_by_role("button", name="Create link").click()
    field = dialog.get_by_label("Link", exact=True)
    expect(field).to_have_count(1)
    return dialog, field.input_value()


def test_one_link_for_several_files_downloads_each_and_all_as_a_zip_with_the_same_bytes(
    owner: Page, new_page: Callable[..., Page]
) -> None:
    # Given three READY files, selected in the files view
    email = sign_up(owner)
    choose_files(owner, *[(name, body, content_type(name)) for name, body in FILES.items()])
    for name in FILES:
        wait_for_status(owner, name, "Ready")
    select(owner, *FILES)
    expect(owner.get_by_role("group", name="Selected files")).to_contain_text("3 files selected")
    axe_check(owner)
    save_screenshot(owner, "files-selection")

    # When the owner shares them under one link that allows one download
    dialog, url = share_selected(owner, max_downloads=1)
    expect(dialog.get_by_text("0 downloads of 1")).to_be_visible()
    dialog.get_by_role("button", name="QR code").click()
    expect(dialog.get_by_role("img", name="QR code of the link")).to_be_visible()
    axe_check(owner)
    save_screenshot(owner, "link-dialog-several-files")

    # The owner's selection and the share page fit a phone, in the dark too (describing counts nothing)
    phone_owner = new_page("phone-owner", viewport=PHONE, color_scheme="dark")
    sign_in(phone_owner, email, PASSWORD)
    select(phone_owner, *list(FILES)[:2])
    no_horizontal_scroll(phone_owner)
    axe_check(phone_owner)
    save_screenshot(phone_owner, "files-selection-360-dark")
    for scheme in ("light", "dark"):
        phone = new_page(f"phone-{scheme}", viewport=PHONE, color_scheme=scheme)
        phone.goto(url)
        expect(phone.get_by_role("heading", name="3 files")).to_be_visible()
        no_horizontal_scroll(phone)
        axe_check(phone)
        save_screenshot(phone, f"share-page-files-360-{scheme}")

    # Then the recipient sees every file, and "Download all" saves a zip of exactly those bytes
    recipient = new_page("recipient")
    recipient.goto(url)
    files = recipient.get_by_role("list", name="Files")
    expect(files.get_by_role("listitem")).to_have_count(3)
    for name in FILES:
        expect(files).to_contain_text(name)
    axe_check(recipient)
    save_screenshot(recipient, "share-page-files")
    with recipient.expect_download() as info:
        recipient.get_by_role("button", name="Download all (.zip)").click()
    assert info.value.suggested_filename == "shared-files.zip"
    with zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes())) as archive:
        assert archive.testzip() is None
        assert {member: archive.read(member) for member in archive.namelist()} == FILES
    expect(recipient.get_by_role("status").filter(has_text="The zip is saved.")).to_be_visible()

    # One file on its own comes from the same redemption: the link's one download is not spent again
    single = download(recipient, files.get_by_role("button", name="Download meeting notes.txt"))
    assert single == FILES["meeting notes.txt"]
    expect(recipient.get_by_text("Downloads left")).to_be_visible()

    # And the next visit finds the link used up
    recipient.reload()
    expect(recipient.get_by_role("heading", name="This link does not work")).to_be_visible()


def test_the_owner_finds_each_link_to_several_files_under_links_and_revokes_it_there(
    owner: Page, new_page: Callable[..., Page]
) -> None:
    # Given a link to two of the owner's files, made from the files view
    email = sign_up(owner)
    two = dict(list(FILES.items())[:2])
    choose_files(owner, *[(name, body, content_type(name)) for name, body in two.items()])
    for name in two:
        wait_for_status(owner, name, "Ready")
    select(owner, *two)
    owner.get_by_role("group", name="Selected files").get_by_role("button", name="Share selected").click()
    dialog = owner.get_by_role("dialog", name="Share 2 files")
    dialog.get_by_role("button", name="Create link").click()
    url = dialog.get_by_label("Link", exact=True).input_value()

    # When the owner opens Links, from the dialog's own pointer to it
    dialog.get_by_role("link", name="Links").click()
    expect(owner).to_have_url(re.compile(r"/links$"))

    # Then the link is listed with its two files, live, with its address
    links = owner.get_by_role("list", name="Your links to several files")
    expect(links.locator("> li")).to_have_count(1)
    entry = links.locator("> li").first
    for name in two:
        expect(entry).to_contain_text(name)
    expect(entry.get_by_label("Link", exact=True)).to_have_value(url)
    expect(entry.get_by_text("Active")).to_be_visible()
    axe_check(owner)
    save_screenshot(owner, "links-page")

    # and the page fits a phone, in the dark too
    phone = new_page("phone-links", viewport=PHONE, color_scheme="dark")
    sign_in(phone, email, PASSWORD)
    phone.goto("/links")
    expect(phone.get_by_role("list", name="Your links to several files").locator("> li")).to_have_count(1)
    no_horizontal_scroll(phone)
    axe_check(phone)
    save_screenshot(phone, "links-page-360-dark")

    # When the owner revokes it there, it shows revoked, with no address left to copy
    entry.get_by_role("button", name="Revoke").click()
    expect(entry.get_by_text("Revoked")).to_be_visible()
    expect(entry.get_by_role("button", name="Copy link")).to_have_count(0)

    # and the recipient finds the link dead at once
    recipient = new_page("recipient")
    recipient.goto(url)
    expect(recipient.get_by_role("heading", name="This link does not work")).to_be_visible()
