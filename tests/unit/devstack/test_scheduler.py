"""Schedule expressions fire when EventBridge would fire them."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime

import pytest

from devstack.provision import ScheduleSpec
from devstack.scheduler import Scheduler, next_fire

NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # a Thursday


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("rate(1 minute)", datetime(2026, 11, 26, 12, 1, tzinfo=UTC)),
        ("rate(15 minutes)", datetime(2026, 11, 26, 12, 15, tzinfo=UTC)),
        ("rate(2 hours)", datetime(2026, 11, 26, 14, 0, tzinfo=UTC)),
        ("rate(1 day)", datetime(2026, 11, 27, 12, 0, tzinfo=UTC)),
        ("cron(0/10 * * * ? *)", datetime(2026, 11, 26, 12, 10, tzinfo=UTC)),
        ("cron(30 3 * * ? *)", datetime(2026, 11, 27, 3, 30, tzinfo=UTC)),
        ("cron(0 9 ? * 2 *)", datetime(2026, 11, 30, 9, 0, tzinfo=UTC)),  # AWS day 2 = Monday
    ],
)
def test_next_fire_follows_eventbridge_expressions(expression: str, expected: datetime) -> None:
    assert next_fire(expression, NOON) == expected


@pytest.mark.parametrize("expression", ["every minute", "rate(1 fortnight)", "cron(0 9 * * *)"])
def test_malformed_expressions_are_refused(expression: str) -> None:
    with pytest.raises(ValueError, match=r"expression|cron"):
        next_fire(expression, NOON)


def test_a_due_schedule_fires_its_target_with_a_scheduled_event() -> None:
    fired: list[tuple[str, str]] = []
    done = threading.Event()
    moments = iter([NOON, NOON.replace(minute=1), NOON.replace(minute=1)])

    def fire(schedule: ScheduleSpec, payload: str) -> None:
        fired.append((schedule.target_arn, payload))
        done.set()

    spec = ScheduleSpec("sweep", "rate(1 minute)", "arn:aws:states:us-east-1:123456789012:stateMachine:sweep", None)
    scheduler = Scheduler([spec], fire=fire, log=lambda *_: None, clock=lambda: next(moments, NOON.replace(minute=2)))
    scheduler.start()
    try:
        assert done.wait(5)
    finally:
        scheduler.stop()

    [(target, payload)] = fired[:1]
    assert target == spec.target_arn
    event = json.loads(payload)
    assert event["detail-type"] == "Scheduled Event" and event["source"] == "aws.events"
    assert event["resources"] == ["arn:aws:events:us-east-1:123456789012:rule/sweep"]
