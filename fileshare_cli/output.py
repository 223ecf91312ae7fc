"""What the client shows: tables and lines for people on stdout, JSON for scripts (``--json``),
progress bars and errors on stderr. Progress is drawn only on a terminal, so pipes and logs get the
results alone."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

# Off a terminal rich assumes 80 columns; tables piped to a file or a pager get room instead.
out = Console(soft_wrap=True, highlight=False, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, soft_wrap=True, highlight=False)

STATUS_STYLE = {"READY": "green", "PROCESSING": "yellow", "REJECTED": "red", "INFECTED": "bold red", "FAILED": "red"}


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def say(text: str) -> None:
    """A line for people on stdout (the text is shown as is, never as markup)."""
    out.print(escape(text))


def note(text: str) -> None:
    """A side remark on stderr (not part of the result)."""
    err.print(escape(text), style="dim")


def error(sentence: str) -> None:
    err.print(f"fileshare: {escape(sentence)}", style="red")


def escape_text(text: str) -> str:
    """``text`` made safe to embed in rich markup (file names and reasons are user data)."""
    return escape(text)


def status_text(status: str) -> str:
    return f"[{STATUS_STYLE.get(status, '')}]{escape(status)}[/]" if status in STATUS_STYLE else escape(status)


def size_text(size: int) -> str:
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} B"


def live_link(file: dict[str, Any]) -> str | None:
    """The newest link of a file that still works for new downloads (not revoked)."""
    links = [s for s in file.get("shares", []) if not s.get("revoked")]
    return str(links[-1]["url"]) if links else None


def files_table(files: list[dict[str, Any]]) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("FILE ID", "NAME", "SIZE", "STATUS", "CREATED", "DOWNLOADS", "LINKS"):
        table.add_column(column, overflow="fold", no_wrap=column != "NAME")
    for file in files:
        live = sum(1 for s in file.get("shares", []) if not s.get("revoked"))
        table.add_row(
            file["fileId"],
            escape(file["name"]),
            size_text(int(file["size"])),
            status_text(file["status"]),
            str(file["createdAt"])[:16].replace("T", " "),
            str(file["downloads"]),
            str(live),
        )
    return table


def shares_table(file: dict[str, Any]) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("SHARE ID", "EXPIRES", "DOWNLOADS", "PASSWORD", "STATE", "LINK"):
        table.add_column(column, overflow="fold")
    for share in file.get("shares", []):
        limit = share.get("maxDownloads")
        table.add_row(
            share["shareId"],
            str(share["expiresAt"])[:19].replace("T", " "),
            f"{share['downloads']}/{limit}" if limit else str(share["downloads"]),
            "yes" if share["passwordProtected"] else "no",
            "revoked" if share["revoked"] else "live",
            share["url"],
        )
    return table


def transfer_progress() -> Progress:
    """One bar per file and one for the total; drawn on stderr, only when stderr is a terminal."""
    return Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TaskProgressColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not err.is_terminal,
        transient=False,
    )
