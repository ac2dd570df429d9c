"""When an answer is due, by the charter's commitment for a tier and severity, and why (rules S4, T3, E10, G1).

The explanation is a list of parts (a message id and its values) that the portal words in the reader's
language: "received Friday 17:30; 30 min counted Friday; weekend skipped; due Monday 12:30".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.domain.calendar import BusinessCalendar, calendar_for


@dataclass(frozen=True)
class Part:
    """One step of an explanation: `message` names the wording, `values` fill it."""

    message: str
    values: tuple[tuple[str, object], ...] = ()

    def value(self, name: str):
        return dict(self.values)[name]


@dataclass(frozen=True)
class ResponseDue:
    due: datetime | None  # None where the charter commits to no response time (G1, E10 Standard)
    target: datetime | None  # a target shown beside the commitment (T3: "usually within two hours")
    commitment: object
    parts: tuple[Part, ...]


def _part(message: str, **values) -> Part:
    return Part(message, tuple(values.items()))


def eligibility(charter, tier_id: str) -> bool:
    """Rules S1, E1, T2: may this tier open requests at all."""
    return charter.tier(tier_id).may_open_requests


def _received_part(calendar: BusinessCalendar, received: datetime) -> Part:
    local = received.astimezone(calendar.zone)
    return _part("received_open" if calendar.is_open(received) else "received_closed", at=local)


def _day_parts(calendar: BusinessCalendar, start: datetime, end: datetime) -> list[Part]:
    """Per day between two instants: the open time counted, or why the day was skipped."""
    parts = []
    first, last = start.astimezone(calendar.zone).date(), end.astimezone(calendar.zone).date()
    day = first
    while day <= last:
        reason = calendar.closed_reason(day)
        if reason is not None:
            parts.append(_part("skipped_weekend" if reason == "weekend" else "skipped_holiday", day=day,
                               reason=reason))
        else:
            low = max(start, datetime.combine(day, datetime.min.time(), calendar.zone))
            high = min(end, datetime.combine(day + timedelta(days=1), datetime.min.time(), calendar.zone))
            counted = calendar.business_time_between(low, high)
            if counted > timedelta(0):
                parts.append(_part("counted", day=day, duration=counted))
        day += timedelta(days=1)
    return _merge_weekends(parts)


def _merge_weekends(parts: list[Part]) -> list[Part]:
    """Consecutive weekend days read as one "weekend skipped"."""
    merged: list[Part] = []
    for part in parts:
        if part.message == "skipped_weekend" and merged and merged[-1].message == "skipped_weekend":
            continue
        merged.append(part)
    return merged


def due_instant(calendar: BusinessCalendar, commitment, received: datetime) -> datetime | None:
    """The due instant alone (the sweeps' and the benchmark's fast path): rules E10, T3, S4; None for G1."""
    if commitment.kind == "business_hours":
        return calendar.add_business_hours(received, timedelta(hours=commitment.amount))
    if commitment.kind == "end_of_business_day":
        return calendar.end_of_business_day(received)
    if commitment.kind == "business_days":
        return calendar.add_business_days(received, int(commitment.amount))
    return None


def response_due(charter, tier_id: str, severity: int, received: datetime,
                 calendar: BusinessCalendar | None = None) -> ResponseDue:
    """The instant an answer is due (or None where the charter commits to none), with the explanation.

    :raise UnknownTier: for a tier the charter does not have. :raise NaiveDatetimeError: for a naive time.
    """
    calendar = calendar or calendar_for(charter)
    commitment = charter.commitment(tier_id, severity)
    parts = [_received_part(calendar, received)]
    due = due_instant(calendar, commitment, received)
    target = None
    if commitment.kind == "business_hours":
        parts.append(_part("commitment_hours", hours=commitment.amount))
    elif commitment.kind == "end_of_business_day":
        parts.append(_part("commitment_same_day"))
        if commitment.target_business_hours:
            target = calendar.add_business_hours(received, timedelta(hours=commitment.target_business_hours))
    elif commitment.kind == "business_days":
        parts.append(_part("commitment_days", days=int(commitment.amount)))
    else:
        return ResponseDue(None, None, commitment, (*parts, _part("no_commitment")))
    parts += _day_parts(calendar, received, due)
    parts.append(_part("due", at=due.astimezone(calendar.zone)))
    if target is not None:
        parts.append(_part("target", at=target.astimezone(calendar.zone), hours=commitment.target_business_hours))
    return ResponseDue(due, target, commitment, tuple(parts))


def business_days_of(parts) -> tuple[date, ...]:
    """The days an explanation counted time on (used by tests and the staff view)."""
    return tuple(part.value("day") for part in parts if part.message == "counted")
