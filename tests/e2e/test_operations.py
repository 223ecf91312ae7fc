"""The Operations view: an operator finds a failed upload among the runs, reads its timeline, and
redrives it to READY once the cause is fixed; a second redrive is refused in words. Anyone else
sees no Operations entry, and the page itself says it is for operators."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from playwright.sync_api import Locator, Page, ViewportSize, expect

from devstack.stack import LocalStack
from tests.e2e.app_flows import SETTLED, choose_files, sign_in, sign_up, wait_for_status
from tests.e2e.browser_checks import axe_check, no_horizontal_scroll, save_screenshot
from tests.stack_support import reconfigured

# A KMS key that does not exist: the MintShareToken step fails with NotFoundException.
BROKEN_KEY = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
PHONE: ViewportSize = {"width": 360, "height": 740}


def upload(page: Page, name: str) -> str:
    """Uploads a small file through the upload area; its file id, from the API's answer."""
    with page.expect_response(lambda r: r.url.endswith("/uploads") and r.request.method == "POST") as answer:
        choose_files(page, (name, b"operators look at me\n", "text/plain"))
    file_id: str = answer.value.json()["fileId"]
    return file_id


def process_upload_run(page: Page, file_id: str) -> Locator:
    """The file's process-upload run in the list (the failure-recording run names the file too)."""
    runs = page.get_by_role("list", name="Workflow runs").get_by_role("listitem")
    return runs.filter(has_text=file_id).filter(has=page.get_by_role("heading", name=re.compile("^process-upload ")))


def open_runs(page: Page) -> None:
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Operations").click()
    expect(page.get_by_role("heading", name="Workflow runs", level=1)).to_be_visible()


def test_an_operator_finds_a_failed_upload_reads_its_timeline_and_redrives_it_to_ready(
    e2e_stack: LocalStack, new_page: Callable[..., Page], demo_credentials: tuple[str, str]
) -> None:
    operator = new_page("operator")
    sign_in(operator, *demo_credentials)
    name = f"ops-{uuid.uuid4().hex[:8]}.txt"

    # Given an upload whose mint step fails (an injected fault)
    with reconfigured(e2e_stack, "MintShareFunction", {"TOKEN_KEY_ID": BROKEN_KEY}):
        file_id = upload(operator, name)
        wait_for_status(operator, name, "Failed")

    # Then it is among the failed runs, with the state it stopped in and the error
    open_runs(operator)
    expect(operator.get_by_label("Status")).to_have_value("FAILED")
    run = process_upload_run(operator, file_id)
    expect(run).to_contain_text("Failed")
    expect(run).to_contain_text("Stopped in MintShareToken: NotFoundException")
    # and a filter that excludes it hides it
    operator.get_by_label("Status").select_option("SUCCEEDED")
    expect(run).to_have_count(0)
    operator.get_by_label("Status").select_option("FAILED")
    expect(run).to_have_count(1)

    # A second tab keeps the list as it is now (the run FAILED, with its Redrive button)
    stale = new_page("operator-second-tab")
    sign_in(stale, *demo_credentials)
    open_runs(stale)
    stale_run = process_upload_run(stale, file_id)
    expect(stale_run.get_by_role("button", name=re.compile("^Redrive"))).to_be_visible()

    # When the operator opens the file's timeline
    run.get_by_role("link", name=re.compile("^Timeline")).click()
    expect(operator.get_by_role("heading", name="File timeline")).to_be_visible()
    expect(operator.get_by_text(name, exact=True)).to_be_visible()
    process_upload = operator.get_by_role("article", name=re.compile("^process-upload run"))
    first_run = process_upload.get_by_role("list", name="Steps of the first run")
    steps = first_run.get_by_role("listitem")
    expect(steps.first).to_contain_text("DescribeUpload")
    failed_step = steps.filter(has_text="MintShareToken")
    expect(failed_step).to_contain_text("Failed")
    expect(failed_step).to_contain_text("Error: NotFoundException")
    expect(operator.get_by_role("definition").filter(has_text=re.compile("^Failed$"))).to_be_visible()
    expect(steps.filter(has_text="Register")).to_contain_text(re.compile(r"\d+(\.\d)? (ms|s)"))
    axe_check(operator)
    failed_step.scroll_into_view_if_needed()
    save_screenshot(operator, "operations")

    # and redrives it, now the fault is gone, after confirming
    process_upload.get_by_role("button", name=re.compile("^Redrive")).click()
    dialog = operator.get_by_role("dialog", name="Redrive this run?")
    expect(dialog).to_contain_text("continues from MintShareToken")
    axe_check(operator)
    dialog.get_by_role("button", name="Redrive", exact=True).click()

    # Then the outcome is said in words, and the file becomes READY with the redrive's steps
    expect(operator.get_by_role("status").filter(has_text="Redriven")).to_have_text(
        "Redriven: the run continues from MintShareToken."
    )
    expect(operator.get_by_role("definition").filter(has_text=re.compile("^Ready$"))).to_be_visible(timeout=SETTLED)
    expect(process_upload.get_by_role("list", name="Steps of the redrive 1")).to_contain_text("MintShareToken")
    expect(operator.get_by_role("button", name=re.compile("^Redrive"))).to_have_count(0)

    # And the stale tab's redrive of the succeeded run is refused with a sentence
    stale_run.get_by_role("button", name=re.compile("^Redrive")).click()
    stale_dialog = stale.get_by_role("dialog", name="Redrive this run?")
    stale_dialog.get_by_role("button", name="Redrive", exact=True).click()
    expect(stale_dialog.get_by_role("alert")).to_have_text(re.compile("^This run cannot be redriven: "))

    # At phone width neither the timeline nor the list scrolls sideways
    operator.set_viewport_size(PHONE)
    no_horizontal_scroll(operator)
    operator.get_by_role("link", name="← All workflow runs").click()
    expect(operator.get_by_role("heading", name="Workflow runs", level=1)).to_be_visible()
    operator.get_by_label("Status").select_option(label="Any status")
    expect(process_upload_run(operator, file_id)).to_contain_text("Succeeded")
    no_horizontal_scroll(operator)
    save_screenshot(operator, "operations-runs-360")
    axe_check(operator)


def test_a_non_operator_sees_no_operations_entry_and_the_page_says_it_is_for_operators(owner: Page) -> None:
    sign_up(owner)
    expect(owner.get_by_role("link", name="Operations")).to_have_count(0)
    owner.goto("/operations")
    expect(owner.get_by_role("heading", name="For operators only")).to_be_visible()
    expect(owner.get_by_text("This page is for operators")).to_be_visible()
    expect(owner.get_by_role("link", name="Operations")).to_have_count(0)
    axe_check(owner)
