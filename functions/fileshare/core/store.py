"""DynamoDB adapter for the API's reads. Writes happen only inside Step Functions workflows."""

from __future__ import annotations

import base64
import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from fileshare.core.aws import client
from fileshare.core.quota import Usage
from fileshare.core.records import (
    UPLOAD_MARKER_PREFIX,
    USAGE_SK,
    DownloadRecord,
    FileRecord,
    ShareRecord,
    file_pk,
    owner_gsi1pk,
    owner_pk,
    share_pk,
)

PARALLEL_QUERIES = 8
BATCH_GET_KEYS = 100  # BatchGetItem's limit per call
BATCH_GET_ATTEMPTS = 5
_deserializer = TypeDeserializer()
_serializer = TypeSerializer()


def to_attribute_values(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in item.items()}


def from_attribute_values(item: dict[str, Any]) -> dict[str, Any]:
    """Plain values; a set (``shareKeys``) as a sorted list, so every item is JSON as it is."""
    plain = {k: _deserializer.deserialize(v) for k, v in item.items()}
    return {k: sorted(v) if isinstance(v, set) else v for k, v in plain.items()}


class IndexReader:
    def __init__(self, table_name: str) -> None:
        self.table_name = table_name

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        answer = client("dynamodb").get_item(
            TableName=self.table_name, Key={"pk": {"S": pk}, "sk": {"S": sk}}, ConsistentRead=True
        )
        item = answer.get("Item")
        return from_attribute_values(item) if item else None

    def get_file(self, file_id: str) -> FileRecord | None:
        item = self.file_item(file_id)
        return FileRecord.from_item(item) if item else None

    def file_item(self, file_id: str) -> dict[str, Any] | None:
        """The file's item as stored, every attribute included (operators' view)."""
        return self._get(file_pk(file_id), "FILE")

    def get_share(self, token_hash: str) -> ShareRecord | None:
        item = self._get(share_pk(token_hash), "SHARE")
        return ShareRecord.from_item(item) if item else None

    def list_files(self, owner_id: str, *, limit: int, next_token: str | None) -> tuple[list[FileRecord], str | None]:
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": owner_gsi1pk(owner_id)}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if next_token:
            params["ExclusiveStartKey"] = decode_page_token(next_token, owner_gsi1pk(owner_id))
        answer = client("dynamodb").query(**params)
        files = [FileRecord.from_item(from_attribute_values(i)) for i in answer.get("Items", [])]
        last = answer.get("LastEvaluatedKey")
        return files, encode_page_token(last) if last else None

    def list_shares(self, file_id: str) -> list[ShareRecord]:
        return [ShareRecord.from_item(item) for item in self.share_items(file_id)]

    def list_shares_of(self, records: list[FileRecord]) -> dict[str, list[ShareRecord]]:
        """The links of a page of files. A file names its links' keys (``shareKeys``, written by
        the workflows that store links), so they are read by key, a hundred at a time, instead of
        one query per file; files written before that are queried, side by side."""
        found: dict[str, list[ShareRecord]] = {r.file_id: [] for r in records}
        for item in self._get_shares([k for r in records for k in r.share_keys]):
            share = ShareRecord.from_item(item)
            if share.file_id in found:
                found[share.file_id].append(share)
        older = [r.file_id for r in records if not r.share_keys and r.shares_created > 0]
        if older:
            with ThreadPoolExecutor(max_workers=min(PARALLEL_QUERIES, len(older))) as pool:
                found.update(zip(older, pool.map(self.list_shares, older), strict=True))
        return found

    def share_items(self, file_id: str) -> list[dict[str, Any]]:
        shares: list[dict[str, Any]] = []
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk AND begins_with(gsi1sk, :share)",
            "ExpressionAttributeValues": {":pk": {"S": file_pk(file_id)}, ":share": {"S": "SHARE#"}},
        }
        while True:
            answer = client("dynamodb").query(**params)
            shares += [from_attribute_values(i) for i in answer.get("Items", [])]
            if "LastEvaluatedKey" not in answer:
                return shares
            params["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def _get_shares(self, pks: list[str]) -> list[dict[str, Any]]:
        """Share items by pk, strongly consistent, as BatchGetItem allows: at most 100 keys a call,
        and the keys it left unprocessed asked again."""
        items: list[dict[str, Any]] = []
        for start in range(0, len(pks), BATCH_GET_KEYS):
            keys = [{"pk": {"S": pk}, "sk": {"S": "SHARE"}} for pk in pks[start : start + BATCH_GET_KEYS]]
            request: dict[str, Any] = {self.table_name: {"Keys": keys, "ConsistentRead": True}}
            for attempt in range(BATCH_GET_ATTEMPTS):
                answer = client("dynamodb").batch_get_item(RequestItems=request)
                items += [from_attribute_values(i) for i in answer.get("Responses", {}).get(self.table_name, [])]
                request = answer.get("UnprocessedKeys") or {}
                if not request:
                    break
                time.sleep(min(1.0, 0.05 * 2**attempt))
            else:
                raise RuntimeError(f"DynamoDB left {len(request[self.table_name]['Keys'])} keys unread")
        return items

    def usage(self, owner_id: str, *, since: str) -> Usage:
        """What an owner stores, and how many uploads were registered from ``since`` on."""
        item = self._get(owner_pk(owner_id), USAGE_SK) or {}
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :since AND :end",
            "ExpressionAttributeValues": {
                ":pk": {"S": owner_pk(owner_id)},
                ":since": {"S": f"{UPLOAD_MARKER_PREFIX}{since}"},
                ":end": {"S": f"{UPLOAD_MARKER_PREFIX}~"},
            },
            "ProjectionExpression": "createdAt",
            "ConsistentRead": True,
        }
        stamps: list[str] = []
        while True:
            answer = client("dynamodb").query(**params)
            stamps += [i["createdAt"]["S"] for i in answer.get("Items", [])]
            if "LastEvaluatedKey" not in answer:
                break
            params["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        return Usage(
            bytes_stored=int(item.get("bytesStored", 0)),
            uploads_last_hour=len(stamps),
            oldest_upload_at=min(stamps, default=None),
        )


class BadPageToken(ValueError):
    pass


def encode_page_token(key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_page_token(token: str, expected_gsi1pk: str) -> dict[str, Any]:
    """Decode a ``nextToken``; it must point into the caller's own partition."""
    try:
        key = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(key, dict) or key.get("gsi1pk", {}).get("S") != expected_gsi1pk:
            raise BadPageToken("nextToken does not belong to this listing")
        if set(key) != {"pk", "sk", "gsi1pk", "gsi1sk"} or not all(
            isinstance(v, dict) and isinstance(v.get("S"), str) for v in key.values()
        ):
            raise BadPageToken("nextToken is malformed")
        return key
    except BadPageToken:
        raise
    # AttributeError: a "gsi1pk" that is not a map; RecursionError: JSON nested too deeply to parse.
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        raise BadPageToken("nextToken is malformed") from exc


def list_downloads(table_name: str, file_id: str, *, limit: int) -> list[DownloadRecord]:
    """A file's download audit, newest first."""
    answer = client("dynamodb").query(
        TableName=table_name,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :download)",
        ExpressionAttributeValues={":pk": {"S": file_pk(file_id)}, ":download": {"S": "DOWNLOAD#"}},
        ScanIndexForward=False,
        Limit=limit,
    )
    return [DownloadRecord.from_item(from_attribute_values(i)) for i in answer.get("Items", [])]
