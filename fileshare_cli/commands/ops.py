"""``fileshare ops ...``: for operators (the ``operators`` group). Workflow executions, a file's runs
as a timeline, redrive and reconciliation, through the HTTP API's ``/ops`` routes.

By default against the deployment ``fileshare login`` signed in to (the local stack's
``/config.json``); with ``--stack-name`` (and ``--profile``, ``--region``) the API's URL comes from
that CloudFormation stack's outputs, and the session must belong to that stack's user pool.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from typing import Any

from rich.table import Table

from fileshare_cli import output
from fileshare_cli.api import Api
from fileshare_cli.commands import Subcommands
from fileshare_cli.commands.files import positive
from fileshare_cli.durations import duration_argument
from fileshare_cli.errors import CliError, Exit
from fileshare_cli.session import Session

STATUSES = ("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")
WORKFLOWS = ("process-upload", "sweep", "record-upload-failure")
BAR_WIDTH = 30


def stack_outputs(stack_name: str, profile: str | None, region: str | None) -> dict[str, str]:
    """The outputs of a deployed stack, read with the caller's AWS credentials."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        aws = boto3.Session(profile_name=profile, region_name=region)
        [stack] = aws.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"]
    except (BotoCoreError, ClientError, ValueError) as error:
        raise CliError(f"Cannot read the outputs of stack {stack_name}: {error}", Exit.ERROR) from error
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def operator_api(args: argparse.Namespace) -> Api:
    session = Session.current()
    api_url = session.credentials.api_url
    if args.stack_name:
        outputs = stack_outputs(args.stack_name, args.profile, args.region)
        if outputs.get("UserPoolId") != session.credentials.user_pool_id:
            raise CliError(
                f"You are signed in to another deployment than stack {args.stack_name}: "
                "run `fileshare login --url <its web app>` first.",
                Exit.AUTH,
            )
        api_url = outputs["ApiUrl"]
    return Api(api_url, session.id_token)


