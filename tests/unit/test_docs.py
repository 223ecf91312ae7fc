"""The documents a reader of the repository follows: generated from the contract where they can
be, and never leading outside the repository."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from delivery import api_doc

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|^\s*\[[^\]]+\]:\s*(\S+)", re.MULTILINE)


def markdown_files() -> list[Path]:
    git = shutil.which("git")
    assert git
    listed = subprocess.run(
        [git, "ls-files", "--cached", "--others", "--exclude-standard", "*.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed if (ROOT / name).is_file()]


def links_leaving_the_repository(text: str, base: Path) -> list[str]:
    """Links of a Markdown text, read in folder ``base``, that a reader could not follow in the repository."""
    bad = []
    for match in LINK.finditer(text):
        target = match.group(1) or match.group(2)
        if target.startswith("#"):
            continue
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
            bad.append(f"{target} (a link out of the repository)")
            continue
        path = (base / target.split("#", 1)[0]).resolve()
        if not path.is_relative_to(ROOT):
            bad.append(f"{target} (outside the repository)")
        elif not path.exists():
            bad.append(f"{target} (no such file)")
    return bad


def test_no_markdown_link_in_the_repository_points_outside_it() -> None:
    documents = markdown_files()
    assert ROOT / "README.md" in documents and ROOT / "docs" / "api.md" in documents
    found = {str(d.relative_to(ROOT)): links_leaving_the_repository(d.read_text(), d.parent) for d in documents}
    assert {name: bad for name, bad in found.items() if bad} == {}


def test_the_link_check_catches_what_it_must() -> None:
    text = "[a](../../shared/design/api.md) [b](https://example.com) [c](missing.md) [d](api.md#get-files) [e](#x)"
    assert [bad.split()[0] for bad in links_leaving_the_repository(text, ROOT / "docs")] == [
        "../../shared/design/api.md",
        "https://example.com",
        "missing.md",
    ]


def test_docs_api_md_is_generated_from_the_current_contract() -> None:
    assert (ROOT / "docs" / "api.md").read_text() == api_doc.render(), "stale: run `make docs`"


def test_the_api_reference_names_every_route_of_the_contract() -> None:
    text = api_doc.render()
    for route in ("## POST /uploads", "## GET /files/{fileId}", "## POST /public/shares/{token}/download"):
        assert route in text
    assert "[file.json](../schemas/api/file.json)" in text
