"""``make deploy-frontend``: the built app (``frontend/dist``) goes to the stage's app bucket with
the right Cache-Control, ``config.json`` is written from the stack's outputs, and CloudFront
forgets only the files that changed.

Vite names everything under ``assets/`` by content hash, so those files never change and are cached
for a year; the HTML entry points, ``config.json`` and the other unhashed files are revalidated on
every request. Order matters: new assets first (a page must never arrive before the files it
names), then the pages, then old assets are deleted."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from delivery.stage import ROOT, Aws, Stage

DIST = ROOT / "frontend" / "dist"
HASHED_PREFIX = "assets/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

# Outputs of template.yaml that config.json is made of, and those the upload needs.
CONFIG_OUTPUTS = ("ApiUrl", "Region", "UserPoolId", "UserPoolClientId", "MaxUploadBytes", "SinglePostMaxBytes")
REQUIRED_OUTPUTS = (*CONFIG_OUTPUTS, "AppBucketName", "AppDistributionId")


class MissingOutput(KeyError):
    pass


def cache_control(path: str) -> str:
    """Cache-Control for a file of the built app, by its path relative to ``frontend/dist``."""
    return IMMUTABLE if path.startswith(HASHED_PREFIX) else REVALIDATE


def _need(outputs: dict[str, str], names: tuple[str, ...]) -> None:
    missing = [n for n in names if n not in outputs]
    if missing:
        raise MissingOutput(f"the stack has no output {', '.join(missing)}: deploy the back end first (make deploy)")


def app_config(outputs: dict[str, str]) -> dict[str, Any]:
    """``/config.json``, what the web app reads at start, from the stack's outputs."""
    _need(outputs, CONFIG_OUTPUTS)
    return {
        "apiUrl": outputs["ApiUrl"],
        "region": outputs["Region"],
        "userPoolId": outputs["UserPoolId"],
        "userPoolClientId": outputs["UserPoolClientId"],
        "maxUploadBytes": int(outputs["MaxUploadBytes"]),
        "singlePostMaxBytes": int(outputs["SinglePostMaxBytes"]),
    }


def sync_commands(dist: Path, bucket: str) -> list[list[str]]:
    """The three ``aws s3 sync`` runs, in order (module docstring)."""
    assets, target = str(dist / HASHED_PREFIX), f"s3://{bucket}"
    quiet = ["--no-progress", "--only-show-errors"]
    return [
        ["s3", "sync", assets, f"{target}/{HASHED_PREFIX}", "--cache-control", cache_control(HASHED_PREFIX), *quiet],
        [
            "s3",
            "sync",
            str(dist),
            target,
            "--exclude",
            f"{HASHED_PREFIX}*",
            "--delete",
            "--cache-control",
            cache_control("index.html"),
            *quiet,
        ],
        ["s3", "sync", assets, f"{target}/{HASHED_PREFIX}", "--delete", "--cache-control", IMMUTABLE, *quiet],
    ]


def local_digests(dist: Path) -> dict[str, str]:
    """MD5 of every built file by its key (S3's ETag of a single-part upload is its MD5)."""
    return {
        path.relative_to(dist).as_posix(): hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
        for path in sorted(dist.rglob("*"))
        if path.is_file()
    }


def changed_paths(local: dict[str, str], remote: dict[str, str]) -> list[str]:
    """The paths to invalidate: files whose content differs from the bucket's or that are gone,
    except hashed assets (a new build names new files; an old name is never reused)."""
    keys = {k for k in local.keys() | remote.keys() if not k.startswith(HASHED_PREFIX)}
    return sorted("/" + k for k in keys if local.get(k) != remote.get(k, "").strip('"'))


def publish(stage: Stage, *, dist: Path = DIST, dry_run: bool = False) -> None:
    aws = Aws(stage, dry_run=dry_run)
    outputs = aws.outputs() if not dry_run else {name: f"<{name}>" for name in REQUIRED_OUTPUTS}
    _need(outputs, REQUIRED_OUTPUTS)
    if not (dist / "index.html").is_file() or not (dist / "share.html").is_file():
        raise SystemExit(f"{dist} has no built app: npm --prefix frontend run build")
    config = app_config(outputs) if not dry_run else {"apiUrl": outputs["ApiUrl"]}
    if not dry_run:
        (dist / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    print(f"config.json for {stage.stack_name}: {json.dumps(config)}")
    bucket = outputs["AppBucketName"]
    listing = aws(
        "s3api", "list-objects-v2", "--bucket", bucket, "--query", "Contents[].[Key,ETag]", "--output", "json"
    )
    remote = {str(key): str(etag) for key, etag in json.loads(listing or "null") or []}
    changed = changed_paths(local_digests(dist), remote) if not dry_run else ["<every page whose content changed>"]
    for command in sync_commands(dist, bucket):
        aws(*command)
    if changed:
        aws(*invalidation_command(outputs["AppDistributionId"], changed, reference=f"deploy-frontend-{time.time_ns()}"))
    print(f"published; invalidated: {', '.join(changed) or 'nothing (no page changed)'}")


def invalidation_command(distribution_id: str, paths: list[str], *, reference: str) -> list[str]:
    batch = {"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": reference}
    return [
        "cloudfront",
        "create-invalidation",
        "--distribution-id",
        distribution_id,
        "--invalidation-batch",
        json.dumps(batch),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True, help="a samconfig.toml environment: dev or prod")
    parser.add_argument("--dry-run", action="store_true", help="print the AWS commands, run none")
    args = parser.parse_args(argv)
    publish(Stage.load(args.stage), dry_run=args.dry_run)


if __name__ == "__main__":
    main(sys.argv[1:])
