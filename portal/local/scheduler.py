"""Run the scheduled functions of zappa_settings.json on a laptop, at the times AWS would.

One source of truth: the `events` of a stage in zappa_settings.json, with EventBridge's
`rate(...)` and `cron(...)` expressions (cron in UTC, six fields, `?` allowed, day of week 1 = Sunday).
"""

from __future__ import annotations

import importlib
import json
import logging
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from croniter import croniter

log = logging.getLogger("portal.scheduler")
RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
CRON = re.compile(r"^cron\((.+)\)$")
_UNITS = {"minute": 60, "hour": 3600, "day": 86400}


class ScheduleError(ValueError):
    """An event expression that EventBridge would not accept either."""


@dataclass(frozen=True)
class ScheduledEvent:
    function: str  # dotted path of a handler taking (event, context)
    expression: str
    name: str = ""

    def next_run(self, after: datetime) -> datetime:
        return next_run(self.expression, after)


def _aws_day_of_week(field: str) -> str:
    """EventBridge numbers days 1-7 from Sunday; cron numbers them 0-6 from Sunday."""
    return re.sub(r"\d+", lambda m: str(int(m.group()) - 1), field)


def to_cron(expression: str) -> str:
    """The five-field cron line for an EventBridge `cron(...)` expression (year must be `*`)."""
    match = CRON.match(expression.strip())
    if not match:
        raise ScheduleError(f"not a cron expression: {expression!r}")
    fields = match.group(1).split()
    if len(fields) != 6:
        raise ScheduleError(f"EventBridge cron needs six fields, got {len(fields)}: {expression!r}")
    minute, hour, day, month, weekday, year = fields
    if year not in ("*", "?"):
        raise ScheduleError(f"the local scheduler supports only year `*`: {expression!r}")
    line = " ".join([minute, hour, "*" if day == "?" else day, month,
                     "*" if weekday == "?" else _aws_day_of_week(weekday)])
    if not croniter.is_valid(line):
        raise ScheduleError(f"invalid cron expression: {expression!r}")
    return line


def next_run(expression: str, after: datetime) -> datetime:
    """The first instant strictly after `after` at which the expression fires (UTC)."""
    after = after.astimezone(UTC)
    rate = RATE.match(expression.strip())
    if rate:
        seconds = int(rate.group(1)) * _UNITS[rate.group(2).rstrip("s")]
        if seconds <= 0:
            raise ScheduleError(f"a rate must be positive: {expression!r}")
        return after + timedelta(seconds=seconds)
    return croniter(to_cron(expression), after).get_next(datetime).astimezone(UTC)


def load_events(settings_file: Path, stage: str = "dev") -> list[ScheduledEvent]:
    """The scheduled events of one stage of zappa_settings.json, checked."""
    stages = json.loads(settings_file.read_text())
    events = [ScheduledEvent(e["function"], e["expression"], e.get("name", e["function"]))
              for e in stages.get(stage, {}).get("events", [])]
    for event in events:
        next_run(event.expression, datetime.now(UTC))  # raises ScheduleError early
    return events


def scheduled_event(event: ScheduledEvent, now: datetime) -> dict:
    """The EventBridge event Zappa's rule sends: its resource is the rule `<lambda>-<name>-<function>`, whose
    last part Zappa's handler imports and calls."""
    rule = f"portal-local-{event.name}-{event.function}" if event.name != event.function else \
        f"portal-local-{event.function}"
    return {"version": "0", "source": "aws.events", "detail-type": "Scheduled Event", "account": "000000000000",
            "time": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "region": "local",
            "resources": [f"arn:aws:events:local:000000000000:rule/{rule}"], "detail": {}}


def call_handler(event: ScheduledEvent, now: datetime) -> object:
    """Call a handler the way a scheduled Lambda invocation would (Zappa's dispatch of a Scheduled Event)."""
    scheduled = scheduled_event(event, now)
    whole_function = scheduled["resources"][0].split("/")[-1].split("-")[-1]
    module_name, _, attribute = whole_function.rpartition(".")
    handler = getattr(importlib.import_module(module_name), attribute)
    return handler(scheduled, None)


class LocalScheduler:
    """A daemon thread that fires each event at its next time until `stop()`."""

    def __init__(self, events: list[ScheduledEvent], clock=lambda: datetime.now(UTC)):
        self.events = events
        self.clock = clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="local-scheduler", daemon=True)

    def start(self) -> None:
        if self.events:
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        due = {event: event.next_run(self.clock()) for event in self.events}
        while not self._stop.is_set():
            now = self.clock()
            for event, when in due.items():
                if when <= now:
                    self._fire(event, now)
                    due[event] = event.next_run(now)
            wait = min(due.values()) - self.clock()
            self._stop.wait(max(0.5, min(wait.total_seconds(), 60)))

    def _fire(self, event: ScheduledEvent, now: datetime) -> None:
        try:
            result = call_handler(event, now)
            log.info("scheduled function ran", extra={"function": event.function, "result": result})
        except Exception:
            log.exception("scheduled function failed", extra={"function": event.function})
