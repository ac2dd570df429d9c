"""Is support open now, what are today's hours, and when does it open next (rules S15, T1, E2, G4, P6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
