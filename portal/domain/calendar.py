"""A charter's business calendar: opening intervals per weekday (lunch breaks), public holidays, closed days.

Opening hours are local wall-clock times ("09:00-12:30" in Paris), so a daylight-saving change moves them
with the clock. Each business day's intervals are turned once into UTC instants and cached; every sum and
comparison then runs on UTC instants, so an interval that spans a clock change still counts the time that
really passes. An opening time that falls in a spring-forward gap is read with the offset in force before
the change (PEP 495, fold=0); an ambiguous one (autumn) as its first occurrence.

Aware datetimes only (a naive one raises NaiveDatetimeError); results are in the charter's zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ZERO = timedelta(0)
ONE_DAY = timedelta(days=1)
MAX_DAYS_AHEAD = 3660  # a calendar with no opening in ten years is a broken calendar, not a long wait

UtcInterval = tuple[datetime, datetime]


class NaiveDatetimeError(ValueError):
    """A time without a zone was given: the calendar cannot know which instant it means."""


class ClosedCalendarError(ValueError):
    """The calendar never opens (no opening hours on any day, or none in the next ten years)."""


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveDatetimeError(f"a time zone is required: {moment.isoformat()}")
    return moment.astimezone(UTC)


def _weekly_intervals(weekly_hours: Mapping[int, Sequence]) -> dict[int, tuple[tuple[time, time], ...]]:
    """Each weekday's intervals as sorted (start, end) clock times; an empty or overlapping one is refused."""
    week = {}
    for weekday in range(7):
        intervals = tuple(sorted((interval.start, interval.end) for interval in weekly_hours.get(weekday, ())))
        for start, end in intervals:
            if not start < end:
                raise ValueError(f"weekday {weekday}: an opening interval must end after it starts ({start}-{end})")
        for (_, first_end), (second_start, _) in zip(intervals, intervals[1:], strict=False):
            if second_start < first_end:
                raise ValueError(f"weekday {weekday}: opening intervals overlap ({first_end} > {second_start})")
        week[weekday] = intervals
    return week