def register(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    aws = argparse.ArgumentParser(add_help=False)
    aws.add_argument("--stack-name", help="a deployed stack (its outputs say where the API is); default: local")
    aws.add_argument("--profile", help="AWS profile to read the stack's outputs with")
    aws.add_argument("--region", help="AWS region of the stack")
    parents = [common, aws]

    ops = commands.add_parser("ops", help="for operators: executions, a file's runs, redrive, reconcile")
    sub = ops.add_subparsers(dest="ops_command", required=True, metavar="OPS_COMMAND")

    listing = sub.add_parser("executions", parents=parents, help="workflow executions, newest first")
    listing.add_argument("--status", choices=STATUSES, type=str.upper)
    listing.add_argument("--workflow", choices=WORKFLOWS)
    listing.add_argument("--since", type=duration_argument, metavar="DURATION", help="started within: 30m, 1h, 1d")
    listing.add_argument("--limit", type=positive, default=50, metavar="N", help="at most N executions (default 50)")
    listing.set_defaults(run=run_executions)

    trace = sub.add_parser("trace", parents=parents, help="a file's record and every run, step by step")
    trace.add_argument("file_id", metavar="FILE_ID")
    trace.set_defaults(run=run_trace)

    redrive = sub.add_parser("redrive", parents=parents, help="continue a failed execution from its failed step")
    redrive.add_argument("execution_arn", metavar="EXECUTION_ARN")
    redrive.set_defaults(run=run_redrive)

    reconcile = sub.add_parser("reconcile", parents=parents, help="find what the event path lost (and repair it)")
    reconcile.add_argument(
        "--repair", action="store_true", help="process lost objects again and mark stuck records FAILED"
    )
    reconcile.add_argument(
        "--older-than", type=duration_argument, metavar="DURATION", help="age limit for both (default: the stack's)"
    )
    reconcile.set_defaults(run=run_reconcile)


def _time(value: str | None) -> str:
    return (value or "")[:19].replace("T", " ")


def _duration(ms: int | None) -> str:
    if ms is None:
        return ""
    return f"{ms} ms" if ms < 1000 else f"{ms / 1000:.1f} s"


def run_executions(args: argparse.Namespace) -> int:
    filters: dict[str, Any] = {}
    if args.status:
        filters["status"] = args.status
    if args.workflow:
        filters["workflow"] = args.workflow
    if args.since:
        since = datetime.now(UTC) - timedelta(seconds=args.since)
        filters["since"] = since.isoformat(timespec="seconds").replace("+00:00", "Z")
    items = list(operator_api(args).list_executions(filters, args.limit))
    if args.json:
        output.print_json(items)
        return int(Exit.OK)
    if not items:
        output.say("No executions.")
        return int(Exit.OK)
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("STARTED", "WORKFLOW", "STATUS", "DURATION", "FILE ID", "FAILED STATE", "ERROR", "EXECUTION"):
        table.add_column(column, overflow="fold")
    for item in items:
        table.add_row(
            _time(item["startedAt"]),
            item["workflow"],
            output.status_text(item["status"]),
            _duration(item.get("durationMs")),
            item.get("fileId") or "",
            output.escape_text(item.get("failedState") or ""),
            output.escape_text(item.get("error") or ""),
            item["executionArn"],
        )
    output.out.print(table)
    return int(Exit.OK)


def _bar(ms: int | None, longest: int) -> str:
    if not ms or not longest:
        return ""
    return "█" * max(1, round(BAR_WIDTH * ms / longest))


def steps_table(steps: list[dict[str, Any]]) -> Table:
    longest = max((s.get("durationMs") or 0 for s in steps), default=0)
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("STEP", "RUN", "STATUS", "STARTED", "DURATION", "", "RETRIES", "ERROR"):
        table.add_column(column, overflow="fold")
    for step in steps:
        error = step.get("error") or ""
        if step.get("cause"):
            error = f"{error}: {step['cause']}" if error else str(step["cause"])
        table.add_row(
            output.escape_text(step["name"]),
            "redrive " + str(step["attempt"]) if step["attempt"] else "first",
            output.status_text(step["status"]),
            _time(step["enteredAt"]),
            _duration(step.get("durationMs")),
            _bar(step.get("durationMs"), longest),
            str(step["retries"]) if step["retries"] else "",
            output.escape_text(error[:200]),
        )
    return table


def run_trace(args: argparse.Namespace) -> int:
    answer = operator_api(args).file_runs(args.file_id)
    if args.json:
        output.print_json(answer)
        return int(Exit.OK)
    file = answer["file"]
    output.out.print(
        f"[bold]{output.escape_text(str(file.get('name', '')))}[/] {file['fileId']}  "
        f"{output.status_text(str(file['status']))}  owner {output.escape_text(str(file['ownerId']))}"
    )
    if file.get("reason"):
        output.say(f"reason: {file['reason']}")
    if not answer["executions"]:
        output.say("No execution of a Standard workflow is recorded for this file.")
    for run in answer["executions"]:
        output.out.print()
        redrives = f", redriven {run['redriveCount']}x" if run["redriveCount"] else ""
        output.out.print(
            f"[bold]{run['workflow']}[/] {output.status_text(run['status'])} {_duration(run.get('durationMs'))}"
            f"{redrives}  {run['executionArn']}"
        )
        output.out.print(steps_table(run["steps"]))
    return int(Exit.OK)


def run_redrive(args: argparse.Namespace) -> int:
    answer = operator_api(args).redrive(args.execution_arn)
    if args.json:
        output.print_json(answer)
        return int(Exit.OK)
    output.say(
        f"Redriven from {answer.get('redrivenFrom') or 'its failed state'}: {answer['executionArn']} is "
        f"{answer['status']} (redrive {answer['redriveCount']})."
    )
    return int(Exit.OK)


def run_reconcile(args: argparse.Namespace) -> int:
    body: dict[str, Any] = {"repair": bool(args.repair)}
    if args.older_than is not None:
        body["olderThanSeconds"] = args.older_than
    report = operator_api(args).reconcile(body)
    if args.json:
        output.print_json(report)
        return int(Exit.OK)
    counts = report["counts"]
    output.say(
        f"{counts['lostObjects']} lost object(s) (no record after {report['lostAfterSeconds']} s), "
        f"{counts['stuckRecords']} stuck record(s) (PROCESSING for {report['stuckAfterSeconds']} s with no run), "
        f"{counts['missingObjects']} record(s) whose object is gone."
    )
    sections = (
        ("lostObjects", "Lost objects", "processing started again" if report["repair"] else "rerun with --repair"),
        ("stuckRecords", "Stuck records", "marked FAILED" if report["repair"] else "rerun with --repair"),
        ("missingObjects", "Missing objects", "see docs/operations.md, restore"),
    )
    for key, title, action in sections:
        if report[key]:
            output.out.print(f"\n[bold]{title}[/] ({action})")
            table = Table(box=None, pad_edge=False, header_style="bold")
            columns = list(report[key][0])
            for column in columns:
                table.add_column(column.upper(), overflow="fold")
            for row in report[key]:
                table.add_row(*(output.escape_text(str(row[c])) for c in columns))
            output.out.print(table)
    return int(Exit.OK)
