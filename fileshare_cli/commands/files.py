"""``fileshare ls``, ``share``, ``revoke`` and ``rm``: the owner's files and their links."""

from __future__ import annotations

import argparse
from typing import Any

from fileshare_cli import output, prompts
from fileshare_cli.api import Api
from fileshare_cli.commands import Subcommands
from fileshare_cli.durations import describe, duration_argument
from fileshare_cli.errors import Exit
from fileshare_cli.session import Session


def owner_api() -> Api:
    session = Session.current()
    return Api(session.credentials.api_url, session.id_token)


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from error
    if value < 1:
        raise argparse.ArgumentTypeError("it must be at least 1")
    return value


def add_share_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--expires", type=duration_argument, metavar="DURATION", help="link lifetime: 30m, 12h, 1d, 2w (default 7d)"
    )
    parser.add_argument("--max-downloads", type=positive, metavar="N", help="downloads allowed through the link")
    parser.add_argument(
        "--password-prompt",
        action="store_true",
        help="protect the link with a password, asked on the terminal ($FILESHARE_PASSWORD for scripts)",
    )


def share_request(args: argparse.Namespace) -> dict[str, Any] | None:
    """The ``POST /files/{id}/shares`` body for the options given, or None when none was given."""
    body: dict[str, Any] = {}
    if args.expires is not None:
        body["expiresInSeconds"] = args.expires
    if args.max_downloads is not None:
        body["maxDownloads"] = args.max_downloads
    if args.password_prompt:
        body["password"] = prompts.link_password(True, confirm=True)
    return body or None


def register(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    listing = commands.add_parser(
        "ls", parents=[common], help="list your files and their status (with FILE_ID: one file and its links)"
    )
    listing.add_argument("file_id", nargs="?", metavar="FILE_ID")
    listing.set_defaults(run=run_ls)

    share = commands.add_parser("share", parents=[common], help="create another link to a READY file")
    share.add_argument("file_id", metavar="FILE_ID")
    add_share_options(share)
    share.set_defaults(run=run_share)

    revoke = commands.add_parser("revoke", parents=[common], help="revoke a link; it stops working at once")
    revoke.add_argument("file_id", metavar="FILE_ID")
    revoke.add_argument("share_id", metavar="SHARE_ID")
    revoke.set_defaults(run=run_revoke)

    remove = commands.add_parser("rm", parents=[common], help="delete a file and every link to it")
    remove.add_argument("file_id", metavar="FILE_ID")
    remove.set_defaults(run=run_rm)


def run_ls(args: argparse.Namespace) -> int:
    api = owner_api()
    if args.file_id:
        file = api.get_file(args.file_id)
        if args.json:
            output.print_json(file)
            return Exit.OK
        output.out.print(output.files_table([file]))
        if file.get("reason"):
            output.say(f"Reason: {file['reason']}")
        if file.get("sha256"):
            output.say(f"SHA-256: {file['sha256']}")
        if file["shares"]:
            output.say("")
            output.out.print(output.shares_table(file))
        return Exit.OK
    files = list(api.list_files())
    if args.json:
        output.print_json(files)
    elif files:
        output.out.print(output.files_table(files))
    else:
        output.say("No files yet: upload one with `fileshare upload FILE`.")
    return Exit.OK


def run_share(args: argparse.Namespace) -> int:
    body = share_request(args) or {}
    share = owner_api().create_share(args.file_id, body)
    if args.json:
        output.print_json(share)
        return Exit.OK
    output.say(share["url"])
    details = [f"link {share['shareId']}", f"expires {share['expiresAt']}"]
    if "expiresInSeconds" in body:
        details.append(f"in {describe(body['expiresInSeconds'])}")
    if share.get("maxDownloads"):
        details.append(f"{share['maxDownloads']} downloads")
    if share["passwordProtected"]:
        details.append("password protected")
    output.note(", ".join(details))
    return Exit.OK


def run_revoke(args: argparse.Namespace) -> int:
    owner_api().revoke_share(args.file_id, args.share_id)
    if args.json:
        output.print_json({"fileId": args.file_id, "shareId": args.share_id, "revoked": True})
    else:
        output.say(f"Revoked link {args.share_id}: it no longer works.")
    return Exit.OK


def run_rm(args: argparse.Namespace) -> int:
    owner_api().delete_file(args.file_id)
    if args.json:
        output.print_json({"fileId": args.file_id, "deleted": True})
    else:
        output.say(f"Deleted {args.file_id} and every link to it.")
    return Exit.OK
