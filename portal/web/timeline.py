"""The support windows of a product's releases as an SVG picture (rectangles computed here, drawn in Jinja)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

WIDTH, ROW, LABEL = 640, 26, 90


@dataclass(frozen=True)
class Bar:
    version: str
    x: float
    y: float
    width: float
    phase: str
    open_ended: bool  # support end not known: the bar runs to the picture's edge


@dataclass(frozen=True)
class Timeline:
    bars: tuple[Bar, ...]
    today_x: float
    height: int
    start: datetime.date
    end: datetime.date
    width: int = WIDTH
    label_width: int = LABEL


def support_timeline(statuses, today: datetime.date) -> Timeline:
    """One bar per release, from its release to the end of its support (rules T9, G6, T11)."""
    statuses = list(statuses)
    if not statuses:
        return Timeline((), LABEL, ROW, today, today)
    start = min(s.released for s in statuses)
    ends = [s.support_ends for s in statuses if s.support_ends]
    end = max([today + datetime.timedelta(days=365), *ends])
    span = max((end - start).days, 1)

    def x(day: datetime.date) -> float:
        return round(LABEL + (WIDTH - LABEL - 10) * (day - start).days / span, 1)

    bars = []
    for row, status in enumerate(statuses):
        finish = status.support_ends or end
        bars.append(Bar(status.version, x(status.released), row * ROW + 4, max(x(finish) - x(status.released), 2),
                        status.phase, status.support_ends is None))
    return Timeline(tuple(bars), x(today), len(statuses) * ROW + 8, start, end)
