"""``fileshare local``: run the whole system on this machine until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from devstack.stack import LOCAL_SCANNER_ENGINE, REPO_ROOT, LocalStack
from devstack.web import port_is_free

DEMO_EMAIL = "demo@fileshare.local"
DEMO_PASSWORD = "Fileshare-demo-1"  # noqa: S105 - a local-only demo account, printed on start


def seed_demo_user(stack: LocalStack) -> None:
    outputs = stack.stack.outputs if stack.stack else {}
    cognito = stack.client("cognito-idp")
    cognito.sign_up(
        ClientId=outputs["UserPoolClientId"],
        Username=DEMO_EMAIL,
        Password=DEMO_PASSWORD,
        UserAttributes=[{"Name": "email", "Value": DEMO_EMAIL}],
    )
    cognito.admin_add_user_to_group(UserPoolId=outputs["UserPoolId"], Username=DEMO_EMAIL, GroupName="operators")


def run_local(args: argparse.Namespace) -> int:
    if args.port and not port_is_free(args.port):
        print(f"port {args.port} is in use: choose another with PORT=NNNN make run (or --port)", file=sys.stderr)
        return 2
    parameters: dict[str, Any] = {"ScannerEngine": args.scanner}
    template = Path(args.template).resolve()
    stack = LocalStack(root=template.parent, template=template.name, app_port=args.port, parameters=parameters)
    stack.start()
    if args.demo_user:
        seed_demo_user(stack)
    print(
        f"\n  Fileshare is running:  {stack.app_url}\n"
        f"  HTTP API:              {stack.api_url}   (contract: {stack.app_url}/openapi.yaml)\n"
        f"  AWS services (moto):   {stack.moto.endpoint}\n",
        flush=True,
    )
    if args.demo_user:
        print(
            f"  Sign in as {DEMO_EMAIL} / {DEMO_PASSWORD} (an operator), or sign up: accounts are confirmed at once.\n",
            flush=True,
        )
    else:
        print("  Sign up with any email: accounts are confirmed at once (no email is sent).\n", flush=True)
    print("  Ctrl-C stops everything.\n", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    with contextlib.suppress(KeyboardInterrupt):
        stopped.wait()
    print("stopping…", flush=True)
    stack.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fileshare", description="Fileshare developer tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    local = commands.add_parser("local", help="run the whole system on 127.0.0.1 (moto underneath)")
    local.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", "8000")),
        help="port of the web app (default $PORT or 8000); other ports are chosen free",
    )
    local.add_argument(
        "--template",
        default=str(REPO_ROOT / "template.yaml"),
        help="the SAM template to run (default: this repository's template.yaml)",
    )
    local.add_argument(
        "--scanner",
        default=os.environ.get("FILESHARE_SCANNER", LOCAL_SCANNER_ENGINE),
        choices=["yara", "clamav", "guardduty"],
        help=(
            f"the ScannerEngine parameter (default $FILESHARE_SCANNER or {LOCAL_SCANNER_ENGINE}; AWS's default, "
            "guardduty, cannot scan locally: uploads would wait for result events you publish yourself)"
        ),
    )
    local.add_argument(
        "--no-demo-user",
        dest="demo_user",
        action="store_false",
        default=os.environ.get("FILESHARE_DEMO_USER", "1") != "0",
        help="do not create the demo account (or FILESHARE_DEMO_USER=0)",
    )
    args = parser.parse_args(argv)
    if args.command == "local":
        return run_local(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
