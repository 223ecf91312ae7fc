"""Large files go up in parts that survive a failed request; hostile names stay text."""

from __future__ import annotations

import re

from playwright.sync_api import Page, Route, expect

from tests.e2e.app_flows import choose_files, download, file_item, open_links, sign_up, wait_for_status


def test_a_multipart_upload_survives_a_failed_part_and_the_bytes_arrive_intact(owner: Page, recipient: Page) -> None:
    # Given the test stack's single-request limit of 1 MiB and 5 MiB parts: 11 MiB is 3 parts
    content = b"".join(b"%031d\n" % n for n in range(11 * 1024 * 1024 // 32))
    assert len(content) == 11 * 1024 * 1024
    sign_up(owner)
    part_requests: list[str] = []
    failed: list[str] = []

    def fail_part_two_once(route: Route) -> None:
        part_requests.append(route.request.url)
        if not failed:
            failed.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    owner.route(re.compile(r"[?&]partNumber=2&"), fail_part_two_once)
    puts: list[str] = []
    owner.on("request", lambda r: puts.append(r.url) if r.method == "PUT" and "partNumber=" in r.url else None)

    # When the owner uploads it, and the second part's first request fails
    choose_files(owner, ("large.log", content, "text/plain"))

    # Then the part is sent again, the upload completes, and the file is checked
    wait_for_status(owner, "large.log", "Ready")
    assert len(failed) == 1 and len(part_requests) == 2, part_requests
    assert {re.search(r"partNumber=(\d+)", u).group(1) for u in puts} == {"1", "2", "3"}  # type: ignore[union-attr]
    expect(file_item(owner, "large.log")).to_contain_text("12 MB")

    url = open_links(owner, "large.log").get_by_label("Link", exact=True).first.input_value()
    recipient.goto(url)
    assert download(recipient, recipient.get_by_role("button", name="Download")) == content


def test_a_file_name_made_of_html_is_shown_as_text_and_runs_nothing(owner: Page, recipient: Page) -> None:
    name = "<img src=x onerror=alert(1)>.txt"
    dialogs: list[str] = []
    owner.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    recipient.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_up(owner)

    choose_files(owner, (name, b"just text\n", "text/plain"))

    item = wait_for_status(owner, name, "Ready")
    expect(item.get_by_role("heading", name=name, exact=True)).to_be_visible()
    expect(owner.get_by_role("main").locator("img[src=x]")).to_have_count(0)
    url = open_links(owner, name).get_by_label("Link", exact=True).first.input_value()
    recipient.goto(url)
    # Recipients see the stored (sanitized) name, as text too
    expect(recipient.get_by_role("heading", name="_img src=x onerror=alert(1)_.txt")).to_be_visible()
    expect(recipient.locator("img")).to_have_count(0)
    assert dialogs == []


def test_cancelling_a_multipart_upload_aborts_it_in_s3(owner: Page) -> None:
    sign_up(owner)
    held: list[Route] = []

    def hold(route: Route) -> None:  # a bound builtin (held.append) is refused by Playwright's route()
        held.append(route)

    owner.route(re.compile(r"[?&]partNumber=\d+&"), hold)  # parts hang until released
    content = b"".join(b"%031d\n" % n for n in range(6 * 1024 * 1024 // 32))

    with owner.expect_request(lambda r: "partNumber=" in r.url):
        choose_files(owner, ("cancel-me.log", content, "text/plain"))
    upload = owner.get_by_role("region", name="Upload files")
    cancel = upload.get_by_role("button", name=re.compile("^(Cancel upload|Remove file)$"))
    with owner.expect_request(lambda r: r.method == "DELETE" and "uploadId=" in r.url) as aborted:
        cancel.click()
    assert aborted.value.response() is not None and aborted.value.response().status == 204  # type: ignore[union-attr]
    for route in held:
        route.abort()
    expect(upload.get_by_text("cancel-me.log")).to_have_count(0)
    expect(file_item(owner, "cancel-me.log")).to_have_count(0)
