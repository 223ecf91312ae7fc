"""``make destroy``: delete a stage's stack and say what stays. The uploads bucket, the table and
the share-token key hold user data and are retained (``DeletionPolicy: Retain``); the app bucket
only holds the built app, so it is emptied first, or CloudFormation could not delete it."""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from delivery.stage import ROOT, Aws, Stage
from devstack.template import load_template

TEMPLATE = ROOT / "template.yaml"

# How to remove each kind of retained resource by hand, once you are sure.
REMOVAL = {
    "AWS::S3::Bucket": "empty every object version (console: Empty), then: aws s3 rb s3://{id}",
    "AWS::DynamoDB::Table": "aws dynamodb delete-table --table-name {id}",
    "AWS::KMS::Key": "aws kms schedule-key-deletion --key-id {id} --pending-window-in-days 30",
}


def retained(template: dict[str, Any]) -> dict[str, str]:
    """Logical id to type of every resource that outlives its stack."""
    return {
        logical_id: resource["Type"]
        for logical_id, resource in template["Resources"].items()
        if resource.get("DeletionPolicy") == "Retain"
    }


def what_remains(template: dict[str, Any], physical: dict[str, str]) -> list[str]:
    lines = []
    for logical_id, kind in retained(template).items():
        resource_id = physical.get(logical_id, f"<{logical_id}>")
        lines.append(f"  {logical_id} ({kind}) {resource_id}\n    remove: {REMOVAL[kind].format(id=resource_id)}")
    return lines


def destroy(stage: Stage, *, sam: str, dry_run: bool = False) -> None:
    template = load_template(TEMPLATE)
    aws = Aws(stage, dry_run=dry_run)
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in aws.resources()}
    aws("s3", "rm", f"s3://{physical.get('AppBucket', '<AppBucket>')}", "--recursive", "--only-show-errors")
    command = [sam, "delete", "--config-env", stage.name, "--no-prompts"]
    print("+", shlex.join(command), flush=True)
    if not dry_run:
        subprocess.run(command, check=True, cwd=ROOT)  # noqa: S603 - fixed argv
    print(f"\n{stage.stack_name} is deleted. These hold user data and were kept:")
    print("\n".join(what_remains(template, physical)))
    print("  and SAM's artifact bucket (stack aws-sam-cli-managed-default), shared by every stage.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Delete a stage's stack; list what is retained.")
    parser.add_argument("--stage", required=True, help="a samconfig.toml environment: dev or prod")
    parser.add_argument("--sam", default=str(Path(".venv-sam/bin/sam")), help="the sam command")
    parser.add_argument("--dry-run", action="store_true", help="print the commands, run none")
    args = parser.parse_args(argv)
    destroy(Stage.load(args.stage), sam=args.sam, dry_run=args.dry_run)


if __name__ == "__main__":
    main(sys.argv[1:])
