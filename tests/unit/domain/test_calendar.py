"""The business calendar: opening intervals with lunch breaks, public holidays, closed days, daylight saving."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.domain.calendar import BusinessCalendar, ClosedCalendarError, NaiveDatetimeError, calendar_for
from portal.domain.charter import OpeningInterval, load_charter

PARIS = ZoneInfo("Europe/Paris")
BRUSSELS = ZoneInfo("Europe/Brussels")
TORONTO = ZoneInfo("America/Toronto")


def at(zone, *fields) -> datetime:
    return datetime(*fields, tzinfo=zone)


def hours(*spans: str) -> tuple[OpeningInterval, ...]:
    """`hours("09:00-12:30", "14:00-18:00")` as opening intervals."""
    return tuple(OpeningInterval(*(time.fromisoformat(part) for part in span.split("-"))) for span in spans)


def make_calendar(timezone="Europe/Paris", week=None, country=None, subdivision=None, closed=()) -> BusinessCalendar:
    """A calendar open Monday to Friday 09:00-12:00 and 13:00-17:00 unless told otherwise."""
    week = week if week is not None else {day: hours("09:00-12:00", "13:00-17:00") for day in range(5)}
    return BusinessCalendar(timezone, week, country, subdivision, closed)


def preset(charter_id: str) -> BusinessCalendar:
    return calendar_for(load_charter(charter_id))


# --- opening hours -------------------------------------------------------------------------------------


def test_systell_is_closed_over_lunch_and_closes_earlier_on_friday():
    """Rule S15: Mon-Thu 08:00-12:00 and 13:30-17:30; Fri 08:00-12:00 and 13:30-17:00."""
    systell = preset("systell")
    assert not systell.is_open(at(PARIS, 2026, 11, 23, 7, 59))
    assert systell.is_open(at(PARIS, 2026, 11, 23, 8, 0))
    assert systell.is_open(at(PARIS, 2026, 11, 23, 11, 59))
    assert not systell.is_open(at(PARIS, 2026, 11, 23, 12, 0))
    assert not systell.is_open(at(PARIS, 2026, 11, 23, 13, 29))
    assert systell.is_open(at(PARIS, 2026, 11, 23, 13, 30))
    assert systell.is_open(at(PARIS, 2026, 11, 26, 17, 29))
    assert not systell.is_open(at(PARIS, 2026, 11, 26, 17, 30))
    assert not systell.is_open(at(PARIS, 2026, 11, 27, 17, 0))


def test_techtra_is_open_nine_to_five_eastern_time():
    """Rule T1: 09:00-17:00 Eastern, Monday to Friday."""
    techtra = preset("techtra")
    assert not techtra.is_open(at(TORONTO, 2026, 11, 23, 8, 59))
    assert techtra.is_open(at(TORONTO, 2026, 11, 23, 9, 0))
    assert not techtra.is_open(at(TORONTO, 2026, 11, 23, 17, 0))
    assert not techtra.is_open(at(TORONTO, 2026, 11, 28, 10, 0))


def test_exer_closes_from_half_past_twelve_to_two():
    """Rule E2: Monday to Friday 09:00-12:30 and 14:00-18:00."""
    exer = preset("exer")
    assert exer.is_open(at(PARIS, 2026, 11, 23, 12, 29))
    assert not exer.is_open(at(PARIS, 2026, 11, 23, 12, 30))
    assert not exer.is_open(at(PARIS, 2026, 11, 23, 13, 59))
    assert exer.is_open(at(PARIS, 2026, 11, 23, 14, 0))
    assert not exer.is_open(at(PARIS, 2026, 11, 23, 18, 0))


def test_graitec_is_open_nine_to_six_without_a_lunch_break():
    """Rule G4: Monday to Friday except public holidays, 09:00-18:00."""
    graitec = preset("graitec")
    assert graitec.is_open(at(PARIS, 2026, 11, 23, 13, 0))
    assert graitec.open_time_on(date(2026, 11, 23)) == timedelta(hours=9)


def test_produsoft_lunch_is_half_an_hour_and_friday_ends_at_four():
    """Rule P6: Mon-Thu 08:30-12:30 and 13:00-17:00; Fri 08:30-12:30 and 13:00-16:00."""
    produsoft = preset("produsoft")
    assert produsoft.is_open(at(BRUSSELS, 2026, 11, 23, 12, 29))
    assert not produsoft.is_open(at(BRUSSELS, 2026, 11, 23, 12, 30))
    assert not produsoft.is_open(at(BRUSSELS, 2026, 11, 23, 12, 59))
    assert produsoft.is_open(at(BRUSSELS, 2026, 11, 23, 13, 0))
    assert produsoft.is_open(at(BRUSSELS, 2026, 11, 27, 15, 59))
    assert not produsoft.is_open(at(BRUSSELS, 2026, 11, 27, 16, 0))


def test_produsoft_registrations_after_hours_are_looked_at_the_next_business_day():
    """Rule P6: a registration on Friday after 16:00 is looked at from Monday 08:30."""
    produsoft = preset("produsoft")
    assert produsoft.next_opening(at(BRUSSELS, 2026, 11, 27, 16, 5)) == at(BRUSSELS, 2026, 11, 30, 8, 30)
    assert produsoft.next_opening(at(BRUSSELS, 2026, 11, 23, 12, 40)) == at(BRUSSELS, 2026, 11, 23, 13, 0)


# --- days ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("charter_id, day, name", [
    ("exer", date(2026, 7, 14), "National Day"),
    ("systell", date(2026, 11, 11), "Armistice Day"),
    ("graitec", date(2026, 5, 14), "Ascension Day"),
    ("produsoft", date(2026, 7, 21), "National Day"),
    ("techtra", date(2026, 6, 24), "Saint Jean Baptiste Day"),
    ("techtra", date(2026, 7, 1), "Canada Day"),
])
def test_public_holidays_of_the_charters_country_and_region_are_closed(charter_id, day, name):
    """Rules E2, G4, P6, T1: the holidays of the charter's country (and Québec for techtra) are closed."""
    calendar = preset(charter_id)
    assert not calendar.is_business_day(day)
    assert calendar.open_intervals(day) == []
    assert calendar.holiday_name(day, "en") == name


