"""``fileshare login`` and ``fileshare logout``."""

from __future__ import annotations

import argparse
import os

from fileshare_cli import output, prompts
from fileshare_cli.api import fetch_app_config
from fileshare_cli.commands import Subcommands
from fileshare_cli.errors import Exit
from fileshare_cli.session import Credentials, Session, credentials_path, sign_in

DEFAULT_URL = "http://127.0.0.1:8000"  # the local stack's web app (`make run`)


def register(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    login = commands.add_parser(
        "login",
        parents=[common],
        help="sign in and stay signed in on this machine",
        description="Sign in with your Fileshare account. Only a refresh token is kept, in "
        f"{credentials_path()} (mode 0600). The password is asked on the terminal, or read from the "
        "first line of standard input when it is not a terminal.",
    )
    login.add_argument(
        "--url",
        default=os.environ.get("FILESHARE_URL", DEFAULT_URL),
        help=f"the web app's URL (default $FILESHARE_URL or {DEFAULT_URL}, the local stack)",
    )
    login.add_argument("--email", help="your account's email (asked when missing)")
    login.set_defaults(run=run_login)

    logout = commands.add_parser("logout", parents=[common], help="revoke and forget the session kept on this machine")
    logout.set_defaults(run=run_logout)


def run_login(args: argparse.Namespace) -> int:
    config = fetch_app_config(args.url)
    email = args.email or prompts.text("Email: ")
    password = prompts.secret("Password: ")
    credentials = sign_in(config, email, password)
    credentials.save()
    if args.json:
        output.print_json({"appUrl": config.app_url, "apiUrl": config.api_url, "username": email})
    else:
        output.say(f"Signed in to {config.app_url} as {email}.")
    return Exit.OK


def run_logout(args: argparse.Namespace) -> int:
    credentials = Credentials.load()
    if credentials is None:
        revoked, was_signed_in = False, False
    else:
        revoked, was_signed_in = Session(credentials).sign_out(), True
    if args.json:
        output.print_json({"signedOut": was_signed_in, "revoked": revoked})
    elif not was_signed_in:
        output.say("You were not signed in.")
    elif revoked:
        output.say("Signed out: the session was revoked and forgotten.")
    else:
        output.say(
            "Signed out on this machine. Cognito could not be told, so the session stays valid until it expires."
        )
    return Exit.OK
