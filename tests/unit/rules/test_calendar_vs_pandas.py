"""A differential test: on a calendar pandas can express, business hours agree with CustomBusinessHour."""

from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.calendar import BusinessCalendar
from portal.domain.charter import OpeningInterval

HOLIDAYS = [date(2026, 1, 1), date(2026, 5, 1), date(2026, 7, 14), date(2026, 11, 11), date(2026, 12, 25)]
WEEK = {day: (OpeningInterval(time(9, 0), time(18, 0)),) for day in range(5)}  # one interval, Mon-Fri (G4-like)
CALENDAR = BusinessCalendar("UTC", WEEK, None, None, HOLIDAYS)
PANDAS_HOUR = pd.offsets.CustomBusinessHour(start="09:00", end="18:00", holidays=HOLIDAYS)


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 20)),
       st.integers(min_value=1, max_value=60))
def test_adding_whole_business_hours_agrees_with_pandas(received, hours):
    ours = CALENDAR.add_business_hours(received.replace(tzinfo=UTC), timedelta(hours=hours)).replace(tzinfo=None)
    theirs = (pd.Timestamp(received) + hours * PANDAS_HOUR).to_pydatetime()
    # pandas rolls an end-of-day result to the next opening; the portal keeps it at closing time.
    if ours.time() == time(18, 0):
        next_opening = CALENDAR.next_opening(ours.replace(tzinfo=UTC) + timedelta(microseconds=1))
        assert next_opening.replace(tzinfo=None) == theirs
    else:
        assert ours == theirs
