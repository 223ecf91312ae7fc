"""``fileshare get LINK``: download through a share link, with no account."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fileshare_cli import output, prompts
from fileshare_cli.api import PROTECTED_LINK, Api, fetch_app_config, http_session
from fileshare_cli.commands import Subcommands
from fileshare_cli.errors import CliError, Exit
from fileshare_cli.filenames import FALLBACK, from_presigned_url, sanitize
from fileshare_cli.transfer import Downloaded, download, exists

_LINK = re.compile(r"^(?P<app>https?://.+?)/s/(?P<token>[A-Za-z0-9_-]{43})/?$")


def register(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    get = commands.add_parser(
        "get",
        parents=[common],
        help="download a file through its share link (no account needed)",
        description="Download through a share link into the current directory, under the file's own "
        "(sanitized) name, or to -o PATH (a directory or a file name); a link to several files saves "
        "every file into the directory (one download counted). Never overwrites without "
        "--force. The SHA-256 is checked when the service gives it. A password link needs "
        "--password-prompt, or the password in $FILESHARE_PASSWORD.",
    )
    get.add_argument("link", metavar="LINK", help="the share link, <app URL>/s/<token>")
    get.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="where to save it: a file name, or a directory (existing, or ending in /)",
    )
    get.add_argument("--password-prompt", action="store_true", help="ask for the link's password")
    get.add_argument("--force", action="store_true", help="replace an existing file")
    get.set_defaults(run=run_get)


def parse_link(link: str) -> tuple[str, str]:
    """``(app URL, token)`` from ``https://app.example/s/<token>`` (query and fragment ignored)."""
    parts = urlsplit(link.strip())
    found = _LINK.match(f"{parts.scheme}://{parts.netloc}{parts.path}") if parts.scheme and parts.netloc else None
    if not found:
        raise CliError(f"{link} is not a share link (expected <app URL>/s/<token>).", Exit.USAGE)
    return found["app"], found["token"]


def destination_for(output_path: str | None, name: str | None) -> Path | None:
    """Where to save: ``-o`` as given, or a directory to save into (the current one by default);
    None while the file's name is not known yet."""
    if output_path is not None and not output_path.endswith(("/", os.sep)) and not Path(output_path).is_dir():
        return Path(output_path)
    if name is None:
        return None
    directory = Path(output_path or ".")
    if not directory.is_dir():
        raise CliError(f"There is no directory {directory}.", Exit.USAGE)
    return directory / sanitize(name)


def run_get(args: argparse.Namespace) -> int:
    app_url, token = parse_link(args.link)
    api = Api(fetch_app_config(app_url).api_url)
    view = api.describe_share(token)
    password = prompts.link_password(args.password_prompt) if view.get("passwordRequired") else None
    if view.get("passwordRequired") and not password:
        raise CliError(PROTECTED_LINK, Exit.PASSWORD, "password_required")

    # Refuse before redeeming when the names are known, so that no download is counted for nothing.
    if "files" in view:
        refuse_existing([directory_for(args.output) / sanitize(f["name"]) for f in view["files"]], args.force)
    destination = None if "files" in view else destination_for(args.output, view.get("name"))
    if destination is not None and destination.exists() and not args.force:
        raise exists(destination)

    link = api.redeem_download(token, password)
    if "files" in link:  # a link to several files: one redemption, every file into one directory
        targets = [directory_for(args.output) / sanitize(f["name"]) for f in link["files"]]
        refuse_existing(targets, args.force)
        saved = [save(f, target, f["size"], args.force) for f, target in zip(link["files"], targets, strict=True)]
    else:
        destination = destination or destination_for(args.output, from_presigned_url(link["url"]) or FALLBACK)
        if destination is None:  # pragma: no cover - a name was given just above
            raise CliError("No file name for the download.")
        saved = [save(link, destination, view.get("size"), args.force)]
    results = [{"path": str(d.path), "size": d.size, "sha256": d.sha256, "verified": d.verified} for d in saved]
    if args.json:
        output.print_json({"files": results, "share": view} if "files" in link else {**results[0], "share": view})
    else:
        for d in saved:
            check = "SHA-256 verified" if d.verified else "SHA-256 not given by the service"
            output.say(f"Saved {d.path} ({output.size_text(d.size)}, {check}).")
    return Exit.OK


def directory_for(output_path: str | None) -> Path:
    """Where the files of a link to several files go: -o (an existing directory) or the current one."""
    directory = Path(output_path or ".")
    if not directory.is_dir():
        raise CliError(f"This link holds several files: -o must be an existing directory, not {directory}.", Exit.USAGE)
    return directory


def refuse_existing(targets: list[Path], force: bool) -> None:
    for target in targets:
        if target.exists() and not force:
            raise exists(target)
    if len(set(targets)) < len(targets):
        raise CliError("Two files of this link have the same name once made safe; save them one at a time.", Exit.USAGE)


def save(grant: dict[str, Any], destination: Path, size: int | None, force: bool) -> Downloaded:
    with output.transfer_progress() as progress:
        task = progress.add_task(destination.name, total=size)
        return download(
            grant["url"],
            destination,
            force=force,
            expected_sha256=grant.get("sha256"),
            start=lambda length: progress.update(task, total=length),
            advance=lambda n: progress.advance(task, n),
            http=http_session(),
        )
