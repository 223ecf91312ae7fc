"""Meeting point between a workflow waiting on an external scan and the scan's result event.

GuardDuty scans an object as soon as it lands, independently of our workflow, so its result may
arrive before or after the workflow starts waiting. Both sides write to one item (keyed by
bucket, key and version) with a single UpdateItem and read back the whole item: whichever
arrives second finds the other's half and completes the wait with the task token.
"""

from __future__ import annotations

import json
from typing import Any

from fileshare.core import clock
from fileshare.core.aws import client
from fileshare.core.bounded import clip, clip_all
from fileshare.core.store import from_attribute_values

RENDEZVOUS_TTL_SECONDS = 7 * 24 * 3600
# Every rendezvous item's partition key starts so; the IAM policies of both sides allow no other
# (dynamodb:LeadingKeys in template.yaml).
PARTITION_PREFIX = "SCAN#"


def rendezvous_key(bucket: str, key: str, version_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"{PARTITION_PREFIX}{bucket}/{key}"}, "sk": {"S": f"VERSION#{version_id or 'null'}"}}


def _meet(table: str, bucket: str, key: str, version_id: str, *, field: str, value: str) -> dict[str, Any]:
    expires = int(clock.now().timestamp()) + RENDEZVOUS_TTL_SECONDS
    answer = client("dynamodb").update_item(
        TableName=table,
        Key=rendezvous_key(bucket, key, version_id),
        UpdateExpression="SET #field = :value, #ttl = :ttl",
        ExpressionAttributeNames={"#field": field, "#ttl": "ttl"},
        ExpressionAttributeValues={":value": {"S": value}, ":ttl": {"N": str(expires)}},
        ReturnValues="ALL_NEW",
    )
    return from_attribute_values(answer["Attributes"])


def _complete(token: str, result: str) -> None:
    try:
        client("stepfunctions").send_task_success(taskToken=token, output=result)
    except client("stepfunctions").exceptions.TaskTimedOut:
        pass  # the workflow gave up waiting and has already recorded the failure


def wait_for_result(*, table: str, bucket: str, key: str, version_id: str, task_token: str) -> bool:
    """The workflow's half; True when the result was already there and the wait is completed."""
    item = _meet(table, bucket, key, version_id, field="taskToken", value=task_token)
    if "result" in item:
        _complete(task_token, item["result"])
        return True
    return False


def deliver_result(*, table: str, bucket: str, key: str, version_id: str, result: dict[str, Any]) -> bool:
    """The result event's half; True when a workflow was waiting and has been resumed."""
    text = json.dumps(result)
    item = _meet(table, bucket, key, version_id, field="result", value=text)
    if "taskToken" in item:
        _complete(item["taskToken"], text)
        return True
    return False


def guardduty_verdict(detail: dict[str, Any]) -> dict[str, Any]:
    """Our scan result for a GuardDuty Malware Protection "Object Scan Result" event detail."""
    status = detail.get("scanResultDetails", {}).get("scanResultStatus")
    threats = [t.get("name", "unknown") for t in detail.get("scanResultDetails", {}).get("threats") or []]
    if status == "NO_THREATS_FOUND":
        return {"engine": "guardduty", "verdict": "CLEAN", "signatures": []}
    if status == "THREATS_FOUND":
        verdict: dict[str, Any] = {"engine": "guardduty", "verdict": "INFECTED", "signatures": clip_all(threats)}
        if not threats:
            verdict["signatures"] = ["unnamed threat"]
        elif len(threats) > len(verdict["signatures"]):
            verdict["signatureCount"] = len(threats)
        return verdict
    why = status or detail.get("scanStatus", "no result")
    return {
        "engine": "guardduty",
        "verdict": "UNSCANNABLE",
        "signatures": [],
        "reason": clip(f"the file cannot be scanned: GuardDuty answered {why}"),
    }
