"""Delivery from EventBridge rules to Step Functions and Lambda targets, as EventBridge would do
it: asynchronously, with the target's retry policy, and into its dead-letter queue when retries run
out. A Lambda target is invoked asynchronously: a function error is the function's to handle (its
own retries and on-failure destination), not a failed delivery.

EventBridge delivers at least once and in no guaranteed order; ``duplicated`` (off unless a test
turns it on) makes that happen on purpose: every event reaches each target several times, each copy
after its own random delay, so copies of different events interleave out of order."""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from moto.events.utils import EventTemplateParser

# moto stamps every S3 notification with this same id; EventBridge gives each event its own.
_MOTO_FIXED_EVENT_ID = "17793124-05d4-b198-2fde-7ededc63b103"
MAX_BACKOFF_SECONDS = 30.0


def normalise_event(event: dict[str, Any]) -> dict[str, Any]:
    out = dict(event)
    if out.get("id") in (None, "", _MOTO_FIXED_EVENT_ID):
        out["id"] = str(uuid.uuid4())
    moment = out.get("time")
    if isinstance(moment, int | float):
        out["time"] = datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return out


def target_input(target: dict[str, Any], event: dict[str, Any]) -> str:
    if "Input" in target:
        return str(target["Input"])
    transformer = target.get("InputTransformer")
    if transformer:
        return json.dumps(
            EventTemplateParser.parse(
                input_template=transformer.get("InputTemplate"),
                input_paths_map=transformer.get("InputPathsMap", {}),
                event=event,  # type: ignore[arg-type]  # moto's TypedDict; this is the same dict
            )
        )
    return json.dumps(event)


class TargetDelivery:
    def __init__(self, clients: Any, *, invoke: Any, log: Any, base_delay: float = 0.2) -> None:
        self.clients = clients
        self.invoke = invoke
        self.log = log
        self.base_delay = base_delay
        self.pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="eventbridge")
        self.closed = False
        self.copies = 1
        self.spread_seconds = 0.0
        self._random = random.Random()  # noqa: S311 - seeded delays for tests, not a secret
        self._random_lock = threading.Lock()

    @contextmanager
    def duplicated(self, copies: int, *, seed: int, spread_seconds: float = 1.0) -> Iterator[None]:
        """Deliver every event ``copies`` times, each copy after a random delay of up to
        ``spread_seconds`` (seeded), then back to once, at once."""
        self._random.seed(seed)
        self.copies, self.spread_seconds = copies, spread_seconds
        try:
            yield
        finally:
            self.copies, self.spread_seconds = 1, 0.0

    def __call__(self, rule: Any, targets: list[dict[str, Any]], event: dict[str, Any]) -> None:
        if self.closed:  # the stack is stopping: what runs now (an execution failing) has nowhere to go
            self.log("eventbridge", f"stopped: not delivering {event.get('detail-type')!r} from {rule.arn}")
            return
        normalised = normalise_event(event)
        for target in targets:
            if self.copies == 1:
                self.pool.submit(self._deliver, rule.arn, target, normalised)
                continue
            for _ in range(self.copies):
                with self._random_lock:
                    delay = self._random.uniform(0, self.spread_seconds)
                later = threading.Timer(delay, self._submit, args=(rule.arn, target, normalised))
                later.daemon = True
                later.start()

    def _submit(self, rule_arn: str, target: dict[str, Any], event: dict[str, Any]) -> None:
        with contextlib.suppress(RuntimeError):  # a late copy after close() is dropped
            self.pool.submit(self._deliver, rule_arn, target, event)

    def _deliver(self, rule_arn: str, target: dict[str, Any], event: dict[str, Any]) -> None:
        retry = target.get("RetryPolicy", {})
        attempts = 1 + int(retry.get("MaximumRetryAttempts", 185))
        max_age = float(retry.get("MaximumEventAgeInSeconds", 86400))
        started = time.monotonic()
        payload = target_input(target, event)
        error: Exception | None = None
        for attempt in range(attempts):
            try:
                if ":lambda:" in target["Arn"]:
                    self._invoke_async(target["Arn"], payload)
                else:
                    self.clients("stepfunctions").start_execution(
                        stateMachineArn=target["Arn"], name=str(uuid.uuid4()), input=payload
                    )
                return
            except Exception as exc:  # noqa: BLE001 - every failed delivery is retried, then dead-lettered
                error = exc
                delay = min(MAX_BACKOFF_SECONDS, self.base_delay * 2**attempt)
                if time.monotonic() - started + delay > max_age:
                    break
                time.sleep(delay)
        self._dead_letter(rule_arn, target, payload, error)

    def _invoke_async(self, arn: str, payload: str) -> None:
        answer = self.invoke(arn, json.loads(payload))
        if answer.function_error:
            self.log("eventbridge", f"{arn} failed on an event: {answer.payload[:300]!r}")

    def _dead_letter(self, rule_arn: str, target: dict[str, Any], payload: str, error: Exception | None) -> None:
        dlq = target.get("DeadLetterConfig", {}).get("Arn")
        self.log("eventbridge", f"delivery to {target['Arn']} failed: {error!r}; dead-lettered={bool(dlq)}")
        if not dlq:
            return
        name = dlq.rsplit(":", 1)[-1]
        sqs = self.clients("sqs")
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        sqs.send_message(
            QueueUrl=url,
            MessageBody=payload,
            MessageAttributes={
                "RULE_ARN": {"DataType": "String", "StringValue": rule_arn},
                "TARGET_ARN": {"DataType": "String", "StringValue": target["Arn"]},
                "ERROR_CODE": {"DataType": "String", "StringValue": type(error).__name__},
                "ERROR_MESSAGE": {"DataType": "String", "StringValue": str(error)[:256]},
            },
        )

    def close(self) -> None:
        self.closed = True
        self.pool.shutdown(wait=False, cancel_futures=True)
