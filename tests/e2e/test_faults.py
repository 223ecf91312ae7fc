"""Faults a person meets: a dropped connection during an upload, an API that fails for a moment."""

from __future__ import annotations

import re

from playwright.sync_api import Page, Route, expect

from tests.e2e.app_flows import choose_files, sign_up, wait_for_status


def test_a_network_drop_during_an_upload_shows_retrying_and_the_upload_goes_on(owner: Page) -> None:
    sign_up(owner)
    dropped: list[str] = []

    def drop_the_network(route: Route) -> None:
        if not dropped:
            dropped.append(route.request.url)
            owner.context.set_offline(True)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    owner.route(re.compile(r"[?&]partNumber=2&"), drop_the_network)
    content = b"".join(b"%031d\n" % n for n in range(6 * 1024 * 1024 // 32))  # 2 parts

    choose_files(owner, ("field-notes.txt", content, "text/plain"))

    upload = owner.get_by_role("region", name="Upload files")
    expect(upload.get_by_role("status").filter(has_text="retrying")).to_be_visible()
    expect(upload).not_to_contain_text("Upload failed")
    owner.context.set_offline(False)
    wait_for_status(owner, "field-notes.txt", "Ready")
    expect(upload.get_by_role("status").filter(has_text="retrying")).to_have_count(0)


def test_a_failing_api_shows_a_sentence_and_a_retry_button_never_a_blank_page(owner: Page) -> None:
    sign_up(owner)
    failures: list[str] = []

    def fail_once(route: Route) -> None:
        if not failures:
            failures.append(route.request.url)
            route.fulfill(status=502, content_type="application/json", body='{"message":"Internal Server Error"}')
        else:
            route.continue_()

    owner.route(re.compile(r"/files\?limit="), fail_once)
    owner.reload()

    alert = owner.get_by_role("alert")
    expect(alert).to_have_text(re.compile("The service had a problem and could not finish. Try again in a moment."))
    expect(alert).not_to_contain_text("502")
    alert.get_by_role("button", name="Try again").click()
    expect(owner.get_by_text("No files yet.")).to_be_visible()
    expect(owner.get_by_role("alert")).to_have_count(0)
