"""Properties of business time that hold for every charter and every instant (hypothesis)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.calendar import calendar_for
from portal.domain.charter import load_charter

CHARTERS = ["systell", "techtra", "exer", "graitec", "produsoft", "example"]
instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31),
                        timezones=st.just(UTC))
amounts = st.integers(min_value=1, max_value=60 * 40).map(lambda minutes: timedelta(minutes=minutes))
charters = st.sampled_from(CHARTERS)
zones = st.sampled_from(["UTC", "Asia/Tokyo", "America/Los_Angeles", "Europe/Paris", "Pacific/Kiritimati"])


def cal(charter_id):
    return calendar_for(load_charter(charter_id))


@settings(max_examples=300, deadline=None)
@given(charters, instants, amounts)
def test_the_due_instant_is_never_before_receipt(charter_id, received, amount):
    assert cal(charter_id).add_business_hours(received, amount) >= received


@settings(max_examples=300, deadline=None)
@given(charters, instants, amounts)
def test_the_business_time_between_receipt_and_due_equals_the_commitment(charter_id, received, amount):
    calendar = cal(charter_id)
    assert calendar.business_time_between(received, calendar.add_business_hours(received, amount)) == amount


@settings(max_examples=300, deadline=None)
@given(charters, instants, amounts, amounts)
def test_adding_a_then_b_equals_adding_a_plus_b(charter_id, received, a, b):
    calendar = cal(charter_id)
    assert calendar.add_business_hours(calendar.add_business_hours(received, a), b) == \
        calendar.add_business_hours(received, a + b)


@settings(max_examples=300, deadline=None)
@given(charters, instants, amounts)
def test_a_due_instant_lies_in_or_at_the_end_of_an_open_interval(charter_id, received, amount):
    calendar = cal(charter_id)
    due = calendar.add_business_hours(received, amount)
    intervals = calendar.open_intervals(due.astimezone(calendar.zone).date())
    assert any(start < due <= end for start, end in intervals)


@settings(max_examples=200, deadline=None)
@given(charters, instants, amounts, zones)
def test_results_are_the_same_whatever_zone_the_input_is_given_in(charter_id, received, amount, zone):
    calendar = cal(charter_id)
    assert calendar.add_business_hours(received.astimezone(ZoneInfo(zone)), amount) == \
        calendar.add_business_hours(received, amount)
    assert calendar.end_of_business_day(received.astimezone(ZoneInfo(zone))) == calendar.end_of_business_day(received)
    assert calendar.add_business_days(received.astimezone(ZoneInfo(zone)), 2) == calendar.add_business_days(received, 2)


@settings(max_examples=200, deadline=None)
@given(charters, instants, st.integers(min_value=0, max_value=15))
def test_n_business_days_later_is_open_and_that_many_business_days_ahead(charter_id, received, days):
    """Rule S4's reading: the same clock time n business days on, or the next opening after it (one day more
    at most, when that clock time is closed on the day reached)."""
    calendar = cal(charter_id)
    due = calendar.add_business_days(received, days)
    assert calendar.is_open(due)
    start = calendar.next_opening(received)
    assert days <= calendar.business_days_between(start, due) <= days + 1
