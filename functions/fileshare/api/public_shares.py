"""Recipients, no account: ``GET /public/shares/{token}``, ``POST .../unlock`` and ``POST .../download``.

Every dead link (unknown, expired, revoked, exhausted, deleted, not clean; for a link to several
files, none of them left) answers the same 404. A password link shows its details only after
``unlock`` has checked the password.
This function is also API Gateway's ``$default`` route, so unknown paths get the JSON 404 too.
"""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.api.http import json_body, new_resolver
from fileshare.core import clock, config
from fileshare.core.commands import run_command
from fileshare.core.lockout import PasswordPolicy
from fileshare.core.shares import Requester, ShareLookup, public_view, redeem, unlock
from fileshare.core.store import IndexReader
from fileshare.observability import logger, metrics, tracer


class Settings(NamedTuple):
    table_name: str
    uploads_bucket: str
    redeem_share_state_machine_arn: str
    password_max_attempts: int = 5
    password_lock_seconds: int = 900


settings = config.load(Settings)
lookup = ShareLookup(IndexReader(settings.table_name))
policy = PasswordPolicy(settings.password_max_attempts, settings.password_lock_seconds)
app = new_resolver()
run_redeem = partial(run_command, settings.redeem_share_state_machine_arn)


@app.get("/public/shares/<token>")
@tracer.capture_method
def describe_share(token: str) -> dict[str, Any]:
    return public_view(lookup.find(token, clock.now()))


@app.post("/public/shares/<token>/unlock")
@tracer.capture_method
def unlock_share(token: str) -> dict[str, Any]:
    body = json_body(app, "unlock.request")
    return unlock(lookup=lookup, run=run_redeem, token=token, password=body["password"], policy=policy, at=clock.now())


@app.post("/public/shares/<token>/download")
@tracer.capture_method(capture_response=False)
def download(token: str) -> dict[str, Any]:
    body = json_body(app, "download.request")
    http = app.current_event.request_context.http
    requester = Requester(
        request_id=app.current_event.request_context.request_id,
        source_ip=http.source_ip,
        user_agent=http.user_agent or "",
    )
    answer = redeem(
        lookup=lookup,
        run=run_redeem,
        token=token,
        password=body.get("password"),
        requester=requester,
        policy=policy,
        bucket=settings.uploads_bucket,
        at=clock.now(),
    )
    logger.info("download link issued")
    metrics.add_metric(name="DownloadsIssued", unit="Count", value=1)
    return answer


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler(capture_response=False)  # answers hold presigned download URLs
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)


init_complete()
