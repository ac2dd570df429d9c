"""N business days after an instant (rules S4, S11, S12): the same clock time on the N-th business day after that
instant's date (a day with opening hours that is not a holiday), then the next opening if that time is closed.

Systell (rule S15): Mon-Thu 08:00-12:00 and 13:30-17:30; Fri 08:00-12:00 and 13:30-17:00; Europe/Paris, FR holidays.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from portal.domain.calendar import calendar_for
from portal.domain.charter import load_charter
from portal.domain.closure import failed_contact_closure, no_reply_closure
from portal.domain.history import EventKind, TicketEvent
from portal.domain.sla import response_due

PARIS = ZoneInfo("Europe/Paris")
SYSTELL = load_charter("systell")
CALENDAR = calendar_for(SYSTELL)


def paris(*fields) -> datetime:
    return datetime(*fields, tzinfo=PARIS)


def event(kind, moment, **data) -> TicketEvent:
    return TicketEvent(kind, moment, "someone", True, data)


# --- rule S4: the audit's three cases ------------------------------------------------------------------


def test_rule_s4_a_request_received_friday_after_closing_is_due_tuesday_at_the_same_clock_time():
    """Friday 27 November 17:15 (Friday closes at 17:00): Monday, Tuesday; Tuesday 17:15 is open (until 17:30)."""
    assert CALENDAR.add_business_days(paris(2026, 11, 27, 17, 15), 2) == paris(2026, 12, 1, 17, 15)


def test_rule_s4_a_request_received_on_saturday_is_due_on_tuesday_at_the_same_clock_time():
    """Saturday 28 November 10:00: two business days after receipt are Monday and Tuesday, at 10:00."""
    assert CALENDAR.add_business_days(paris(2026, 11, 28, 10), 2) == paris(2026, 12, 1, 10)


def test_rule_s4_a_request_received_on_a_public_holiday_counts_from_the_holidays_date():
    """Wednesday 11 November 10:00 (Armistice): Thursday, Friday: due Friday 13 November 10:00."""
    assert CALENDAR.add_business_days(paris(2026, 11, 11, 10), 2) == paris(2026, 11, 13, 10)


def test_rule_s4_the_response_due_of_a_request_received_friday_after_closing_is_tuesday_at_the_same_clock_time():
    result = response_due(SYSTELL, "maintenance", 3, paris(2026, 11, 27, 17, 15))
    assert result.due == paris(2026, 12, 1, 17, 15)


# --- rule S4: edge cases --------------------------------------------------------------------------------


def test_rule_s4_a_request_received_at_lunch_is_due_at_the_afternoon_opening_two_business_days_later():
    """Monday 23 November 12:30: Wednesday 12:30 is the lunch break: the next opening, Wednesday 13:30."""
    assert CALENDAR.add_business_days(paris(2026, 11, 23, 12, 30), 2) == paris(2026, 11, 25, 13, 30)


def test_rule_s4_a_request_received_after_closing_on_a_business_day_is_due_at_the_next_opening_after_that_time():
    """Thursday 26 November 18:00: Friday, Monday; Monday 18:00 is closed: Tuesday 1 December 08:00."""
    assert CALENDAR.add_business_days(paris(2026, 11, 26, 18), 2) == paris(2026, 12, 1, 8)


def test_rule_s4_a_clock_time_open_on_thursday_but_closed_on_friday_moves_to_mondays_opening():
    """Thursday 17:15 + one business day = Friday 17:15, closed (Friday ends 17:00): Monday 08:00."""
    assert CALENDAR.add_business_days(paris(2026, 11, 26, 17, 15), 1) == paris(2026, 11, 30, 8)


def test_rule_s4_a_clock_time_open_on_friday_stays_on_friday():
    """Wednesday 16:45 + two business days = Friday 16:45, still open (Friday ends 17:00)."""
    assert CALENDAR.add_business_days(paris(2026, 11, 25, 16, 45), 2) == paris(2026, 11, 27, 16, 45)


def test_rule_s4_a_clock_time_at_the_closing_instant_moves_to_the_next_opening():
    """Friday 27 November 17:30: Tuesday 17:30 is the closing instant, closed: Wednesday 08:00."""
    assert CALENDAR.add_business_days(paris(2026, 11, 27, 17, 30), 2) == paris(2026, 12, 2, 8)


def test_rule_s4_a_request_received_before_opening_is_due_at_the_opening_two_business_days_later():
    """Monday 23 November 07:00: Wednesday 07:00 is before opening: Wednesday 08:00."""
    assert CALENDAR.add_business_days(paris(2026, 11, 23, 7), 2) == paris(2026, 11, 25, 8)


def test_rule_s4_keeps_the_wall_clock_time_across_the_spring_daylight_saving_change():
    """Clocks go forward on Sunday 29 March 2026: Friday 10:00 CET + one business day = Monday 10:00 CEST."""
    due = CALENDAR.add_business_days(paris(2026, 3, 27, 10), 1)
    assert due == paris(2026, 3, 30, 10) and due.utcoffset() == timedelta(hours=2)
    assert CALENDAR.add_business_days(paris(2026, 3, 28, 10), 2) == paris(2026, 3, 31, 10)


def test_rule_s4_keeps_the_wall_clock_time_across_the_autumn_daylight_saving_change():
    """Clocks go back on Sunday 25 October 2026: Friday 16:45 CEST + one business day = Monday 16:45 CET."""
    due = CALENDAR.add_business_days(paris(2026, 10, 23, 16, 45), 1)
    assert due == paris(2026, 10, 26, 16, 45) and due.utcoffset() == timedelta(hours=1)
    assert CALENDAR.add_business_days(paris(2026, 10, 24, 9), 1) == paris(2026, 10, 26, 9)


def test_rule_s4_zero_business_days_is_the_instant_itself_when_open_else_the_next_opening():
    assert CALENDAR.add_business_days(paris(2026, 11, 23, 10), 0) == paris(2026, 11, 23, 10)
    assert CALENDAR.add_business_days(paris(2026, 11, 23, 12, 30), 0) == paris(2026, 11, 23, 13, 30)
    assert CALENDAR.add_business_days(paris(2026, 11, 28, 10), 0) == paris(2026, 11, 30, 8)
    assert CALENDAR.add_business_days(paris(2026, 11, 11, 10), 0) == paris(2026, 11, 12, 8)


def test_rule_s4_counts_from_the_date_in_the_charters_zone_whatever_zone_the_receipt_is_given_in():
    """Friday 27 November 23:30 UTC is Saturday 00:30 in Paris: Monday, Tuesday; Tuesday 00:30 is closed: 08:00."""
    received = datetime(2026, 11, 27, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert CALENDAR.add_business_days(received, 2) == paris(2026, 12, 1, 8)
    assert CALENDAR.add_business_days(received, 2).tzinfo == PARIS


# --- rules S11 and S12 use the same reading ----------------------------------------------------------------


def attempt(moment) -> TicketEvent:
    return event(EventKind.CONTACT_ATTEMPT, moment, outcome="no_answer")


def test_rule_s11_two_business_days_from_a_call_after_fridays_closing_end_tuesday_at_that_clock_time():
    """Friday 17:15, Monday, Tuesday 17:10: within two business days of Friday 17:15 (Tuesday 17:15)."""
    attempts = [attempt(paris(2026, 11, 27, 17, 15)), attempt(paris(2026, 11, 30, 10)),
                attempt(paris(2026, 12, 1, 17, 10))]
    decision = failed_contact_closure(SYSTELL, CALENDAR, attempts)
    assert decision is not None and (decision.rule, decision.action, decision.at) == \
        ("S11", "close", paris(2026, 12, 1, 17, 10))


def test_rule_s11_a_third_call_after_that_clock_time_on_tuesday_is_not_within_two_business_days():
    """Friday 17:15, Monday, Tuesday 17:20: later than Tuesday 17:15, so the request stays open."""
    attempts = [attempt(paris(2026, 11, 27, 17, 15)), attempt(paris(2026, 11, 30, 10)),
                attempt(paris(2026, 12, 1, 17, 20))]
    assert failed_contact_closure(SYSTELL, CALENDAR, attempts) is None


def test_rule_s11_a_first_call_on_saturday_counts_two_business_days_from_saturday():
    """Saturday 10:00, Monday, Tuesday 10:30: later than Tuesday 10:00, not within two business days."""
    attempts = [attempt(paris(2026, 11, 28, 10)), attempt(paris(2026, 11, 30, 10)), attempt(paris(2026, 12, 1, 10, 30))]
    assert failed_contact_closure(SYSTELL, CALENDAR, attempts) is None


def test_rule_s12_a_reply_asked_on_friday_after_closing_closes_three_business_days_later_at_that_clock_time():
    """Asked Friday 27 November 17:15: reminder one business day before (Tuesday 17:15), close Wednesday 17:15."""
    history = [event(EventKind.RECEIVED, paris(2026, 11, 27, 9)),
               event(EventKind.WAITING_CUSTOMER, paris(2026, 11, 27, 17, 15))]
    decisions = no_reply_closure(SYSTELL, CALENDAR, "waiting_customer", history)
    assert [(d.rule, d.at) for d in decisions] == [("S12-reminder", paris(2026, 12, 1, 17, 15)),
                                                   ("S12", paris(2026, 12, 2, 17, 15))]


def test_rule_s12_a_reply_asked_on_a_public_holiday_closes_three_business_days_after_the_holiday():
    """Asked Wednesday 11 November 10:00 (holiday): Thursday, Friday, Monday: close Monday 16 November 10:00."""
    history = [event(EventKind.RECEIVED, paris(2026, 11, 10, 9)),
               event(EventKind.WAITING_CUSTOMER, paris(2026, 11, 11, 10))]
    decisions = no_reply_closure(SYSTELL, CALENDAR, "waiting_customer", history)
    assert [(d.rule, d.at) for d in decisions] == [("S12-reminder", paris(2026, 11, 13, 10)),
                                                   ("S12", paris(2026, 11, 16, 10))]
