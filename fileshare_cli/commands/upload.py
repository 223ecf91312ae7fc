"""``fileshare upload FILE…``: upload, optionally follow each file to its verdict and print its link."""

from __future__ import annotations

import argparse
import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fileshare_cli import output
from fileshare_cli.api import Api, http_session
from fileshare_cli.commands import Subcommands
from fileshare_cli.commands.files import add_share_options, share_request
from fileshare_cli.durations import duration_argument
from fileshare_cli.errors import CliError, Exit
from fileshare_cli.session import Session
from fileshare_cli.transfer import Uploader

POLL_SECONDS = 1.0
DEFAULT_WAIT = "30m"
TERMINAL = ("READY", "REJECTED", "INFECTED", "FAILED", "DELETED", "EXPIRED")


def register(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    upload = commands.add_parser(
        "upload",
        parents=[common],
        help="upload files; with --wait, follow each to its verdict and print its link",
        description="Upload files straight to storage. Files above the single-request limit go up in "
        "parts, several at once; an interrupted multipart upload resumes when the same command runs "
        "again. Link options (--expires, --max-downloads, --password-prompt) need the verdict, so "
        "they imply --wait: the file then gets a link with those options instead of the default one, "
        "which is revoked. Exit status: 0 when every file was uploaded (with --wait: is READY), 6 "
        "when one ended REJECTED, INFECTED or FAILED or was not done in time, else the first error's.",
    )
    upload.add_argument("files", nargs="+", metavar="FILE", type=Path)
    upload.add_argument("--wait", action="store_true", help="wait for each file's verdict and print its link")
    upload.add_argument(
        "--timeout",
        type=duration_argument,
        default=duration_argument(DEFAULT_WAIT),
        metavar="DURATION",
        help=f"how long --wait waits for all verdicts (default {DEFAULT_WAIT})",
    )
    add_share_options(upload)
    upload.set_defaults(run=run_upload)


@dataclass
class Outcome:
    path: Path
    file_id: str | None = None
    file: dict[str, Any] | None = None
    link: str | None = None
    error: CliError | None = None

    def as_json(self) -> dict[str, Any]:
        error = {"code": self.error.code, "message": str(self.error)} if self.error else None
        return {"path": str(self.path), "fileId": self.file_id, "file": self.file, "link": self.link, "error": error}


def readable_files(paths: list[Path]) -> list[tuple[Path, int]]:
    found = []
    for path in paths:
        if not path.is_file():
            raise CliError(f"{path} is not a file.", Exit.USAGE)
        if not os.access(path, os.R_OK):
            raise CliError(f"{path} cannot be read.", Exit.USAGE)
        found.append((path, path.stat().st_size))
    return found


def run_upload(args: argparse.Namespace) -> int:
    files = readable_files(args.files)
    owner = Session.current()
    api = Api(owner.credentials.api_url, owner.id_token)
    options = share_request(args)  # asked before the upload, not after it
    wait = args.wait or options is not None
    uploader = Uploader(api=api, account=owner.credentials.username, http=http_session())
    outcomes = [Outcome(path) for path, _ in files]

    with output.transfer_progress() as progress:
        total = progress.add_task("total", total=sum(size for _, size in files)) if len(files) > 1 else None
        try:
            for outcome, (path, size) in zip(outcomes, files, strict=True):
                task = progress.add_task(path.name, total=size)

                def advance(n: int, task: Any = task) -> None:
                    progress.advance(task, n)
                    if total is not None:
                        progress.advance(total, n)

                try:
                    outcome.file_id = uploader.upload(path, advance, output.note)
                except CliError as error:
                    if error.status is Exit.AUTH:
                        raise
                    outcome.error = error
                    output.error(f"{path.name}: {error}")
        except KeyboardInterrupt:
            uploader.cancelled.set()
            raise CliError(
                "Interrupted: run the same command again to resume an upload that was sent in parts.",
                Exit.INTERRUPTED,
                "interrupted",
            ) from None

    if wait:
        follow(api, [o for o in outcomes if o.file_id], deadline=time.monotonic() + args.timeout)
        for outcome in outcomes:
            if outcome.file and outcome.file["status"] == "READY" and options is not None:
                outcome.file = relink(api, outcome.file, options)
            outcome.link = output.live_link(outcome.file) if outcome.file else None

    report(outcomes, as_json=args.json, waited=wait)
    return exit_status(outcomes, waited=wait)


def follow(api: Api, outcomes: list[Outcome], deadline: float) -> None:
    """Poll each file until it leaves PROCESSING (404 until the workflow registers it) or time is up."""
    waiting = list(outcomes)
    status = output.err.status("Checking…") if output.err.is_terminal and waiting else contextlib.nullcontext()
    with status:
        while waiting:
            for outcome in list(waiting):
                outcome.file = api.find_file(str(outcome.file_id))
                if outcome.file is not None and outcome.file["status"] in TERMINAL:
                    waiting.remove(outcome)
            if not waiting or time.monotonic() > deadline:
                return
            time.sleep(POLL_SECONDS)


def relink(api: Api, file: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """Give the file a link with the options asked for, and revoke the default link the workflow
    minted, so that no weaker link stays open."""
    defaults = [s["shareId"] for s in file["shares"] if not s["revoked"]]
    api.create_share(file["fileId"], options)
    for share_id in defaults:
        api.revoke_share(file["fileId"], share_id)
    return api.get_file(file["fileId"])


def report(outcomes: list[Outcome], *, as_json: bool, waited: bool) -> None:
    if as_json:
        output.print_json([o.as_json() for o in outcomes])
        return
    for outcome in outcomes:
        name = outcome.path.name
        if outcome.error is not None:
            continue  # already said on stderr
        if not waited:
            output.say(f"{name}  uploaded as {outcome.file_id}: being checked (`fileshare ls` shows the verdict)")
        elif outcome.file is None or outcome.file["status"] not in TERMINAL:
            output.say(f"{name}  still being checked ({outcome.file_id}): `fileshare ls` shows the verdict later")
        elif outcome.file["status"] == "READY":
            output.out.print(
                f"{output.escape_text(name)}  {output.status_text('READY')}  {outcome.link or '(no link)'}"
            )
        else:
            status, reason = outcome.file["status"], outcome.file.get("reason", "")
            output.out.print(f"{output.escape_text(name)}  {output.status_text(status)}  {output.escape_text(reason)}")


def exit_status(outcomes: list[Outcome], *, waited: bool) -> int:
    for outcome in outcomes:
        if outcome.error is not None:
            return outcome.error.status
    if waited and any(o.file is None or o.file["status"] != "READY" for o in outcomes):
        return Exit.NOT_READY
    return Exit.OK
