"""Helpers for tests that drive the local stack: put objects as an upload would, wait for the
workflow, read the index and the app's event bus."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import boto3
from botocore.config import Config

from devstack.provision import render_definition
from devstack.stack import LocalStack
from fileshare.core.store import from_attribute_values
from tests.contracts import validate, validate_event

TERMINAL = {"READY", "REJECTED", "INFECTED", "FAILED"}


def eicar() -> bytes:
    """The EICAR test file, assembled here so that no file in the repository contains it whole."""
    return (r"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()


@dataclass
class Uploaded:
    file_id: str
    owner_id: str
    key: str
    version_id: str


def put_upload(
    stack: LocalStack,
    owner_id: str,
    body: bytes,
    *,
    name: str = "notes.txt",
    content_type: str = "text/plain",
    declared_size: int | None = None,
    metadata_owner: str | None = None,
    file_id: str | None = None,
    extra_metadata: dict[str, str] | None = None,
) -> Uploaded:
    """Store an object exactly as the presigned POST would (key, type and metadata; a file request's
    ticket adds ``request`` and ``uploader``, percent-encoded)."""
    file_id = file_id or secrets.token_hex(16)
    key = f"uploads/{owner_id}/{file_id}"
    answer = stack.client("s3").put_object(
        Bucket=stack.stack.ref("UploadsBucket"),
        Key=key,
        Body=body,
        ContentType=content_type,
        Metadata={
            "owner": metadata_owner or owner_id,
            "name": quote(name, safe=""),
            "size": str(len(body) if declared_size is None else declared_size),
            **{k: quote(v, safe="") for k, v in (extra_metadata or {}).items()},
        },
    )
    return Uploaded(file_id, owner_id, key, answer["VersionId"])


def file_item(stack: LocalStack, file_id: str) -> dict[str, Any] | None:
    answer = stack.client("dynamodb").get_item(
        TableName=stack.stack.ref("Table"),
        Key={"pk": {"S": f"FILE#{file_id}"}, "sk": {"S": "FILE"}},
        ConsistentRead=True,
    )
    if "Item" not in answer:
        return None
    item = from_attribute_values(answer["Item"])
    validate("records/file-item.json", item)
    return item


def usage_item(stack: LocalStack, owner_id: str) -> dict[str, Any] | None:
    """The owner's usage item (bytesStored), validated against its schema."""
    answer = stack.client("dynamodb").get_item(
        TableName=stack.stack.ref("Table"),
        Key={"pk": {"S": f"OWNER#{owner_id}"}, "sk": {"S": "USAGE"}},
        ConsistentRead=True,
    )
    if "Item" not in answer:
        return None
    item = from_attribute_values(answer["Item"])
    validate("records/usage-item.json", item)
    return item


def upload_markers(stack: LocalStack, owner_id: str) -> list[dict[str, Any]]:
    answer = stack.client("dynamodb").query(
        TableName=stack.stack.ref("Table"),
        KeyConditionExpression="pk = :pk AND begins_with(sk, :upload)",
        ExpressionAttributeValues={":pk": {"S": f"OWNER#{owner_id}"}, ":upload": {"S": "UPLOAD#"}},
        ConsistentRead=True,
    )
    items = [from_attribute_values(i) for i in answer["Items"]]
    for item in items:
        validate("records/upload-marker-item.json", item)
    return items


def share_items(stack: LocalStack, file_id: str) -> list[dict[str, Any]]:
    answer = stack.client("dynamodb").query(
        TableName=stack.stack.ref("Table"),
        IndexName="gsi1",
        KeyConditionExpression="gsi1pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"FILE#{file_id}"}},
    )
    items = [from_attribute_values(i) for i in answer["Items"]]
    for item in items:
        validate("records/share-item.json", item)
    return items


