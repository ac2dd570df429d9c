"""A request's own clock: business time and business days since receipt, paused while it waits on the
customer (S12) or for files (S13); the paused time is credited back. Used by rule T8 and shown to staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from portal.domain.history import EventKind, TicketEvent

PAUSES = (EventKind.WAITING_CUSTOMER, EventKind.AWAITING_FILES)
RESUMES = (EventKind.CUSTOMER_REPLIED, EventKind.FILES_RECEIVED, EventKind.REOPENED)


@dataclass(frozen=True)
class RequestClock:
    business_time: timedelta
    business_days: int
    paused_since: datetime | None  # the clock is stopped now, since then; None while it runs


def paused_periods(events, now: datetime) -> tuple[list[tuple[datetime, datetime]], datetime | None]:
    """The periods the request waited on the customer or for files, and the start of a pause still running."""
    periods, started = [], None
    for event in sorted(events, key=lambda e: e.at):
        if event.kind in PAUSES and started is None:
            started = event.at
        elif event.kind in RESUMES and started is not None:
            periods.append((started, event.at))
            started = None
    if started is not None:
        periods.append((started, max(started, now)))
    return periods, started


def request_clock(calendar, events: list[TicketEvent], now: datetime) -> RequestClock:
    """Business time and days since receipt, less the periods it waited on the customer or for files."""
    received = min((e.at for e in events if e.kind == EventKind.RECEIVED), default=None)
    if received is None:
        return RequestClock(timedelta(0), 0, None)
    pauses, running = paused_periods(events, now)
    paused_time = sum((calendar.business_time_between(start, end) for start, end in pauses), timedelta(0))
    paused_days = sum(calendar.business_days_between(start, end) for start, end in pauses)
    return RequestClock(calendar.business_time_between(received, now) - paused_time,
                        max(0, calendar.business_days_between(received, now) - paused_days), running)
