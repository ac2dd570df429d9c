"""A differential test: on calendars pandas can express (the same hours every weekday, Monday to Friday, with
holidays, in a zone without daylight saving), business time agrees with pandas' CustomBusinessHour and
CustomBusinessDay. pandas is a test-only dependency."""

from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from portal.domain.calendar import BusinessCalendar
from portal.domain.charter import OpeningInterval

HOLIDAYS = [date(2026, 1, 1), date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 8), date(2026, 5, 14),
            date(2026, 5, 25), date(2026, 7, 14), date(2026, 8, 15), date(2026, 11, 1), date(2026, 11, 11),
            date(2026, 12, 25), date(2027, 1, 1)]
RECEIVED = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 20))
SPANS = {
    "one interval (G4-like)": (("09:00", "18:00"),),
    "a lunch break (E2-like)": (("09:00", "12:30"), ("14:00", "18:00")),
}


def calendar_and_offset(spans) -> tuple[BusinessCalendar, pd.offsets.CustomBusinessHour]:
    week = {day: tuple(OpeningInterval(time.fromisoformat(start), time.fromisoformat(end)) for start, end in spans)
            for day in range(5)}
    ours = BusinessCalendar("UTC", week, None, None, HOLIDAYS)
    theirs = pd.offsets.CustomBusinessHour(start=[start for start, _ in spans], end=[end for _, end in spans],
                                           holidays=HOLIDAYS)
    return ours, theirs


def naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


@pytest.mark.parametrize("spans", SPANS.values(), ids=SPANS.keys())
@settings(max_examples=300, deadline=None)
@given(received=RECEIVED, hours=st.integers(min_value=1, max_value=60))
def test_adding_whole_business_hours_agrees_with_pandas(spans, received, hours):
    calendar, business_hour = calendar_and_offset(spans)
    ours = calendar.add_business_hours(received.replace(tzinfo=UTC), timedelta(hours=hours))
    theirs = (pd.Timestamp(received) + hours * business_hour).to_pydatetime()
    if calendar.is_open(ours):
        assert naive(ours) == theirs
    else:  # pandas gives a result that falls on a closing time as the next opening; the portal keeps the closing
        assert naive(calendar.next_opening(ours)) == theirs


@pytest.mark.parametrize("spans", SPANS.values(), ids=SPANS.keys())
@settings(max_examples=300, deadline=None)
@given(moment=RECEIVED)
def test_the_next_opening_agrees_with_pandas_rolling_forward(spans, moment):
    calendar, business_hour = calendar_and_offset(spans)
    ours = naive(calendar.next_opening(moment.replace(tzinfo=UTC)))
    theirs = business_hour.rollforward(pd.Timestamp(moment)).to_pydatetime()
    if theirs != ours:  # pandas counts a closing time as on the offset; the portal is closed from that instant
        assert not calendar.is_open(theirs.replace(tzinfo=UTC))
        assert naive(calendar.next_opening(theirs.replace(tzinfo=UTC))) == ours


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 1)),
       minute=st.integers(min_value=9 * 60, max_value=18 * 60 - 1), days=st.integers(min_value=0, max_value=25))
def test_adding_business_days_at_an_open_clock_time_agrees_with_pandas(day, minute, days):
    """Rule S4's reading on a one-interval calendar: n business days later at the same clock time."""
    calendar, _ = calendar_and_offset(SPANS["one interval (G4-like)"])
    received = datetime.combine(day, time(*divmod(minute, 60)), UTC)
    assume(calendar.is_business_day(day))
    business_day = pd.offsets.CustomBusinessDay(holidays=HOLIDAYS)
    theirs = (pd.Timestamp(naive(received)) + days * business_day).to_pydatetime()
    assert naive(calendar.add_business_days(received, days)) == theirs