def test_a_holiday_of_another_country_is_an_ordinary_business_day():
    """Belgium's 21 July is open in France; Québec's 24 June is open in France and Belgium."""
    assert preset("exer").is_business_day(date(2026, 7, 21))
    assert preset("exer").is_business_day(date(2026, 6, 24))
    assert preset("produsoft").is_business_day(date(2026, 6, 24))
    assert preset("produsoft").is_business_day(date(2026, 7, 14))


def test_extra_closed_dates_of_a_charter_are_closed():
    example = preset("example")
    assert example.closed_reason(date(2026, 12, 24)) == "closed"
    assert example.next_business_day(date(2026, 12, 23)) == date(2026, 12, 28)


def test_a_weekday_without_hours_is_closed_as_a_weekend():
    calendar = make_calendar(week={0: hours("09:00-17:00"), 2: hours("09:00-17:00")})
    assert calendar.closed_reason(date(2026, 11, 24)) == "weekend"
    assert calendar.next_business_day(date(2026, 11, 23)) == date(2026, 11, 25)


def test_holidays_are_looked_up_once_per_year():
    calendar = make_calendar(country="FR")
    first = calendar.holidays_of(2026)
    assert calendar.holidays_of(2026) is first
    assert date(2026, 7, 14) in first and date(2027, 7, 14) in calendar.holidays_of(2027)


# --- instants ------------------------------------------------------------------------------------------


def test_the_next_opening_after_friday_evening_is_monday_morning():
    systell = preset("systell")
    assert systell.next_opening(at(PARIS, 2026, 11, 27, 17, 0)) == at(PARIS, 2026, 11, 30, 8, 0)
    assert systell.next_opening(at(PARIS, 2026, 11, 23, 12, 15)) == at(PARIS, 2026, 11, 23, 13, 30)
    open_now = at(PARIS, 2026, 11, 23, 9, 0)
    assert systell.next_opening(open_now) == open_now


def test_the_next_opening_skips_a_public_holiday():
    """Rule T1: the evening before Québec's Fête nationale, techtra next opens on the 25th."""
    assert preset("techtra").next_opening(at(TORONTO, 2026, 6, 23, 17, 0)) == at(TORONTO, 2026, 6, 25, 9, 0)


