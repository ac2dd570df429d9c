"""Closure rules as functions of a request's history and `now` (rules S11-S14, T8)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from portal.domain.calendar import calendar_for
from portal.domain.charter import load_charter
from portal.domain.closure import due_actions, upcoming_actions
from portal.domain.history import EventKind, TicketEvent
from portal.domain.request_clock import request_clock

PARIS = ZoneInfo("Europe/Paris")
TORONTO = ZoneInfo("America/Toronto")
SYSTELL = load_charter("systell")
TECHTRA = load_charter("techtra")


def at(*fields, zone=PARIS):
    return datetime(*fields, tzinfo=zone)


def event(kind, moment, **data):
    return TicketEvent(kind, moment, "someone", True, data)


def attempt(moment, outcome="no_answer"):
    return event(EventKind.CONTACT_ATTEMPT, moment, outcome=outcome)


def received(moment):
    return event(EventKind.RECEIVED, moment)


def actions(charter, status, events, now):
    return [(a.rule, a.action) for a in due_actions(charter, calendar_for(charter), status, events, now)]


def test_three_failed_calls_in_two_business_days_close_the_ticket():
    """Rule S11."""
    history = [received(at(2026, 11, 23, 9)), attempt(at(2026, 11, 23, 10)), attempt(at(2026, 11, 24, 10), "voicemail"),
               attempt(at(2026, 11, 25, 9))]
    assert actions(SYSTELL, "in_progress", history, at(2026, 11, 25, 9, 1)) == [("S11", "close")]


def test_two_failed_calls_do_not_close_it():
    history = [received(at(2026, 11, 23, 9)), attempt(at(2026, 11, 23, 10)), attempt(at(2026, 11, 24, 10))]
    assert actions(SYSTELL, "in_progress", history, at(2026, 11, 30, 9)) == []


def test_three_failed_calls_spread_over_more_than_two_business_days_do_not_close_it():
    """Rule S11: Monday, Tuesday, then Thursday is three business days."""
    history = [received(at(2026, 11, 23, 9)), attempt(at(2026, 11, 23, 10)), attempt(at(2026, 11, 24, 10)),
               attempt(at(2026, 11, 26, 10, 1))]
    assert actions(SYSTELL, "in_progress", history, at(2026, 11, 26, 11)) == []


def test_failed_calls_across_a_weekend_still_count_as_two_business_days():
    """Friday, Monday, Tuesday morning: within two business days of Friday."""
    history = [received(at(2026, 11, 27, 9)), attempt(at(2026, 11, 27, 10)), attempt(at(2026, 11, 30, 10)),
               attempt(at(2026, 12, 1, 9, 30))]
    assert actions(SYSTELL, "in_progress", history, at(2026, 12, 1, 10)) == [("S11", "close")]


def test_reaching_the_customer_starts_the_count_again():
    history = [received(at(2026, 11, 23, 9)), attempt(at(2026, 11, 23, 10)), attempt(at(2026, 11, 23, 11)),
               attempt(at(2026, 11, 23, 14), "reached"), attempt(at(2026, 11, 24, 10))]
    assert actions(SYSTELL, "in_progress", history, at(2026, 11, 24, 11)) == []


def test_no_reply_for_three_business_days_closes_with_a_reminder_the_day_before():
    """Rule S12: asked Monday 10:00: reminder Wednesday 10:00, close Thursday 10:00."""
    history = [received(at(2026, 11, 23, 9)), event(EventKind.WAITING_CUSTOMER, at(2026, 11, 23, 10))]
    calendar = calendar_for(SYSTELL)
    upcoming = upcoming_actions(SYSTELL, calendar, "waiting_customer", history, at(2026, 11, 23, 11))
    assert [(a.rule, a.at) for a in upcoming] == [("S12-reminder", at(2026, 11, 25, 10)), ("S12", at(2026, 11, 26, 10))]
    assert actions(SYSTELL, "waiting_customer", history, at(2026, 11, 25, 9, 59)) == []
    assert actions(SYSTELL, "waiting_customer", history, at(2026, 11, 25, 10)) == [("S12-reminder", "remind")]
    assert actions(SYSTELL, "waiting_customer", history, at(2026, 11, 26, 10)) == [("S12-reminder", "remind"),
                                                                                  ("S12", "close")]


def test_a_reminder_already_sent_is_not_sent_twice():
    history = [received(at(2026, 11, 23, 9)), event(EventKind.WAITING_CUSTOMER, at(2026, 11, 23, 10)),
               event(EventKind.REMINDER_SENT, at(2026, 11, 25, 10), rule="S12-reminder")]
    assert actions(SYSTELL, "waiting_customer", history, at(2026, 11, 25, 12)) == []


def test_no_reply_closure_skips_a_public_holiday():
    """Rule S12: asked Tuesday 10 November; 11 November is a holiday: Thursday, Friday, Monday 16 November."""
    history = [received(at(2026, 11, 10, 9)), event(EventKind.WAITING_CUSTOMER, at(2026, 11, 10, 10))]
    upcoming = upcoming_actions(SYSTELL, calendar_for(SYSTELL), "waiting_customer", history, at(2026, 11, 10, 11))
    assert upcoming[-1].at == at(2026, 11, 16, 10)


def test_a_request_awaiting_files_is_left_alone_by_the_sweeps():
    """Rule S13: closed while the files are awaited; it reopens when they arrive."""
    history = [received(at(2026, 11, 23, 9)), event(EventKind.AWAITING_FILES, at(2026, 11, 23, 10)),
               attempt(at(2026, 11, 23, 11)), attempt(at(2026, 11, 23, 12)), attempt(at(2026, 11, 23, 14))]
    assert actions(SYSTELL, "awaiting_files", history, at(2026, 12, 30, 9)) == []


def test_a_request_resolved_by_mutual_agreement_closes():
    """Rule S14 (no confirmation window in Systell's charter: closes at once)."""
    history = [received(at(2026, 11, 23, 9)), event(EventKind.RESOLVED, at(2026, 11, 23, 15))]
    assert actions(SYSTELL, "resolved", history, at(2026, 11, 23, 15)) == [("S14", "close")]


def test_a_confirmation_window_delays_the_close_of_a_resolved_request():
    example = load_charter("example")
    window = example.closure.confirmation_window_business_days
    history = [received(at(2026, 11, 23, 9)), event(EventKind.RESOLVED, at(2026, 11, 23, 15))]
    closes = calendar_for(example).add_business_days(at(2026, 11, 23, 15), window)
    assert actions(example, "resolved", history, closes - timedelta(minutes=1)) == []
    assert actions(example, "resolved", history, closes) == [("confirmation", "close")]


def test_ten_business_days_unresolved_call_the_director_once():
    """Rule T8."""
    start = at(2026, 11, 2, 10, zone=TORONTO)
    history = [received(start)]
    assert actions(TECHTRA, "in_progress", history, at(2026, 11, 13, 10, zone=TORONTO)) == []
    assert actions(TECHTRA, "in_progress", history, at(2026, 11, 16, 10, zone=TORONTO)) == [("T8", "director_review")]
    reviewed = [*history, event(EventKind.DIRECTOR_REVIEW, at(2026, 11, 16, 10, zone=TORONTO))]
    assert actions(TECHTRA, "in_progress", reviewed, at(2026, 11, 30, 10, zone=TORONTO)) == []


def test_a_request_waiting_on_a_customer_who_never_answers_reaches_the_director_on_the_tenth_day():
    """Rule T8: "cannot be resolved within 10 business days": Techtra closes nothing for want of an answer, so a
    request asked about on Tuesday and never answered goes to the director ten business days after receipt."""
    start = at(2026, 11, 2, 10, zone=TORONTO)
    history = [received(start), event(EventKind.WAITING_CUSTOMER, at(2026, 11, 3, 10, zone=TORONTO))]
    now = at(2026, 11, 16, 10, zone=TORONTO)
    clock = request_clock(calendar_for(TECHTRA), history, now)
    assert clock.business_days == 10 and clock.paused_since is None
    assert actions(TECHTRA, "waiting_customer", history, now) == [("T8", "director_review")]


def test_the_request_clock_stops_while_the_request_lies_resolved_and_says_since_when():
    start = at(2026, 11, 23, 9, zone=TORONTO)
    resolved = at(2026, 11, 23, 11, zone=TORONTO)
    history = [received(start), event(EventKind.RESOLVED, resolved)]
    clock = request_clock(calendar_for(TECHTRA), history, at(2026, 11, 25, 12, zone=TORONTO))
    assert clock.business_time == timedelta(hours=2)
    assert clock.paused_since == resolved


def test_charters_without_closure_rules_close_nothing():
    """Rules G1, E3: graitec and exer state no closure delays."""
    graitec = load_charter("graitec")
    history = [received(at(2026, 11, 2, 9)), event(EventKind.WAITING_CUSTOMER, at(2026, 11, 2, 10)),
               attempt(at(2026, 11, 2, 11)), attempt(at(2026, 11, 2, 12)), attempt(at(2026, 11, 2, 14))]
    assert actions(graitec, "waiting_customer", history, at(2026, 12, 30, 9)) == []