def executions_for(stack: LocalStack, key: str) -> list[dict[str, Any]]:
    """Every execution of the upload workflow whose input is an event for ``key``, oldest first."""
    sfn = stack.client("stepfunctions")
    arn = stack.stack.state_machines["ProcessUploadStateMachine"]
    found = []
    for summary in sfn.list_executions(stateMachineArn=arn)["executions"]:
        described = sfn.describe_execution(executionArn=summary["executionArn"])
        if json.loads(described["input"]).get("detail", {}).get("object", {}).get("key") == key:
            found.append(described)
    return sorted(found, key=lambda d: d["startDate"])


def wait_for_executions(stack: LocalStack, key: str, count: int = 1, timeout: float = 60) -> list[dict[str, Any]]:
    """Wait until ``count`` executions for ``key`` have finished; returns them, oldest first."""
    deadline = time.monotonic() + timeout
    while True:
        done = [e for e in executions_for(stack, key) if e["status"] != "RUNNING"]
        if len(done) >= count:
            return done
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(done)} of {count} executions for {key} finished within {timeout}s")
        time.sleep(0.1)


def wait_for_status(stack: LocalStack, file_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        item = file_item(stack, file_id)
        if item and item["status"] in TERMINAL:
            return item
        if time.monotonic() > deadline:
            raise TimeoutError(f"file {file_id} still {item and item['status']} after {timeout}s")
        time.sleep(0.1)


class BusRecorder:
    """Records what the workflow publishes on the app's event bus, through an SQS queue."""

    def __init__(self, stack: LocalStack, name: str) -> None:
        self.stack = stack
        sqs = stack.client("sqs")
        self.url = sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events = stack.client("events")
        bus = stack.stack.ref("AppEventBus")
        events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps({"source": ["fileshare"]}))
        events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "recorder", "Arn": arn}])
        self.seen: list[dict[str, Any]] = []

    def events_for(self, file_id: str, detail_type: str, timeout: float = 10) -> list[dict[str, Any]]:
        sqs = self.stack.client("sqs")
        deadline = time.monotonic() + timeout
        while True:
            for message in sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10).get("Messages", []):
                event = json.loads(message["Body"])
                validate_event(event)  # every event the system publishes matches its schema
                self.seen.append(event)
                sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])
            found = [e for e in self.seen if e["detail-type"] == detail_type and e["detail"].get("fileId") == file_id]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.1)


@contextmanager
def reconfigured(stack: LocalStack, function: str, environment: dict[str, str]) -> Iterator[None]:
    """Run ``function`` with some environment variables changed (fresh workers), then restore it:
    how tests switch a scanner engine, shorten a retention or inject a misconfiguration."""
    runner = stack.runner
    runner.environment_overrides[function] = environment
    runner.reset(function)
    try:
        yield
    finally:
        runner.environment_overrides.pop(function)
        runner.reset(function)


@contextmanager
def redefined(stack: LocalStack, state_machine: str, substitutions: dict[str, str]) -> Iterator[None]:
    """Run a workflow as another deploy would define it (say ``{"ScannerEngine": "guardduty"}``),
    then restore it. Executions already running keep the definition they started with."""
    written, resolved = stack.stack.state_machine_sources[state_machine]
    assert set(substitutions) <= set(resolved), (
        f"{state_machine} has no substitution {set(substitutions) - set(resolved)}"
    )
    sfn = stack.client("stepfunctions")
    arn = stack.stack.state_machines[state_machine]
    sfn.update_state_machine(stateMachineArn=arn, definition=render_definition(written, {**resolved, **substitutions}))
    try:
        yield
    finally:
        sfn.update_state_machine(stateMachineArn=arn, definition=render_definition(written, resolved))


def sync_client(stack: LocalStack) -> Any:
    """A Step Functions client for StartSyncExecution against the local stack (no sync- prefix)."""
    return boto3.client(
        "stepfunctions",
        endpoint_url=stack.moto.endpoint,
        region_name="us-east-1",
        aws_access_key_id=stack.admin_credentials["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=stack.admin_credentials["AWS_SECRET_ACCESS_KEY"],
        config=Config(inject_host_prefix=False),
    )
