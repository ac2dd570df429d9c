"""A charter's business calendar: opening intervals per weekday (lunch breaks), public holidays, closed days.

Aware datetimes only; results are in the charter's zone. Intervals are local wall-clock times, so a
daylight-saving change moves them with the clock. Arithmetic runs on local wall-clock values inside one
day's intervals, which never contain a daylight-saving jump (those happen at night).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

ZERO = timedelta(0)
ONE_DAY = timedelta(days=1)
MAX_DAYS_AHEAD = 3660  # a calendar with no opening in ten years is a broken calendar, not a long wait


class NaiveDatetimeError(ValueError):
    """A time without a zone was given: the calendar cannot know which instant it means."""


class ClosedCalendarError(ValueError):
    """The calendar never opens (no opening hours on any day)."""


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise NaiveDatetimeError(f"a time zone is required: {moment.isoformat()}")
    return moment


class BusinessCalendar:
    """Opening hours of one charter; every question about business time goes through here."""

    def __init__(self, timezone: str, weekly_hours: Mapping[int, Sequence], holiday_country: str | None = None,
                 holiday_subdivision: str | None = None, extra_closed: Iterable[date] = ()):
        self.zone = ZoneInfo(timezone)
        self._week = {day: tuple(sorted((i.start, i.end) for i in weekly_hours.get(day, ()))) for day in range(7)}
        if not any(self._week.values()):
            raise ClosedCalendarError("no opening hours on any day")
        self._country = holiday_country
        self._subdivision = holiday_subdivision
        self._extra_closed = frozenset(extra_closed)
        self._holidays_by_year: dict[int, Mapping[date, str]] = {}
        self._holiday_names: dict[tuple[int, str], Mapping[date, str]] = {}
        self.intervals = functools.lru_cache(maxsize=4096)(self._intervals)

    # --- days ---------------------------------------------------------------------------------------

    def holidays_of(self, year: int) -> Mapping[date, str]:
        """Public holidays of a year (name by date), from the `holidays` package, computed once per year."""
        found = self._holidays_by_year.get(year)
        if found is None:
            found = {}
            if self._country:
                import holidays  # holiday data is loaded at the first calculation, not at start-up

                found = dict(holidays.country_holidays(self._country, subdiv=self._subdivision, years=year))
            self._holidays_by_year[year] = found
        return found

    def holiday_name(self, day: date, language: str) -> str | None:
        """A public holiday's name in `language` where the holiday data has it, else in its default language."""
        key = (day.year, language)
        names = self._holiday_names.get(key)
        if names is None:
            names = self.holidays_of(day.year)
            if self._country:
                import holidays

                supported = holidays.country_holidays(self._country).supported_languages
                match = next((code for code in supported if code.split("_")[0] == language), None)
                if match:
                    names = dict(holidays.country_holidays(self._country, subdiv=self._subdivision, years=day.year,
                                                           language=match))
            self._holiday_names[key] = names
        return names.get(day)

    def closed_reason(self, day: date) -> str | None:
        """Why a day is closed: "weekend" (no hours that weekday), a holiday's name, "closed"; None if open."""
        if not self._week[day.weekday()]:
            return "weekend"
        holiday = self.holidays_of(day.year).get(day)
        if holiday:
            return holiday
        return "closed" if day in self._extra_closed else None

    def is_business_day(self, day: date) -> bool:
        """A day with opening hours that is neither a public holiday nor an extra closed day."""
        return self.closed_reason(day) is None

    def _intervals(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The day's open intervals as local wall-clock (naive) datetimes; empty on a closed day."""
        if not self.is_business_day(day):
            return ()
        return tuple((datetime.combine(day, start), datetime.combine(day, end))
                     for start, end in self._week[day.weekday()])

    def open_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's open intervals as aware datetimes in the charter's zone."""
        return [(start.replace(tzinfo=self.zone), end.replace(tzinfo=self.zone)) for start, end in self.intervals(day)]

    def next_business_day(self, day: date) -> date:
        """The first business day strictly after `day`."""
        for _ in range(MAX_DAYS_AHEAD):
            day += ONE_DAY
            if self.is_business_day(day):
                return day
        raise ClosedCalendarError("no business day ahead")

    # --- instants -----------------------------------------------------------------------------------

    def _local(self, moment: datetime) -> datetime:
        return _aware(moment).astimezone(self.zone).replace(tzinfo=None)

    def _in_zone(self, local: datetime) -> datetime:
        return local.replace(tzinfo=self.zone)

    def is_open(self, moment: datetime) -> bool:
        """Whether support is open at this instant (an interval includes its start, not its end)."""
        local = self._local(moment)
        return any(start <= local < end for start, end in self.intervals(local.date()))

    def _next_open_local(self, local: datetime) -> datetime:
        day = local.date()
        for _ in range(MAX_DAYS_AHEAD):
            for start, end in self.intervals(day):
                if local < end:
                    return max(local, start)
            day += ONE_DAY
        raise ClosedCalendarError("no opening ahead")

    def next_opening(self, moment: datetime) -> datetime:
        """The first instant at or after `moment` when support is open (`moment` itself when open)."""
        return self._in_zone(self._next_open_local(self._local(moment)))

    def add_business_hours(self, moment: datetime, amount: timedelta) -> datetime:
        """The instant when `amount` of open time has passed since `moment` (lunch breaks and closed days
        skipped). A result at the end of an interval is given as that end, not the next opening."""
        if amount < ZERO:
            raise ValueError("business time cannot be negative")
        local = self._local(moment)
        if amount == ZERO:
            return self._in_zone(local)
        remaining = amount
        day = local.date()
        for _ in range(MAX_DAYS_AHEAD):
            for start, end in self.intervals(day):
                if local >= end:
                    continue
                begin = max(local, start)
                available = end - begin
                if remaining <= available:
                    return self._in_zone(begin + remaining)
                remaining -= available
            day += ONE_DAY
        raise ClosedCalendarError("no opening ahead")

    def end_of_business_day(self, moment: datetime) -> datetime:
        """The end of the business day of `moment`; of the next business day when it comes after closing
        or on a closed day (rule T3's reading)."""
        local = self._local(moment)
        intervals = self.intervals(local.date())
        if intervals and local < intervals[-1][1]:
            return self._in_zone(intervals[-1][1])
        return self._in_zone(self.intervals(self.next_business_day(local.date()))[-1][1])

    def add_business_days(self, moment: datetime, days: int) -> datetime:
        """`days` business days after `moment` at the same clock time, counted from the next opening when
        `moment` is outside opening hours; if that clock time is not open, the next opening (rule S4's reading)."""
        if days < 0:
            raise ValueError("business days cannot be negative")
        start = self._next_open_local(self._local(moment))
        day = start.date()
        for _ in range(days):
            day = self.next_business_day(day)
        return self._in_zone(self._next_open_local(datetime.combine(day, start.time())))

    def business_time_between(self, first: datetime, second: datetime) -> timedelta:
        """Open time between two instants (zero when the second is not after the first)."""
        a, b = self._local(first), self._local(second)
        total = ZERO
        day = a.date()
        while day <= b.date():
            for start, end in self.intervals(day):
                low, high = max(start, a), min(end, b)
                if high > low:
                    total += high - low
            day += ONE_DAY
        return total

    def business_days_between(self, first: datetime, second: datetime) -> int:
        """Business days after the first instant's day, up to and including the second's day."""
        a, b = self._local(first).date(), self._local(second).date()
        count, day = 0, a
        while day < b:
            day += ONE_DAY
            count += self.is_business_day(day)
        return count


_CALENDARS: dict[tuple[int, str], tuple[object, BusinessCalendar]] = {}


def _built_once(charter, hours_of: str) -> BusinessCalendar:
    """One calendar per charter and set of hours, so that its holiday and interval caches serve every question."""
    key = (id(charter), hours_of)
    cached = _CALENDARS.get(key)
    if cached is None or cached[0] is not charter:
        cached = (charter, BusinessCalendar(charter.timezone, getattr(charter, hours_of), charter.holiday_country,
                                            charter.holiday_subdivision, charter.extra_closed_dates))
        _CALENDARS[key] = cached
    return cached[1]


def calendar_for(charter) -> BusinessCalendar:
    """The business calendar of a charter: its hours, zone, public holidays and extra closed days."""
    return _built_once(charter, "weekly_hours")


def customer_calendar_for(charter) -> BusinessCalendar:
    """The customer's working hours (rules S5, S6), with the same holidays."""
    return _built_once(charter, "customer_hours")
