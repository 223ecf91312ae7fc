"""Every page: phone width without sideways scrolling, dark theme, and the share page's budget."""

from __future__ import annotations

import gzip
from collections.abc import Callable

from playwright.sync_api import Page, Response, expect

from tests.e2e.app_flows import choose_files, open_links, sign_up, wait_for_status
from tests.e2e.browser_checks import axe_check, no_horizontal_scroll, save_screenshot

PHONE = {"width": 360, "height": 740}
SHARE_PAGE_BUDGET = 60_000  # bytes of JavaScript, gzipped


def test_at_360_px_no_page_scrolls_sideways_in_light_or_dark(new_page: Callable[..., Page]) -> None:
    owner = new_page("owner", viewport=PHONE, color_scheme="dark")
    owner.goto("/")
    expect(owner.get_by_role("heading", name="Sign in")).to_be_visible()
    no_horizontal_scroll(owner)
    axe_check(owner)
    save_screenshot(owner, "sign-in-360-dark")

    sign_up(owner)
    choose_files(
        owner, ("a-rather-long-file-name-that-could-push-the-layout-sideways-2026-11-29.txt", b"x\n", "text/plain")
    )
    wait_for_status(owner, "a-rather-long-file-name-that-could-push-the-layout-sideways-2026-11-29.txt", "Ready")
    no_horizontal_scroll(owner)
    axe_check(owner)
    dialog = open_links(owner, "a-rather-long-file-name-that-could-push-the-layout-sideways-2026-11-29.txt")
    url = dialog.get_by_label("Link", exact=True).first.input_value()
    no_horizontal_scroll(owner)
    axe_check(owner)
    save_screenshot(owner, "link-dialog-360-dark")

    recipient = new_page("recipient", viewport=PHONE)
    recipient.goto(url)
    expect(recipient.get_by_role("button", name="Download")).to_be_visible()
    no_horizontal_scroll(recipient)
    save_screenshot(recipient, "share-page-360")


def test_the_share_page_loads_at_most_60_kb_of_javascript_and_no_uppy_or_cognito_code(
    owner: Page, recipient: Page
) -> None:
    sign_up(owner)
    choose_files(owner, ("budget.txt", b"small\n", "text/plain"))
    wait_for_status(owner, "budget.txt", "Ready")
    url = open_links(owner, "budget.txt").get_by_label("Link", exact=True).first.input_value()

    scripts: list[Response] = []
    recipient.on("response", lambda r: scripts.append(r) if r.request.resource_type == "script" else None)
    recipient.goto(url)
    expect(recipient.get_by_role("button", name="Download")).to_be_visible()
    recipient.wait_for_load_state("networkidle")

    bodies = {r.url: r.body() for r in scripts}
    gzipped = sum(len(gzip.compress(body, 9)) for body in bodies.values())
    assert bodies, "the share page loaded no script"
    assert gzipped <= SHARE_PAGE_BUDGET, f"the share page loads {gzipped} bytes of gzipped JavaScript"
    code = b"".join(bodies.values())
    for marker in (b"uppy", b"Uppy", b"cognito-idp", b"InitiateAuth", b"USER_SRP_AUTH"):
        assert marker not in code, f"the share page's JavaScript contains {marker!r}"
    axe_check(recipient)
