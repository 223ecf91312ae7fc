"""An owner signs up, drops files, and watches each one's check finish without reloading."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.app_flows import EICAR, drop_files, file_item, sign_up, wait_for_status
from tests.e2e.browser_checks import axe_check, no_horizontal_scroll, save_screenshot


def test_sign_up_drop_a_clean_file_and_an_eicar_file_and_see_ready_and_infected(owner: Page) -> None:
    # Given a new owner, signed up through the form
    owner.goto("/")
    expect(owner.get_by_role("heading", name="Sign in")).to_be_visible()
    axe_check(owner)
    sign_up(owner)
    navigations: list[str] = []
    owner.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == owner.main_frame else None)

    # When they drop a clean file and the EICAR test file at once
    drop_files(owner, ("notes.txt", b"meeting notes\n", "text/plain"), ("eicar.txt", EICAR, "text/plain"))

    # Then both appear at once, and their verdicts arrive without a reload
    expect(file_item(owner, "notes.txt")).to_be_visible()
    expect(file_item(owner, "eicar.txt")).to_be_visible()
    wait_for_status(owner, "notes.txt", "Ready")
    infected = wait_for_status(owner, "eicar.txt", "Infected")
    expect(infected).to_contain_text("Malware was found")
    expect(infected.get_by_role("button", name="Share eicar.txt")).to_have_count(0)
    assert navigations == [], f"the page reloaded: {navigations}"
    axe_check(owner)


def test_a_file_over_the_limit_is_refused_before_any_byte_moves(owner: Page) -> None:
    sign_up(owner)
    uploads: list[str] = []
    owner.on("request", lambda r: uploads.append(r.url) if r.url.endswith("/uploads") else None)
    limit = owner.evaluate("async () => (await (await fetch('/config.json')).json()).maxUploadBytes")

    drop_files(owner, ("too-big.bin", limit + 1, "application/octet-stream"))

    expect(
        owner.get_by_role("region", name="Upload files")
        .get_by_role("alert")
        .filter(has_text="too-big.bin is too large: the largest file you can upload is")
        .first
    ).to_be_visible()
    assert uploads == []
    expect(owner.get_by_role("list", name="Your files").get_by_role("listitem")).to_have_count(0)


def test_the_files_view_in_light_and_dark_at_full_and_phone_width(
    owner: Page, demo_credentials: tuple[str, str]
) -> None:
    from tests.e2e.app_flows import choose_files, sign_in

    sign_in(owner, *demo_credentials)
    choose_files(
        owner, ("report-q3.pdf", b"%PDF-1.4\n% e2e\n", "application/pdf"), ("photo.txt", b"hello\n", "text/plain")
    )
    wait_for_status(owner, "photo.txt", "Ready")
    wait_for_status(owner, "report-q3.pdf", "Ready")
    owner.set_viewport_size({"width": 1280, "height": 1000})
    save_screenshot(owner, "files-view")
    owner.emulate_media(color_scheme="dark")
    save_screenshot(owner, "files-view-dark")
    axe_check(owner)
    owner.set_viewport_size({"width": 360, "height": 800})
    no_horizontal_scroll(owner)
    save_screenshot(owner, "files-view-360")


def test_files_come_newest_first_with_load_more_and_a_filter_by_name(owner: Page) -> None:
    import re

    from playwright.sync_api import Route

    from tests.e2e.app_flows import choose_files

    sign_up(owner)
    for name in ("first.txt", "second.txt", "third.txt"):
        choose_files(owner, (name, name.encode(), "text/plain"))
        wait_for_status(owner, name, "Ready")

    # Pages of one file from the real API, so that three files need "Load more" twice
    def one_per_page(route: Route) -> None:
        route.continue_(url=re.sub(r"limit=\d+", "limit=1", route.request.url))

    owner.route(re.compile(r"/files\?limit="), one_per_page)
    owner.reload()
    files = owner.get_by_role("list", name="Your files").get_by_role("heading")
    expect(files).to_have_text(["third.txt"])
    owner.get_by_role("button", name="Load more").click()
    expect(files).to_have_text(["third.txt", "second.txt"])
    owner.get_by_role("button", name="Load more").click()
    expect(files).to_have_text(["third.txt", "second.txt", "first.txt"])
    expect(owner.get_by_role("button", name="Load more")).to_have_count(0)

    owner.get_by_label("Filter by name").fill("SEC")
    expect(files).to_have_text(["second.txt"])
    owner.get_by_label("Filter by name").fill("nothing like it")
    expect(owner.get_by_text("No file name matches")).to_be_visible()
