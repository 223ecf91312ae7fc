"""Browser tests: the built web app in Debian's chromium, driven by Playwright, against a local
stack of their own.

They run in their own pytest process (``make e2e``, and the second step of ``make test``): moto's
backends are process-global, and this stack has its own limits (a multipart upload of several
5 MiB parts needs a larger ``MaxUploadBytes`` than the other tests' stack). Every page records its
console: a Content-Security-Policy violation or an uncaught script error fails the test that caused
it. A failing test leaves a screenshot and a Playwright trace (open it with
``playwright show-trace``) under ``test-results/e2e/<test>/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from devstack.cli import DEMO_EMAIL, DEMO_PASSWORD, seed_demo_user
from devstack.stack import REPO_ROOT, ConsoleLog, LocalStack

CHROMIUM = Path("/usr/bin/chromium")
# Debian's chromium, as root, headless; no calls home (this machine has no internet).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO_ROOT / "test-results" / "e2e"
MiB = 1024 * 1024
# Files over 1 MiB go multipart in 5 MiB parts (S3's minimum), so an 11 MiB file has 3 parts.
E2E_PARAMETERS = {
    "MaxUploadBytes": str(16 * MiB),
    "SinglePostMaxBytes": str(1 * MiB),
    "MultipartPartBytes": str(5 * MiB),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    """Remember each phase's outcome on the item, so page fixtures know whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def e2e_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    if not (REPO_ROOT / "frontend" / "dist" / "index.html").is_file():
        pytest.fail("the web app is not built: run `make e2e` (it builds frontend/dist first)", pytrace=False)
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium", pytrace=False)
    log_path = tmp_path_factory.mktemp("e2e-stack") / "stack.log"
    with log_path.open("w") as log_file:
        stack = LocalStack(parameters=E2E_PARAMETERS, log=ConsoleLog(log_file))
        stack.start()
        seed_demo_user(stack)
        try:
            yield stack
        finally:
            stack.stop()


@pytest.fixture(scope="session")
def app_url(e2e_stack: LocalStack) -> str:
    return e2e_stack.app_url


@pytest.fixture(scope="session")
def demo_credentials() -> tuple[str, str]:
    """The operator account `make run` creates; tests that need a fresh owner sign up instead."""
    return DEMO_EMAIL, DEMO_PASSWORD


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class PageLog:
    """What the page said on its console that a person would notice as breakage."""

    problems: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and re.search(r"Content.Security.Policy", message.text, re.IGNORECASE):
            self.problems.append(f"CSP violation: {message.text}")

    def page_error(self, error: Exception) -> None:
        self.problems.append(f"uncaught error: {error}")


def _artifact_dir(request: pytest.FixtureRequest, name: str) -> Path:
    test = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    return ARTIFACTS / test / name


def _failed(request: pytest.FixtureRequest) -> bool:
    return any(getattr(getattr(request.node, f"report_{when}", None), "failed", False) for when in ("setup", "call"))


@pytest.fixture
def new_page(browser: Browser, app_url: str, request: pytest.FixtureRequest) -> Iterator[Callable[..., Page]]:
    """Pages in fresh browser contexts (no shared cookies or storage), each traced and watched.

    ``new_page("owner")`` or ``new_page("recipient", viewport={"width": 360, "height": 740})``.
    """
    opened: list[tuple[str, BrowserContext, Page, PageLog]] = []

    def open_page(name: str, **context_options: Any) -> Page:
        context = browser.new_context(base_url=app_url, accept_downloads=True, **context_options)
        context.set_default_timeout(15_000)
        context.tracing.start(screenshots=True, snapshots=True, sources=False)
        page = context.new_page()
        # File pickers are intercepted for the page's whole life. `expect_file_chooser` alone
        # turns interception on with a message it does not wait for, and off again after each
        # picker, so a quick click can reach the browser first: the picker then opens unseen and
        # the test times out waiting for it (puppeteer#6040 describes the same race).
        page.on("filechooser", lambda _chooser: None)
        log = PageLog()
        page.on("console", log.console)
        page.on("pageerror", log.page_error)
        opened.append((name, context, page, log))
        return page

    yield open_page

    failed = _failed(request)
    problems: list[str] = []
    for name, context, page, log in opened:
        problems += [f"{name}: {p}" for p in log.problems]
        if failed or log.problems:
            target = _artifact_dir(request, name)
            target.mkdir(parents=True, exist_ok=True)
            if not page.is_closed():
                page.screenshot(path=str(target / "failure.png"), full_page=True)
            context.tracing.stop(path=str(target / "trace.zip"))
        else:
            context.tracing.stop()
        context.close()
    if problems and not failed:
        pytest.fail("the page reported problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def owner(new_page: Callable[..., Page]) -> Page:
    """A page in the owner's own browser context."""
    return new_page("owner")


@pytest.fixture
def recipient(new_page: Callable[..., Page]) -> Page:
    """A page in a recipient's fresh context: no account, nothing shared with the owner's."""
    return new_page("recipient")
