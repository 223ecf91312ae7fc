"""Admitting a registered upload into its owner's quotas, in the order uploads register.

Two checks, both counting only what registered before (or with) this upload, so a burst of uploads
keeps the ones that fit and refuses the rest:

* uploads per hour: this upload's marker is written once, and the markers of the last hour up to
  and including it are counted (a soft limit: registrations racing each other may both pass);
* bytes stored: one transaction sets the file's ``storedBytes`` and adds them to the owner's
  ``bytesStored`` only if the total stays within the quota (exact under any concurrency).
"""

from __future__ import annotations

import random
import time
from contextlib import suppress
from typing import Any

from fileshare.core.aws import client
from fileshare.core.quota import QuotaLimits, rate_problem, storage_problem
from fileshare.core.records import USAGE_SK, file_pk, owner_pk, upload_marker
from fileshare.core.store import to_attribute_values

ATTEMPTS = 8  # transaction conflicts with the owner's other uploads are retried this often


def admit(
    *, table: str, owner_id: str, file_id: str, created_at: str, size: int, since: str, limits: QuotaLimits
) -> tuple[str, str] | None:
    """Admit one registered upload; the code and reason that refuse it, or None once it is admitted
    (also when it already was: the step may run again)."""
    dynamodb = client("dynamodb")
    marker = upload_marker(owner_id, file_id, created_at)
    with suppress(dynamodb.exceptions.ConditionalCheckFailedException):  # written by an earlier attempt
        dynamodb.put_item(
            TableName=table, Item=to_attribute_values(marker), ConditionExpression="attribute_not_exists(pk)"
        )
    counted = 0
    params: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "pk = :pk AND sk BETWEEN :since AND :me",
        "ExpressionAttributeValues": {
            ":pk": {"S": owner_pk(owner_id)},
            ":since": {"S": f"UPLOAD#{since}"},
            ":me": {"S": marker["sk"]},
        },
        "Select": "COUNT",
        "ConsistentRead": True,
    }
    while True:
        answer = dynamodb.query(**params)
        counted += int(answer["Count"])
        if "LastEvaluatedKey" not in answer:
            break
        params["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
    refused = rate_problem(counted, limits)
    if refused or size > limits.max_bytes_stored:
        return refused or storage_problem(0, size, limits)
    usage_key = {"pk": {"S": owner_pk(owner_id)}, "sk": {"S": USAGE_SK}}
    for attempt in range(ATTEMPTS):
        try:
            dynamodb.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": table,
                            "Key": {"pk": {"S": file_pk(file_id)}, "sk": {"S": "FILE"}},
                            "ConditionExpression": "storedBytes = :zero AND #status = :processing",
                            "UpdateExpression": "SET storedBytes = :size",
                            "ExpressionAttributeNames": {"#status": "status"},
                            "ExpressionAttributeValues": {
                                ":zero": {"N": "0"},
                                ":size": {"N": str(size)},
                                ":processing": {"S": "PROCESSING"},
                            },
                        }
                    },
                    {
                        "Update": {
                            "TableName": table,
                            "Key": usage_key,
                            "ConditionExpression": "attribute_not_exists(bytesStored) OR bytesStored <= :ceiling",
                            "UpdateExpression": "ADD bytesStored :size",
                            "ExpressionAttributeValues": {
                                ":size": {"N": str(size)},
                                ":ceiling": {"N": str(limits.max_bytes_stored - size)},
                            },
                        }
                    },
                ]
            )
            return None
        except dynamodb.exceptions.TransactionCanceledException as cancelled:
            reasons = [str(r.get("Code", "None")) for r in cancelled.response.get("CancellationReasons", [])]
        if reasons[0] == "ConditionalCheckFailed":
            return None  # admitted by an earlier attempt (or no longer PROCESSING: nothing to count)
        if reasons[1] == "ConditionalCheckFailed":
            item = dynamodb.get_item(TableName=table, Key=usage_key, ConsistentRead=True).get("Item", {})
            return storage_problem(int(item.get("bytesStored", {}).get("N", "0")), size, limits)
        time.sleep(random.uniform(0, 0.05 * 2**attempt))  # noqa: S311 - jitter, not a secret
    raise RuntimeError(f"could not admit upload {file_id}: its owner's usage stayed in conflict")