def test_business_hours_skip_the_lunch_break():
    """Rule E10: only open intervals count (exer closes 12:30-14:00)."""
    exer = preset("exer")
    assert exer.add_business_hours(at(PARIS, 2026, 11, 23, 11, 30), timedelta(hours=2)) == at(PARIS, 2026, 11, 23, 15)


def test_business_hours_that_end_exactly_at_closing_are_due_at_closing_not_the_next_morning():
    exer = preset("exer")
    assert exer.add_business_hours(at(PARIS, 2026, 11, 23, 16), timedelta(hours=2)) == at(PARIS, 2026, 11, 23, 18)
    assert exer.add_business_hours(at(PARIS, 2026, 11, 23, 16), timedelta(hours=2, minutes=1)) == \
        at(PARIS, 2026, 11, 24, 9, 1)
    assert exer.add_business_hours(at(PARIS, 2026, 11, 23, 11, 30), timedelta(hours=1)) == \
        at(PARIS, 2026, 11, 23, 12, 30)


def test_business_hours_from_a_closed_moment_start_at_the_next_opening():
    exer = preset("exer")
    assert exer.add_business_hours(at(PARIS, 2026, 11, 21, 15), timedelta(hours=1)) == at(PARIS, 2026, 11, 23, 10)


def test_zero_business_hours_is_the_moment_itself_and_negative_ones_are_refused():
    exer = preset("exer")
    saturday = at(PARIS, 2026, 11, 21, 15)
    assert exer.add_business_hours(saturday, timedelta(0)) == saturday
    with pytest.raises(ValueError):
        exer.add_business_hours(saturday, timedelta(minutes=-1))


def test_many_business_hours_cross_whole_weeks_and_holidays():
    """40 business hours from Monday 9 November at exer: 11 November is skipped, 7.5 hours a day."""
    exer = preset("exer")
    due = exer.add_business_hours(at(PARIS, 2026, 11, 9, 9), timedelta(hours=40))
    # Mon, Tue, Thu, Fri: 30 h; Mon 16: 7.5 h; Tue 17: 2.5 h -> 11:30
    assert due == at(PARIS, 2026, 11, 17, 11, 30)
    assert exer.business_time_between(at(PARIS, 2026, 11, 9, 9), due) == timedelta(hours=40)


def test_business_hours_are_right_across_the_spring_clock_change():
    """Sunday 29 March 2026 Paris moves to UTC+2: Friday 17:00 + 2 h at exer = Monday 10:00 local."""
    exer = preset("exer")
    due = exer.add_business_hours(at(PARIS, 2026, 3, 27, 17), timedelta(hours=2))
    assert due == at(PARIS, 2026, 3, 30, 10)
    assert due.utcoffset() == timedelta(hours=2)


def test_business_hours_are_right_across_the_autumn_clock_change():
    """Sunday 1 November 2026 Toronto moves to UTC-5: Friday 16:00 + 3 h at techtra = Monday 11:00 local."""
    techtra = preset("techtra")
    due = techtra.add_business_hours(at(TORONTO, 2026, 10, 30, 16), timedelta(hours=3))
    assert due == at(TORONTO, 2026, 11, 2, 11)
    assert due.utcoffset() == timedelta(hours=-5)


def test_an_interval_spanning_a_clock_change_counts_the_time_that_really_passes():
    """Open 00:00-06:00 on Sunday 29 March 2026 in Paris: the clock skips 02:00-03:00, so 5 hours pass."""
    calendar = make_calendar(week={6: hours("00:00-06:00")})
    assert calendar.open_time_on(date(2026, 3, 29)) == timedelta(hours=5)
    assert calendar.open_time_on(date(2026, 10, 25)) == timedelta(hours=7)
    due = calendar.add_business_hours(at(PARIS, 2026, 3, 29, 1), timedelta(hours=2))
    assert due == at(PARIS, 2026, 3, 29, 4)


def test_opening_intervals_keep_their_local_hours_after_a_clock_change():
    exer = preset("exer")
    winter, summer = exer.open_intervals(date(2026, 3, 27)), exer.open_intervals(date(2026, 3, 30))
    assert [(start.time(), end.time()) for start, end in winter] == \
        [(start.time(), end.time()) for start, end in summer]
    assert winter[0][0].utcoffset() == timedelta(hours=1) and summer[0][0].utcoffset() == timedelta(hours=2)


