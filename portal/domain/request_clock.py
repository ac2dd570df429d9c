"""A request's own clock: business time and business days since receipt, paused while the request lies resolved
or closed until it is reopened, or closed while its files are awaited where the charter closes it then (S13).
The paused time is credited back: the clock reads as if the request had been received that much business time
later. Waiting on the customer otherwise, for an answer or for files, does not stop it: rule T8 asks the
director to step in when a request "cannot be resolved within 10 business days", and a request the customer
leaves unanswered is one. Used by rule T8 and shown to staff.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from portal.domain.history import EventKind, TicketEvent

ZERO = timedelta(0)

# What stops the clock, and what starts it again: lying closed while files are awaited where the charter closes
# it then (rule S13: the files or a reopening end it), or resolved or closed (only a reopening ends it).
_PAUSED_BY = {
    EventKind.RESOLVED: "done",
    EventKind.CLOSED: "done",
}
_OUTLASTS = ("files", "done")  # lying resolved outlasts a closure for files
_RESUMED_BY = {
    EventKind.FILES_RECEIVED: ("files",),
    EventKind.REOPENED: ("files", "done"),
}


def _pause_of(event: TicketEvent) -> str | None:
    if event.kind == EventKind.AWAITING_FILES:
        return "files" if event.data.get("rule") == "S13" else None  # closed meanwhile only under rule S13
    return _PAUSED_BY.get(event.kind)


@dataclass(frozen=True)
class RequestClock:
    business_time: timedelta  # open time counted on the request's clock
    business_days: int  # whole business days on the request's clock
    paused_since: datetime | None  # the clock is stopped now, since then; None while it runs
    paused_time: timedelta = ZERO  # open time credited back (the waits)
    counts_from: datetime | None = None  # receipt moved on by the time credited back; None before receipt


def paused_periods(events: Iterable[TicketEvent], now: datetime) -> tuple[list[tuple[datetime, datetime]],
                                                                          datetime | None]:
    """The periods the request lay closed (for files, rule S13) or resolved before a reopening; and the start of
    a pause still running at `now` (its period then ends at `now`)."""
    periods: list[tuple[datetime, datetime]] = []
    started: datetime | None = None
    reason: str | None = None
    for event in sorted(events, key=lambda e: e.at):
        if event.at > now:
            break
        pause = _pause_of(event)
        if pause is not None:
            if started is None:
                started = event.at
            if reason is None or _OUTLASTS.index(pause) > _OUTLASTS.index(reason):
                reason = pause
        elif started is not None and reason in _RESUMED_BY.get(event.kind, ()):
            periods.append((started, event.at))
            started, reason = None, None
    if started is not None:
        periods.append((started, max(started, now)))
    return periods, started


def request_clock(calendar, events: Iterable[TicketEvent], now: datetime) -> RequestClock:
    """Rule T8's clock: business time and whole business days since receipt, less the pauses (credited back)."""
    events = list(events)
    received = min((event.at for event in events if event.kind == EventKind.RECEIVED), default=None)
    if received is None or now <= received:
        return RequestClock(ZERO, 0, None, ZERO, received)
    pauses, running = paused_periods(events, now)
    paused = sum((calendar.business_time_between(max(start, received), end) for start, end in pauses), ZERO)
    counts_from = calendar.add_business_hours(received, paused)
    elapsed = calendar.business_time_between(received, now) - paused
    return RequestClock(max(ZERO, elapsed), _whole_business_days(calendar, counts_from, now), running, paused,
                        counts_from)


def _whole_business_days(calendar, start: datetime, now: datetime) -> int:
    """The most n for which n business days after `start` (same clock time, rule S4's reading) is not after now."""
    days = calendar.business_days_between(start, now)
    while days > 0 and calendar.add_business_days(start, days) > now:
        days -= 1
    return days


def business_days_reached_at(calendar, clock: RequestClock, days: int) -> datetime | None:
    """When the request's clock reads `days` business days: in the past once reached, None while it is stopped
    short of it (rule T8)."""
    if clock.counts_from is None or (clock.paused_since is not None and clock.business_days < days):
        return None
    return calendar.add_business_days(clock.counts_from, days)
