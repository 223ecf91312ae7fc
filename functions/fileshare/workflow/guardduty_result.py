"""EventBridge target: a GuardDuty Malware Protection "Object Scan Result" for the uploads bucket
resumes the upload workflow waiting on that object version."""

from __future__ import annotations

from typing import Any, NamedTuple

from aws_lambda_powertools.utilities.typing import LambdaContext

from fileshare import init_complete
from fileshare.core import config
from fileshare.core.scan_rendezvous import deliver_result, guardduty_verdict
from fileshare.observability import logger, tracer


class Settings(NamedTuple):
    table_name: str
    uploads_bucket: str


settings = config.load(Settings)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    details = event["detail"]["s3ObjectDetails"]
    if details["bucketName"] != settings.uploads_bucket:
        raise ValueError(f"scan result for bucket {details['bucketName']!r}")
    result = guardduty_verdict(event["detail"])
    resumed = deliver_result(
        table=settings.table_name,
        bucket=details["bucketName"],
        key=details["objectKey"],
        version_id=details.get("versionId") or "null",
        result=result,
    )
    logger.info("GuardDuty result", extra={"verdict": result["verdict"], "resumed": resumed})
    return {"verdict": result["verdict"], "resumed": resumed}


init_complete()