def test_end_of_business_day_is_today_while_open_and_the_next_business_day_after_closing():
    """Rule T3: the end of the business day of receipt; of the next business day when received outside hours."""
    techtra = preset("techtra")
    assert techtra.end_of_business_day(at(TORONTO, 2026, 11, 23, 7)) == at(TORONTO, 2026, 11, 23, 17)
    assert techtra.end_of_business_day(at(TORONTO, 2026, 11, 23, 16, 59)) == at(TORONTO, 2026, 11, 23, 17)
    assert techtra.end_of_business_day(at(TORONTO, 2026, 11, 23, 17)) == at(TORONTO, 2026, 11, 24, 17)
    assert techtra.end_of_business_day(at(TORONTO, 2026, 11, 28, 10)) == at(TORONTO, 2026, 11, 30, 17)


def test_end_of_business_day_during_lunch_is_the_afternoons_closing():
    """Rule T3's reading on a calendar with a lunch break: the end of the day's last interval."""
    assert preset("exer").end_of_business_day(at(PARIS, 2026, 11, 23, 13)) == at(PARIS, 2026, 11, 23, 18)


def test_business_days_keep_the_clock_time_or_move_to_the_next_opening():
    """Rule S4: two business days after receipt at the same clock time, or the next opening after it."""
    systell = preset("systell")
    assert systell.add_business_days(at(PARIS, 2026, 11, 26, 10), 2) == at(PARIS, 2026, 11, 30, 10)
    assert systell.add_business_days(at(PARIS, 2026, 11, 26, 17, 15), 2) == at(PARIS, 2026, 11, 30, 17, 15)
    assert systell.add_business_days(at(PARIS, 2026, 11, 25, 17, 15), 2) == at(PARIS, 2026, 11, 30, 8)
    assert systell.add_business_days(at(PARIS, 2026, 11, 27, 17, 30), 2) == at(PARIS, 2026, 12, 2, 8)
    assert systell.add_business_days(at(PARIS, 2026, 11, 23, 10), 0) == at(PARIS, 2026, 11, 23, 10)


def test_rule_s4_business_days_count_from_the_receipts_date_even_when_it_is_closed():
    """Rule S4: the same clock time on the n-th business day after the receipt's date, then the next opening; a
    receipt on a weekend, a holiday or after closing is not first moved to the next opening."""
    systell = preset("systell")
    assert systell.add_business_days(at(PARIS, 2026, 11, 27, 17, 15), 2) == at(PARIS, 2026, 12, 1, 17, 15)
    assert systell.add_business_days(at(PARIS, 2026, 11, 28, 10), 2) == at(PARIS, 2026, 12, 1, 10)
    assert systell.add_business_days(at(PARIS, 2026, 11, 11, 10), 2) == at(PARIS, 2026, 11, 13, 10)
    assert systell.add_business_days(at(PARIS, 2026, 11, 28, 10), 1) == at(PARIS, 2026, 11, 30, 10)


def test_rule_s4_an_extra_closed_date_is_not_a_business_day_to_count():
    """Monday 23 November closed: a receipt on Friday 20 November 10:00 + 1 business day is Tuesday 10:00."""
    calendar = make_calendar(closed=[date(2026, 11, 23)])
    assert calendar.add_business_days(at(PARIS, 2026, 11, 20, 10), 1) == at(PARIS, 2026, 11, 24, 10)
    assert calendar.add_business_days(at(PARIS, 2026, 11, 23, 10), 1) == at(PARIS, 2026, 11, 24, 10)


def test_rule_s4_a_clock_time_in_the_spring_forward_gap_is_read_with_the_offset_before_the_change():
    """Open every day 01:00-05:00: Saturday 28 March 02:30 + 1 business day = Sunday 02:30, which does not exist
    in Paris: read as 02:30 CET, that is 03:30 CEST."""
    calendar = make_calendar(week={day: hours("01:00-05:00") for day in range(7)})
    assert calendar.add_business_days(at(PARIS, 2026, 3, 28, 2, 30), 1) == at(PARIS, 2026, 3, 29, 3, 30)


