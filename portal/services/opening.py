"""Is support open now, what are today's hours, and when does it open next (rules S15, T1, E2, G4, P6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class OpeningToday:
    is_open: bool
    intervals: tuple[tuple[datetime, datetime], ...]  # today's open intervals, in the charter's zone
    next_opening: datetime | None  # None while open


def opening_today(calendar, now: datetime) -> OpeningToday:
    """Today's opening hours in the charter's zone, whether support is open now, and the next opening."""
    local_now = now.astimezone(calendar.zone)
    is_open = calendar.is_open(now)
    return OpeningToday(is_open, tuple(calendar.open_intervals(local_now.date())),
                        None if is_open else calendar.next_opening(now))


def closed_days_ahead(calendar, weekly_hours, start: date, days: int) -> tuple[date, ...]:
    """Days in the coming period when support would be open by the week's hours but is closed (holidays)."""
    ahead = (start + timedelta(days=offset) for offset in range(days))
    return tuple(day for day in ahead if weekly_hours.get(day.weekday()) and not calendar.is_business_day(day))