class BusinessCalendar:
    """Opening hours of one charter; every question about business time goes through here."""

    def __init__(self, timezone: str, weekly_hours: Mapping[int, Sequence], holiday_country: str | None = None,
                 holiday_subdivision: str | None = None, extra_closed: Iterable[date] = (),
                 fallback_language: str = "fr"):
        self.zone = ZoneInfo(timezone)
        self._week = _weekly_intervals(weekly_hours)
        if not any(self._week.values()):
            raise ClosedCalendarError("no opening hours on any day")
        self._country = holiday_country
        self._subdivision = holiday_subdivision
        self._fallback_language = fallback_language
        self._extra_closed = frozenset(extra_closed)
        self._holidays_by_year: dict[int, Mapping[date, str]] = {}
        self._holiday_names: dict[tuple[int, str], Mapping[date, str]] = {}
        self._days: dict[date, tuple[tuple[UtcInterval, ...], timedelta]] = {}

    # --- days ---------------------------------------------------------------------------------------

    def holidays_of(self, year: int) -> Mapping[date, str]:
        """Public holidays of a year (name by date), from the `holidays` package, computed once per year."""
        found = self._holidays_by_year.get(year)
        if found is None:
            found = {}
            if self._country:
                import holidays  # holiday data is loaded at the first calculation, not at start-up

                entity = holidays.country_holidays(self._country, subdiv=self._subdivision)
                # the data's own language, named: without `language=` the package follows the server's locale
                found = dict(holidays.country_holidays(self._country, subdiv=self._subdivision, years=year,
                                                       language=entity.default_language))
            self._holidays_by_year[year] = found
        return found

    def holiday_name(self, day: date, language: str) -> str | None:
        """A public holiday's name in `language` where the holiday data has it, else in the charter's default
        language, else in the data's own language (never in the server's locale)."""
        key = (day.year, language)
        names = self._holiday_names.get(key)
        if names is None:
            names = self.holidays_of(day.year)
            if self._country:
                import holidays

                supported = holidays.country_holidays(self._country, subdiv=self._subdivision).supported_languages
                match = next((code for wanted in (language, self._fallback_language)
                              for code in sorted(supported, key=lambda code: code != wanted)
                              if code.split("_")[0] == wanted), None)
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

    def _day(self, day: date) -> tuple[tuple[UtcInterval, ...], timedelta]:
        """The day's open intervals as UTC instants, and their total length; cached per date."""
        found = self._days.get(day)
        if found is None:
            if self.is_business_day(day):
                intervals = tuple((datetime.combine(day, start, self.zone).astimezone(UTC),
                                   datetime.combine(day, end, self.zone).astimezone(UTC))
                                  for start, end in self._week[day.weekday()])
            else:
                intervals = ()
            found = (intervals, sum((end - start for start, end in intervals), ZERO))
            if len(self._days) > 20_000:  # about fifty years of dates: a long-running process stays bounded
                self._days.clear()
            self._days[day] = found
        return found

    def open_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's open intervals as aware datetimes in the charter's zone; empty on a closed day."""
        return [(start.astimezone(self.zone), end.astimezone(self.zone)) for start, end in self._day(day)[0]]

    def open_time_on(self, day: date) -> timedelta:
        """How long support is open on that day (zero on a closed day)."""
        return self._day(day)[1]

    def next_business_day(self, day: date) -> date:
        """The first business day strictly after `day`."""
        for _ in range(MAX_DAYS_AHEAD):
            day += ONE_DAY
            if self._day(day)[0]:
                return day
        raise ClosedCalendarError("no business day ahead")

    # --- instants -----------------------------------------------------------------------------------

    def _local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.zone).date()

    def is_open(self, moment: datetime) -> bool:
        """Whether support is open at this instant (an interval includes its start, not its end)."""
        instant = _utc(moment)
        return any(start <= instant < end for start, end in self._day(self._local_date(instant))[0])

    def _next_open(self, instant: datetime) -> datetime:
        """The first open UTC instant at or after `instant`."""
        day = self._local_date(instant)
        for _ in range(MAX_DAYS_AHEAD):
            for start, end in self._day(day)[0]:
                if instant < end:
                    return start if instant < start else instant
            day += ONE_DAY
        raise ClosedCalendarError("no opening ahead")

    def next_opening(self, moment: datetime) -> datetime:
        """The first instant at or after `moment` when support is open (`moment` itself when open)."""
        return self._next_open(_utc(moment)).astimezone(self.zone)

    def add_business_hours(self, moment: datetime, amount: timedelta) -> datetime:
        """The instant when `amount` of open time has passed since `moment` (lunch breaks and closed days
        skipped; rule E10). A result at the end of an interval is that end, not the next opening."""
        if amount < ZERO:
            raise ValueError("business time cannot be negative")
        instant = _utc(moment)
        if amount == ZERO:
            return instant.astimezone(self.zone)
        remaining = amount
        day = self._local_date(instant)
        intervals, total = self._day(day)
        for _ in range(MAX_DAYS_AHEAD):
            if instant is None and remaining > total:
                remaining -= total  # a whole day from its opening: skipped in one subtraction
            else:
                for start, end in intervals:
                    if instant is not None:
                        if instant >= end:
                            continue
                        if instant > start:
                            start = instant
                    available = end - start
                    if remaining <= available:
                        return (start + remaining).astimezone(self.zone)
                    remaining -= available
                instant = None  # from the next day on, each day is counted from its opening
            day += ONE_DAY
            intervals, total = self._day(day)
        raise ClosedCalendarError("no opening ahead")

    def end_of_business_day(self, moment: datetime) -> datetime:
        """The end of the last open interval of the business day of `moment`; of the next business day when
        it comes after closing or on a closed day (rule T3's reading)."""
        instant = _utc(moment)
        day = self._local_date(instant)
        intervals = self._day(day)[0]
        if intervals and instant < intervals[-1][1]:
            return intervals[-1][1].astimezone(self.zone)
        return self._day(self.next_business_day(day))[0][-1][1].astimezone(self.zone)

    def add_business_days(self, moment: datetime, days: int) -> datetime:
        """`moment`'s clock time on the `days`-th business day after its date, or the next opening then (rule S4)."""
        if days < 0:
            raise ValueError("business days cannot be negative")
        instant = _utc(moment)
        if days == 0:  # the day itself at the same clock time is `moment` itself (kept exact in an autumn fold)
            return self._next_open(instant).astimezone(self.zone)
        local = instant.astimezone(self.zone)
        day = local.date()
        for _ in range(days):
            day = self.next_business_day(day)
        # wall-clock time in the charter's zone, read like opening times (PEP 495 fold=0) across a clock change
        same_clock_time = datetime.combine(day, local.time().replace(fold=0), self.zone).astimezone(UTC)
        return self._next_open(same_clock_time).astimezone(self.zone)

    def business_time_between(self, first: datetime, second: datetime) -> timedelta:
        """Open time between two instants (zero when the second is not after the first)."""
        a, b = _utc(first), _utc(second)
        if b <= a:
            return ZERO
        first_day, last_day = self._local_date(a), self._local_date(b)
        total = ZERO
        day = first_day
        while day <= last_day:
            intervals, open_time = self._day(day)
            if first_day < day < last_day:
                total += open_time
            else:
                for start, end in intervals:
                    low, high = max(start, a), min(end, b)
                    if high > low:
                        total += high - low
            day += ONE_DAY
        return total

    def business_time_on(self, day: date, first: datetime, second: datetime) -> timedelta:
        """The open time of one day that falls between two instants (what an explanation counts per day)."""
        a, b = _utc(first), _utc(second)
        total = ZERO
        for start, end in self._day(day)[0]:
            low, high = (a if a > start else start), (b if b < end else end)
            if high > low:
                total += high - low
        return total

    def business_days_between(self, first: datetime, second: datetime) -> int:
        """Business days after the first instant's day, up to and including the second's day (0 if none)."""
        day, last = self._local_date(_utc(first)), self._local_date(_utc(second))
        count = 0
        while day < last:
            day += ONE_DAY
            count += bool(self._day(day)[0])
        return count


_CALENDARS: dict[tuple[int, str], tuple[object, BusinessCalendar]] = {}


def _built_once(charter, hours_of: str) -> BusinessCalendar:
    """One calendar per charter and set of hours, so that its holiday and interval caches serve every question."""
    key = (id(charter), hours_of)
    cached = _CALENDARS.get(key)
    if cached is None or cached[0] is not charter:
        if len(_CALENDARS) > 64:  # charters loaded again and again (tests, reloads) do not pile up
            _CALENDARS.clear()
        cached = (charter, BusinessCalendar(charter.timezone, getattr(charter, hours_of), charter.holiday_country,
                                            charter.holiday_subdivision, charter.extra_closed_dates,
                                            charter.default_language))
        _CALENDARS[key] = cached
    return cached[1]


def calendar_for(charter) -> BusinessCalendar:
    """The business calendar of a charter: its hours, zone, public holidays and extra closed days."""
    return _built_once(charter, "weekly_hours")


def customer_calendar_for(charter) -> BusinessCalendar:
    """The customer's working hours (rules S5, S6), with the same holidays."""
    return _built_once(charter, "customer_hours")
