"""DynamoDB adapter for the API's reads. Writes happen only inside Step Functions workflows."""

from __future__ import annotations

import base64
import itertools
import json
import random
import time
from collections.abc import Sequence
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from fileshare.core.aws import client
from fileshare.core.quota import Usage
from fileshare.core.records import (
    REQUEST_SK,
    SETTINGS_SK,
    UPLOAD_MARKER_PREFIX,
    USAGE_SK,
    DownloadRecord,
    FileRecord,
    RequestRecord,
    ShareRecord,
    file_pk,
    links_gsi1pk,
    owner_gsi1pk,
    owner_pk,
    owner_requests_gsi1pk,
    request_gsi4pk,
    request_pk,
    share_pk,
)

BATCH_GET_KEYS = 100  # BatchGetItem's limit per call
_deserializer = TypeDeserializer()
_serializer = TypeSerializer()


def to_attribute_values(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in item.items()}


def from_attribute_values(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


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

    def get_files(self, file_ids: Sequence[str]) -> list[FileRecord | None]:
        """Several files by id, strongly consistent, in the order asked: None for a file that is
        not there."""
        items = self._batch_get([(file_pk(f), "FILE") for f in dict.fromkeys(file_ids)])
        found = {record.file_id: record for record in map(FileRecord.from_item, items)}
        return [found.get(f) for f in file_ids]

    def _batch_get(self, keys: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
        """Items by (pk, sk), strongly consistent, in no particular order, as BatchGetItem allows:
        at most 100 keys a call, and the keys it left unprocessed asked again after a pause."""
        items: list[dict[str, Any]] = []
        for start in range(0, len(keys), BATCH_GET_KEYS):
            batch = [{"pk": {"S": pk}, "sk": {"S": sk}} for pk, sk in keys[start : start + BATCH_GET_KEYS]]
            request: dict[str, Any] = {self.table_name: {"Keys": batch, "ConsistentRead": True}}
            for attempt in itertools.count():
                answer = client("dynamodb").batch_get_item(RequestItems=request)
                items += map(from_attribute_values, answer.get("Responses", {}).get(self.table_name, []))
                request = answer.get("UnprocessedKeys") or {}
                if not request:
                    break
                time.sleep(min(1.0, 0.05 * 2**attempt) * random.random())  # noqa: S311 - jitter, not a secret
        return items

    def get_share(self, token_hash: str) -> ShareRecord | None:
        item = self._get(share_pk(token_hash), "SHARE")
        return ShareRecord.from_item(item) if item else None

    def _newest_first(
        self, gsi1pk: str, *, limit: int, next_token: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of a gsi1 partition, newest first; ``nextToken`` must point into that partition."""
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": gsi1pk}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if next_token:
            params["ExclusiveStartKey"] = decode_page_token(next_token, gsi1pk)
        answer = client("dynamodb").query(**params)
        last = answer.get("LastEvaluatedKey")
        return [from_attribute_values(i) for i in answer.get("Items", [])], encode_page_token(last) if last else None

    def list_files(self, owner_id: str, *, limit: int, next_token: str | None) -> tuple[list[FileRecord], str | None]:
        items, token = self._newest_first(owner_gsi1pk(owner_id), limit=limit, next_token=next_token)
        return [FileRecord.from_item(i) for i in items], token

    def list_requests(
        self, owner_id: str, *, limit: int, next_token: str | None
    ) -> tuple[list[RequestRecord], str | None]:
        """An owner's file requests, newest first."""
        items, token = self._newest_first(owner_requests_gsi1pk(owner_id), limit=limit, next_token=next_token)
        return [RequestRecord.from_item(i) for i in items], token

    def list_links(self, owner_id: str, *, limit: int, next_token: str | None) -> tuple[list[ShareRecord], str | None]:
        """An owner's links to several files, newest first."""
        items, token = self._newest_first(links_gsi1pk(owner_id), limit=limit, next_token=next_token)
        return [ShareRecord.from_item(i) for i in items], token

    def find_link(self, owner_id: str, share_id: str) -> ShareRecord | None:
        """One of an owner's links to several files, by its id (all pages of the owner's links)."""
        token: str | None = None
        while True:
            links, token = self.list_links(owner_id, limit=100, next_token=token)
            for link in links:
                if link.share_id == share_id:
                    return link
            if token is None:
                return None

    def get_request(self, token_hash: str) -> RequestRecord | None:
        item = self._get(request_pk(token_hash), REQUEST_SK)
        return RequestRecord.from_item(item) if item else None

    def request_with_files(self, request_id: str) -> tuple[RequestRecord | None, list[FileRecord]]:
        """A request and every file it received: one Query on gsi4 (all pages)."""
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "gsi4",
            "KeyConditionExpression": "gsi4pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": request_gsi4pk(request_id)}},
        }
        request: RequestRecord | None = None
        files: list[FileRecord] = []
        while True:
            answer = client("dynamodb").query(**params)
            for raw in answer.get("Items", []):
                item = from_attribute_values(raw)
                if item["gsi4sk"] == REQUEST_SK:
                    request = RequestRecord.from_item(item)
                else:
                    files.append(FileRecord.from_item(item))
            if "LastEvaluatedKey" not in answer:
                return request, files
            params["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def list_shares(self, file_id: str) -> list[ShareRecord]:
        return [ShareRecord.from_item(item) for item in self.share_items(file_id)]

    def list_shares_of(self, records: Sequence[FileRecord]) -> dict[str, list[ShareRecord]]:
        """The own links of a page of files. A file keeps its links' keys (``shareKeys``), so they
        are read by key, a hundred a call, not one query per file; a file indexed before it kept
        them is queried."""
        found: dict[str, list[ShareRecord]] = {r.file_id: [] for r in records}
        keys = [(pk, "SHARE") for r in records for pk in r.share_keys or ()]
        for share in map(ShareRecord.from_item, self._batch_get(keys)):
            if share.file_id in found:
                found[share.file_id].append(share)
        for record in records:
            if record.share_keys is None and record.shares_created > 0:
                found[record.file_id] = self.list_shares(record.file_id)
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

    def notifications(self, owner_id: str) -> dict[str, bool]:
        """An owner's email settings; every one is off until the owner turns it on."""
        item = self._get(owner_pk(owner_id), SETTINGS_SK) or {}
        return {"uploadProblems": bool(item.get("uploadProblems", False))}


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
