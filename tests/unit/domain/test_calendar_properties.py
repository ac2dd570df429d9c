"""Properties of business time that hold for every charter, every calendar and every instant (hypothesis)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.domain.calendar import BusinessCalendar, calendar_for
from portal.domain.charter import OpeningInterval, load_charter

PRESETS = ("systell", "techtra", "exer", "graitec", "produsoft", "example")
DST_ZONES = ("Europe/Paris", "Europe/Brussels", "America/Toronto", "Australia/Sydney", "UTC", "Asia/Tokyo")
INPUT_ZONES = ("UTC", "Asia/Tokyo", "America/Los_Angeles", "Europe/Paris", "Pacific/Kiritimati", "Asia/Kolkata")
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _intervals(minutes: list[int]) -> tuple[OpeningInterval, ...]:
    """Sorted distinct minutes of the day, paired up into opening intervals."""
    bounds = sorted(minutes)[: len(minutes) // 2 * 2]
    return tuple(OpeningInterval(time(*divmod(start, 60)), time(*divmod(end, 60)))
                 for start, end in zip(bounds[::2], bounds[1::2], strict=True))


@st.composite
def any_calendar(draw) -> BusinessCalendar:
    """A calendar with up to three intervals a day on random weekdays, in a zone with or without daylight
    saving, and random closed dates."""
    day_minutes = st.lists(st.integers(min_value=0, max_value=23 * 60 + 59), unique=True, max_size=6)
    week = {weekday: _intervals(draw(day_minutes)) for weekday in range(7)}
    if not any(week.values()):
        week[draw(st.integers(min_value=0, max_value=6))] = (OpeningInterval(time(9), time(17)),)
    closed = draw(st.lists(st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)), max_size=20))
    return BusinessCalendar(draw(st.sampled_from(DST_ZONES)), week, None, None, closed)


def preset_calendar(charter_id: str) -> BusinessCalendar:
    return calendar_for(load_charter(charter_id))


calendars = st.one_of(st.sampled_from(PRESETS).map(preset_calendar), any_calendar())
instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC))
amounts = st.integers(min_value=1, max_value=60 * 60 * 45).map(lambda seconds: timedelta(seconds=seconds))
input_zones = st.sampled_from(INPUT_ZONES).map(ZoneInfo)


@SETTINGS
@given(calendars, instants, amounts)
def test_the_due_instant_is_never_before_receipt(calendar, received, amount):
    assert calendar.add_business_hours(received, amount) >= received


@SETTINGS
@given(calendars, instants, amounts)
def test_the_business_time_between_receipt_and_due_equals_the_commitment(calendar, received, amount):
    """Rule E10: "N business hours" consumes only open intervals, exactly N of them."""
    due = calendar.add_business_hours(received, amount)
    assert calendar.business_time_between(received, due) == amount


@SETTINGS
@given(calendars, instants, amounts, amounts)
def test_adding_a_then_b_equals_adding_a_plus_b(calendar, received, a, b):
    assert calendar.add_business_hours(calendar.add_business_hours(received, a), b) == \
        calendar.add_business_hours(received, a + b)


@SETTINGS
@given(calendars, instants, amounts)
def test_a_due_instant_lies_in_or_at_the_end_of_an_open_interval(calendar, received, amount):
    due = calendar.add_business_hours(received, amount)
    intervals = calendar.open_intervals(due.astimezone(calendar.zone).date())
    assert any(start < due <= end for start, end in intervals)


@SETTINGS
@given(calendars, instants, amounts, input_zones)
def test_results_are_the_same_whatever_zone_the_input_is_given_in(calendar, received, amount, zone):
    elsewhere = received.astimezone(zone)
    assert calendar.add_business_hours(elsewhere, amount) == calendar.add_business_hours(received, amount)
    assert calendar.end_of_business_day(elsewhere) == calendar.end_of_business_day(received)
    assert calendar.add_business_days(elsewhere, 2) == calendar.add_business_days(received, 2)
    assert calendar.next_opening(elsewhere) == calendar.next_opening(received)
    assert calendar.is_open(elsewhere) == calendar.is_open(received)
    later = received + amount
    assert calendar.business_time_between(elsewhere, later.astimezone(zone)) == \
        calendar.business_time_between(received, later)
    assert calendar.add_business_hours(elsewhere, amount).tzinfo == calendar.zone


@SETTINGS
@given(calendars, instants, amounts, amounts)
def test_business_time_between_adds_up_over_consecutive_periods(calendar, first, a, b):
    middle, last = first + a, first + a + b
    assert calendar.business_time_between(first, last) == \
        calendar.business_time_between(first, middle) + calendar.business_time_between(middle, last)


@SETTINGS
@given(calendars, instants)
def test_support_is_open_exactly_when_the_next_opening_is_now(calendar, moment):
    assert calendar.is_open(moment) == (calendar.next_opening(moment) == moment)
    opening = calendar.next_opening(moment)
    assert opening >= moment and calendar.is_open(opening)
    assert calendar.business_time_between(moment, opening) == timedelta(0)


@SETTINGS
@given(calendars, instants)
def test_the_end_of_the_business_day_closes_an_open_stretch_ahead(calendar, received):
    """Rule T3's reading: the end of the last interval of the receipt's business day, or of the next one."""
    end = calendar.end_of_business_day(received)
    assert end > received
    day = end.astimezone(calendar.zone).date()
    assert end == calendar.open_intervals(day)[-1][1]
    assert calendar.business_days_between(received, end) <= 1 + _closed_days_between(calendar, received, end)


def _closed_days_between(calendar, first: datetime, second: datetime) -> int:
    day, last, closed = first.astimezone(calendar.zone).date(), second.astimezone(calendar.zone).date(), 0
    while day < last:
        day += timedelta(days=1)
        closed += not calendar.is_business_day(day)
    return closed


@SETTINGS
@given(calendars, instants, st.integers(min_value=0, max_value=12))
def test_n_business_days_later_is_open_and_that_many_business_days_ahead(calendar, received, days):
    """Rule S4's reading: the same clock time on the n-th business day after the receipt's date (counted from that
    date even when received outside opening hours), or the next opening after it (which may be one business day
    more when that clock time has closed on the day reached)."""
    due = calendar.add_business_days(received, days)
    assert calendar.is_open(due) and due >= received
    assert days <= calendar.business_days_between(received, due) <= days + 1


@SETTINGS
@given(calendars, instants, st.integers(min_value=0, max_value=6), st.integers(min_value=0, max_value=6))
def test_more_business_days_are_never_earlier(calendar, received, a, b):
    assert calendar.add_business_days(received, min(a, b)) <= calendar.add_business_days(received, max(a, b))
