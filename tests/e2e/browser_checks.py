"""What the browser tests check on any page: accessibility, width, and the README's screenshots."""

from __future__ import annotations

import os
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from devstack.stack import REPO_ROOT

# Every run saves its screenshots under test-results/ to look at; `make screenshots` also refreshes
# the README's copies in docs/screenshots (ports and dates differ each run, so a plain test run must
# not rewrite tracked files).
SCREENSHOTS = REPO_ROOT / "test-results" / "e2e" / "screenshots"
README_SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"


def axe_check(page: Page) -> None:
    """axe-core on the page as it is now: no serious or critical violation."""
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, "accessibility violations:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in bad
    )


def save_screenshot(page: Page, name: str) -> Path:
    """A screenshot of the page as it is now; with FILESHARE_SCREENSHOTS=1 (`make screenshots`) it is
    also the README's docs/screenshots/<name>.png."""
    folder = README_SCREENSHOTS if os.environ.get("FILESHARE_SCREENSHOTS") == "1" else SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width[0]} px of content in a {width[1]} px window"
