"""The business calendar of each charter: opening hours with lunch breaks, holidays, daylight saving."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.domain.calendar import NaiveDatetimeError, calendar_for
from portal.domain.charter import load_charter

PARIS = ZoneInfo("Europe/Paris")
BRUSSELS = ZoneInfo("Europe/Brussels")
TORONTO = ZoneInfo("America/Toronto")


def at(zone, *fields):
    return datetime(*fields, tzinfo=zone)


def cal(charter_id):
    return calendar_for(load_charter(charter_id))


def test_systell_is_closed_over_lunch_and_friday_closes_earlier():
    """Rule S15: Mon-Thu 08:00-12:00 and 13:30-17:30; Fri 08:00-12:00 and 13:30-17:00."""
    systell = cal("systell")
    assert systell.is_open(at(PARIS, 2026, 11, 23, 11, 59))
    assert not systell.is_open(at(PARIS, 2026, 11, 23, 12, 0))
    assert not systell.is_open(at(PARIS, 2026, 11, 23, 13, 29))
    assert systell.is_open(at(PARIS, 2026, 11, 23, 13, 30))
    assert systell.is_open(at(PARIS, 2026, 11, 26, 17, 15))  # Thursday
    assert not systell.is_open(at(PARIS, 2026, 11, 27, 17, 15))  # Friday closes at 17:00


def test_produsoft_lunch_is_half_an_hour_and_friday_ends_at_four():
    """Rule P6: Mon-Thu 08:30-12:30 and 13:00-17:00; Fri 08:30-12:30 and 13:00-16:00."""
    produsoft = cal("produsoft")
    assert not produsoft.is_open(at(BRUSSELS, 2026, 11, 23, 12, 45))
    assert produsoft.is_open(at(BRUSSELS, 2026, 11, 23, 13, 0))
    assert not produsoft.is_open(at(BRUSSELS, 2026, 11, 27, 16, 0))


def test_public_holidays_of_the_charters_country_are_closed():
    """Rules E2, G4, P6, T1: 14 July and 11 November in France, 21 July in Belgium, 24 June in Québec."""
    assert not cal("exer").is_business_day(date(2026, 7, 14))
    assert not cal("graitec").is_business_day(date(2026, 11, 11))
    assert not cal("produsoft").is_business_day(date(2026, 7, 21))
    assert cal("exer").is_business_day(date(2026, 7, 21))
    assert not cal("techtra").is_business_day(date(2026, 6, 24))
    assert cal("exer").is_business_day(date(2026, 6, 24))


def test_extra_closed_dates_of_a_charter_are_closed():
    example = cal("example")
    assert example.closed_reason(date(2026, 12, 24)) == "closed"


def test_the_next_opening_after_friday_evening_is_monday_morning():
    systell = cal("systell")
    assert systell.next_opening(at(PARIS, 2026, 11, 27, 17, 30)) == at(PARIS, 2026, 11, 30, 8, 0)
    assert systell.next_opening(at(PARIS, 2026, 11, 23, 12, 15)) == at(PARIS, 2026, 11, 23, 13, 30)
    open_now = at(PARIS, 2026, 11, 23, 9, 0)
    assert systell.next_opening(open_now) == open_now


def test_business_hours_skip_lunch_breaks():
    """Rule E10: only open intervals count (exer lunch 12:30-14:00)."""
    exer = cal("exer")
    due = exer.add_business_hours(at(PARIS, 2026, 11, 23, 11, 30), timedelta(hours=2))
    assert due == at(PARIS, 2026, 11, 23, 15, 0)


def test_business_hours_end_exactly_at_closing_are_due_at_closing():
    exer = cal("exer")
    assert exer.add_business_hours(at(PARIS, 2026, 11, 23, 16, 0), timedelta(hours=2)) == at(PARIS, 2026, 11, 23, 18, 0)
    assert exer.add_business_hours(at(PARIS, 2026, 11, 23, 16, 0), timedelta(hours=2, minutes=1)) == \
        at(PARIS, 2026, 11, 24, 9, 1)


def test_business_hours_skip_the_weekend_and_a_holiday():
    """Friday 17:30 + 2 h at exer: 30 min on Friday, the weekend skipped, due Monday 10:30."""
    exer = cal("exer")
    friday = at(PARIS, 2026, 11, 20, 17, 30)
    assert exer.add_business_hours(friday, timedelta(hours=2)) == at(PARIS, 2026, 11, 23, 10, 30)
    # 10 Nov 2026 is a Tuesday; 11 Nov (Wednesday) is a public holiday in France.
    assert exer.add_business_hours(at(PARIS, 2026, 11, 10, 17, 0), timedelta(hours=2)) == at(PARIS, 2026, 11, 12, 10, 0)


def test_business_hours_are_right_across_a_daylight_saving_change():
    """Sunday 29 March 2026 the clocks go forward in Paris: Friday 17:00 + 2 h = Monday 10:00 local (UTC+2)."""
    exer = cal("exer")
    due = exer.add_business_hours(at(PARIS, 2026, 3, 27, 17, 0), timedelta(hours=2))
    assert due == at(PARIS, 2026, 3, 30, 10, 0)
    assert due.utcoffset() == timedelta(hours=2)
    assert exer.business_time_between(at(PARIS, 2026, 3, 27, 17, 0), due) == timedelta(hours=2)


def test_end_of_business_day_is_today_while_open_and_the_next_day_after_closing():
    """Rule T3: the end of the business day of receipt; of the next business day when received outside hours."""
    techtra = cal("techtra")
    assert techtra.end_of_business_day(at(TORONTO, 2026, 11, 23, 16, 59)) == at(TORONTO, 2026, 11, 23, 17, 0)
    assert techtra.end_of_business_day(at(TORONTO, 2026, 11, 23, 17, 0)) == at(TORONTO, 2026, 11, 24, 17, 0)
    assert techtra.end_of_business_day(at(TORONTO, 2026, 11, 23, 7, 0)) == at(TORONTO, 2026, 11, 23, 17, 0)
    assert techtra.end_of_business_day(at(TORONTO, 2026, 11, 28, 10, 0)) == at(TORONTO, 2026, 11, 30, 17, 0)


def test_two_business_days_keep_the_clock_time_or_move_to_the_next_opening():
    """Rule S4: answered within 48 hours: two business days after receipt at the same clock time."""
    systell = cal("systell")
    assert systell.add_business_days(at(PARIS, 2026, 11, 26, 10, 0), 2) == at(PARIS, 2026, 11, 30, 10, 0)
    assert systell.add_business_days(at(PARIS, 2026, 11, 27, 17, 30), 2) == at(PARIS, 2026, 12, 2, 8, 0)
    # Thursday 17:15 + 2 days = Monday 17:15 (open until 17:30 on Mondays)
    assert systell.add_business_days(at(PARIS, 2026, 11, 26, 17, 15), 2) == at(PARIS, 2026, 11, 30, 17, 15)
    # Wednesday 17:15 + 2 days = Friday 17:15, closed (Friday ends 17:00): the next opening, Monday 08:00
    assert systell.add_business_days(at(PARIS, 2026, 11, 25, 17, 15), 2) == at(PARIS, 2026, 11, 30, 8, 0)


def test_business_days_between_count_open_days_after_the_first():
    systell = cal("systell")
    assert systell.business_days_between(at(PARIS, 2026, 11, 27, 9, 0), at(PARIS, 2026, 11, 30, 9, 0)) == 1
    assert systell.business_days_between(at(PARIS, 2026, 11, 10, 9, 0), at(PARIS, 2026, 11, 13, 9, 0)) == 2


def test_a_naive_time_is_refused():
    with pytest.raises(NaiveDatetimeError):
        cal("exer").is_open(datetime(2026, 11, 23, 10, 0))


def test_results_are_given_in_the_charters_zone_whatever_zone_the_input_is_in():
    exer = cal("exer")
    from_tokyo = exer.add_business_hours(at(ZoneInfo("Asia/Tokyo"), 2026, 11, 23, 18, 0), timedelta(hours=1))
    assert from_tokyo == at(PARIS, 2026, 11, 23, 11, 0)
    assert from_tokyo.tzinfo == PARIS
