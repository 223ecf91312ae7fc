"""Scheduled rules: EventBridge ``rate(...)`` and ``cron(...)`` schedules from the template, fired
on time against their Step Functions or Lambda targets, as EventBridge Scheduler would."""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from croniter import croniter

from devstack.provision import ScheduleSpec

_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")


def next_fire(expression: str, after: datetime) -> datetime:
    """The first instant strictly after ``after`` at which ``expression`` fires (UTC)."""
    rate = _RATE.match(expression.strip())
    if rate:
        unit = rate.group(2).rstrip("s")
        return after + timedelta(**{f"{unit}s": int(rate.group(1))})
    cron = re.fullmatch(r"cron\((.+)\)", expression.strip())
    if not cron:
        raise ValueError(f"not a schedule expression: {expression!r}")
    fields = cron.group(1).split()
    if len(fields) != 6:
        raise ValueError(f"AWS cron needs 6 fields (minutes hours day-of-month month day-of-week year): {expression!r}")
    minutes, hours, day_of_month, month, day_of_week, year = fields
    if year not in ("*", str(after.year)):
        raise ValueError(f"cron years other than * are not supported locally: {expression!r}")
    # AWS numbers days of the week 1-7 from Sunday and uses ? for "no value"; croniter: 0-6, *.
    day_of_week = re.sub(r"\d", lambda d: str(int(d.group()) - 1), day_of_week) if day_of_week != "?" else "*"
    spec = " ".join([minutes, hours, "*" if day_of_month == "?" else day_of_month, month, day_of_week])
    return croniter(spec, after).get_next(datetime).replace(tzinfo=UTC)  # type: ignore[no-any-return]


def scheduled_event(rule_name: str, at: datetime) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "us-east-1",
        "resources": [f"arn:aws:events:us-east-1:123456789012:rule/{rule_name}"],
        "detail": {},
    }


class Scheduler:
    def __init__(
        self,
        schedules: list[ScheduleSpec],
        *,
        fire: Callable[[ScheduleSpec, str], None],
        log: Callable[[str, str], None],
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.schedules = schedules
        self.fire = fire
        self.log = log
        self.clock = clock or (lambda: datetime.now(UTC))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def payload(self, schedule: ScheduleSpec, at: datetime) -> str:
        return schedule.input if schedule.input is not None else json.dumps(scheduled_event(schedule.rule_name, at))

    def start(self) -> None:
        if not self.schedules:
            return
        self._thread = threading.Thread(target=self._loop, daemon=True, name="scheduler")
        self._thread.start()

    def _loop(self) -> None:
        due = {s.rule_name: next_fire(s.expression, self.clock()) for s in self.schedules}
        while not self._stop.is_set():
            now = self.clock()
            for schedule in self.schedules:
                if due[schedule.rule_name] <= now:
                    self.log("scheduler", f"{schedule.rule_name} ({schedule.expression}) fired")
                    try:
                        self.fire(schedule, self.payload(schedule, now))
                    except Exception as exc:  # noqa: BLE001 - a failed target must not stop the other schedules
                        self.log("scheduler", f"{schedule.rule_name}: target failed: {exc!r}")
                    due[schedule.rule_name] = next_fire(schedule.expression, now)
            self._stop.wait(min(1.0, max(0.05, (min(due.values()) - self.clock()).total_seconds())))

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