def test_rule_s4_zero_business_days_from_the_second_of_two_ambiguous_clock_times_is_that_instant():
    """Open every day 01:00-05:00: Sunday 25 October 02:30 happens twice; the second one (fold=1) is kept as is,
    and a day later is Monday 02:30."""
    calendar = make_calendar(week={day: hours("01:00-05:00") for day in range(7)})
    second = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS)
    assert calendar.add_business_days(second, 0) == second and calendar.add_business_days(second, 0).fold == 1
    assert calendar.add_business_days(second, 1) == at(PARIS, 2026, 10, 26, 2, 30)


def test_rule_s4_negative_business_days_and_naive_times_are_refused():
    systell = preset("systell")
    with pytest.raises(ValueError, match="negative"):
        systell.add_business_days(at(PARIS, 2026, 11, 23, 10), -1)
    with pytest.raises(NaiveDatetimeError):
        systell.add_business_days(datetime(2026, 11, 23, 10), 2)


def test_business_time_between_counts_only_open_intervals():
    systell = preset("systell")
    friday_morning, monday_noon = at(PARIS, 2026, 11, 27, 11), at(PARIS, 2026, 11, 30, 12)
    # Friday 11:00-12:00 and 13:30-17:00 = 4.5 h; Monday 08:00-12:00 = 4 h
    assert systell.business_time_between(friday_morning, monday_noon) == timedelta(hours=8, minutes=30)
    assert systell.business_time_between(monday_noon, friday_morning) == timedelta(0)


def test_business_days_between_count_business_days_after_the_first_day():
    systell = preset("systell")
    assert systell.business_days_between(at(PARIS, 2026, 11, 27, 9), at(PARIS, 2026, 11, 30, 9)) == 1
    assert systell.business_days_between(at(PARIS, 2026, 11, 10, 9), at(PARIS, 2026, 11, 13, 9)) == 2
    assert systell.business_days_between(at(PARIS, 2026, 11, 13, 9), at(PARIS, 2026, 11, 10, 9)) == 0


# --- time zones and refusals -----------------------------------------------------------------------------


def test_a_naive_time_is_refused_with_a_clear_error():
    exer = preset("exer")
    naive = datetime(2026, 11, 23, 10)
    for question in (exer.is_open, exer.next_opening, exer.end_of_business_day):
        with pytest.raises(NaiveDatetimeError, match="time zone is required"):
            question(naive)
    with pytest.raises(NaiveDatetimeError):
        exer.add_business_hours(naive, timedelta(hours=1))
    with pytest.raises(NaiveDatetimeError):
        exer.business_time_between(naive, at(PARIS, 2026, 11, 24, 10))


def test_results_are_in_the_charters_zone_whatever_zone_the_input_is_in():
    exer = preset("exer")
    from_tokyo = exer.add_business_hours(at(ZoneInfo("Asia/Tokyo"), 2026, 11, 23, 18), timedelta(hours=1))
    assert from_tokyo == at(PARIS, 2026, 11, 23, 11)
    assert from_tokyo.tzinfo == PARIS
    assert exer.next_opening(at(ZoneInfo("UTC"), 2026, 11, 21, 0)).tzinfo == PARIS


def test_a_calendar_that_never_opens_is_refused():
    with pytest.raises(ClosedCalendarError):
        make_calendar(week={})


@pytest.mark.parametrize("week", [
    {0: hours("12:00-09:00")},
    {0: (OpeningInterval(time(9), time(9)),)},
    {0: hours("09:00-12:30", "12:00-17:00")},
])
def test_an_interval_that_ends_before_it_starts_or_overlaps_another_is_refused(week):
    with pytest.raises(ValueError):
        make_calendar(week=week)


def test_the_calendar_of_a_charter_is_built_once_and_reused():
    charter = load_charter("exer")
    assert calendar_for(charter) is calendar_for(charter)


def test_the_open_time_of_one_day_between_two_instants_counts_only_that_days_intervals():
    exer = preset("exer")
    friday, monday = at(PARIS, 2026, 11, 20, 17, 30), at(PARIS, 2026, 11, 23, 12)
    assert exer.business_time_on(date(2026, 11, 20), friday, monday) == timedelta(minutes=30)
    assert exer.business_time_on(date(2026, 11, 21), friday, monday) == timedelta(0)
    assert exer.business_time_on(date(2026, 11, 23), friday, monday) == timedelta(hours=3)
