"""Closure rules as pure functions of a request's status, history and `now` (rules S11-S14, T8 and the
confirmation window): which rule fires now, and when each will fire."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from portal.domain.calendar import calendar_for
from portal.domain.charter import load_charter
from portal.domain.closure import ClosureDecision, due_actions, upcoming_actions
from portal.domain.history import EventKind, TicketEvent

PARIS = ZoneInfo("Europe/Paris")
TORONTO = ZoneInfo("America/Toronto")


def paris(month, day, hour, minute=0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def toronto(month, day, hour, minute=0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TORONTO)


def make_event(kind: EventKind, moment: datetime, actor: str = "tech-1", public: bool = True, **data) -> TicketEvent:
    return TicketEvent(kind, moment, actor, public, data)


def received(moment: datetime) -> TicketEvent:
    return make_event(EventKind.RECEIVED, moment, "customer")


def attempt(moment: datetime, outcome: str = "no_answer") -> TicketEvent:
    return make_event(EventKind.CONTACT_ATTEMPT, moment, outcome=outcome)


def fired(charter_id: str, status: str, events, now) -> list[tuple[str, str]]:
    charter = load_charter(charter_id)
    return [(d.rule, d.action) for d in due_actions(charter, calendar_for(charter), status, events, now)]


def upcoming(charter_id: str, status: str, events, now) -> list[ClosureDecision]:
    charter = load_charter(charter_id)
    return upcoming_actions(charter, calendar_for(charter), status, events, now)


# --- S11 ----------------------------------------------------------------------------------------------


def test_three_failed_calls_in_two_business_days_close_the_ticket():
    """Rule S11: no answer Monday, voicemail Tuesday, no answer Wednesday morning: closed as unreachable."""
    events = [received(paris(11, 23, 9)), attempt(paris(11, 23, 10)), attempt(paris(11, 24, 10), "voicemail"),
              attempt(paris(11, 25, 9))]
    decisions = due_actions(load_charter("systell"), calendar_for(load_charter("systell")), "in_progress", events,
                            paris(11, 25, 9, 1))
    assert decisions == [ClosureDecision("S11", "close", paris(11, 25, 9), "unreachable")]


def test_the_third_failed_call_exactly_two_business_days_after_the_first_still_closes():
    """Rule S11: Monday 10:00 to Wednesday 10:00 is within two business days; 10:01 is not."""
    first = [received(paris(11, 23, 9)), attempt(paris(11, 23, 10)), attempt(paris(11, 24, 10))]
    assert fired("systell", "in_progress", [*first, attempt(paris(11, 25, 10))], paris(11, 25, 11)) == \
        [("S11", "close")]
    assert fired("systell", "in_progress", [*first, attempt(paris(11, 25, 10, 1))], paris(11, 25, 11)) == []


def test_two_failed_calls_do_not_close_the_ticket():
    """Rule S11."""
    events = [received(paris(11, 23, 9)), attempt(paris(11, 23, 10)), attempt(paris(11, 23, 14))]
    assert fired("systell", "in_progress", events, paris(11, 30, 9)) == []


def test_failed_calls_across_a_weekend_count_business_days_only():
    """Rule S11: Friday, Monday and Tuesday morning are within two business days of Friday."""
    events = [received(paris(11, 27, 9)), attempt(paris(11, 27, 10)), attempt(paris(11, 30, 10)),
              attempt(paris(12, 1, 9, 30))]
    assert fired("systell", "in_progress", events, paris(12, 1, 10)) == [("S11", "close")]


def test_failed_calls_around_a_public_holiday_skip_it():
    """Rule S11: Tuesday 10 November, then 11 November (closed), Thursday and Friday 13 November 09:00."""
    events = [received(paris(11, 10, 9)), attempt(paris(11, 10, 10)), attempt(paris(11, 12, 10)),
              attempt(paris(11, 13, 9))]
    assert fired("systell", "in_progress", events, paris(11, 13, 10)) == [("S11", "close")]


def test_reaching_the_customer_starts_the_count_again():
    """Rule S11: only unsuccessful attempts count, and only since the customer was last reached."""
    events = [received(paris(11, 23, 9)), attempt(paris(11, 23, 10)), attempt(paris(11, 23, 11)),
              attempt(paris(11, 23, 14), "reached"), attempt(paris(11, 24, 10))]
    assert fired("systell", "in_progress", events, paris(11, 24, 11)) == []


def test_a_reply_from_the_customer_starts_the_count_again():
    """Rule S11."""
    events = [received(paris(11, 23, 9)), attempt(paris(11, 23, 10)), attempt(paris(11, 23, 11)),
              make_event(EventKind.CUSTOMER_REPLIED, paris(11, 23, 12), "customer"), attempt(paris(11, 24, 10))]
    assert fired("systell", "in_progress", events, paris(11, 24, 11)) == []


def test_a_later_run_of_three_failed_calls_closes_even_after_a_slow_start():
    """Rule S11: Monday, then Thursday, Friday and Monday: the last three are within two business days."""
    events = [received(paris(11, 23, 9)), attempt(paris(11, 23, 10)), attempt(paris(11, 26, 10)),
              attempt(paris(11, 27, 10)), attempt(paris(11, 30, 9))]
    assert fired("systell", "in_progress", events, paris(11, 30, 10)) == [("S11", "close")]


# --- S12 ----------------------------------------------------------------------------------------------


def test_no_reply_for_three_business_days_closes_with_a_reminder_the_business_day_before():
    """Rule S12: asked Monday 10:00: reminder Wednesday 10:00, closed Thursday 10:00."""
    events = [received(paris(11, 23, 9)), make_event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10))]
    assert [(d.rule, d.at) for d in upcoming("systell", "waiting_customer", events, paris(11, 23, 11))] == \
        [("S12-reminder", paris(11, 25, 10)), ("S12", paris(11, 26, 10))]
    assert fired("systell", "waiting_customer", events, paris(11, 25, 9, 59)) == []
    assert fired("systell", "waiting_customer", events, paris(11, 25, 10)) == [("S12-reminder", "remind")]
    assert fired("systell", "waiting_customer", events, paris(11, 26, 9, 59)) == [("S12-reminder", "remind")]
    assert fired("systell", "waiting_customer", events, paris(11, 26, 10)) == \
        [("S12-reminder", "remind"), ("S12", "close")]


def test_the_no_reply_delay_skips_the_weekend_and_a_public_holiday():
    """Rule S12: asked Tuesday 10 November; 11 November is closed: Thursday, Friday, Monday 16 November."""
    events = [received(paris(11, 10, 9)), make_event(EventKind.WAITING_CUSTOMER, paris(11, 10, 10))]
    assert upcoming("systell", "waiting_customer", events, paris(11, 10, 11))[-1].at == paris(11, 16, 10)


def test_a_reminder_already_sent_is_not_sent_again():
    """Rule S12."""
    events = [received(paris(11, 23, 9)), make_event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10)),
              make_event(EventKind.REMINDER_SENT, paris(11, 25, 10), "sweep", rule="S12-reminder")]
    assert fired("systell", "waiting_customer", events, paris(11, 25, 12)) == []


def test_a_reply_ends_the_wait_and_nothing_closes():
    """Rule S12: once the customer replies the request is back in progress."""
    events = [received(paris(11, 23, 9)), make_event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10)),
              make_event(EventKind.CUSTOMER_REPLIED, paris(11, 24, 10), "customer")]
    assert fired("systell", "in_progress", events, paris(12, 30, 10)) == []


def test_asking_again_starts_the_no_reply_delay_again():
    """Rule S12: the delay runs from the latest question."""
    events = [received(paris(11, 23, 9)), make_event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10)),
              make_event(EventKind.CUSTOMER_REPLIED, paris(11, 24, 10), "customer"),
              make_event(EventKind.WAITING_CUSTOMER, paris(11, 25, 10))]
    assert upcoming("systell", "waiting_customer", events, paris(11, 25, 11))[-1].at == paris(11, 30, 10)


# --- S13 ----------------------------------------------------------------------------------------------


def test_a_request_awaiting_files_is_closed_until_they_arrive_and_the_sweeps_leave_it_alone():
    """Rule S13: closed while the files are awaited; neither contact attempts nor time close it further."""
    events = [received(paris(11, 23, 9)), make_event(EventKind.AWAITING_FILES, paris(11, 23, 10)),
              attempt(paris(11, 23, 11)), attempt(paris(11, 23, 12)), attempt(paris(11, 23, 14))]
    assert fired("systell", "awaiting_files", events, paris(12, 30, 9)) == []


def test_asking_for_files_closes_a_request_still_marked_open():
    """Rule S13."""
    events = [received(paris(11, 23, 9)), make_event(EventKind.AWAITING_FILES, paris(11, 23, 10))]
    assert fired("systell", "in_progress", events, paris(11, 23, 10)) == [("S13", "close")]


def test_files_arriving_reopen_the_request():
    """Rule S13: reopened when the files arrive."""
    events = [received(paris(11, 23, 9)), make_event(EventKind.AWAITING_FILES, paris(11, 23, 10)),
              make_event(EventKind.FILES_RECEIVED, paris(11, 27, 15), "customer")]
    charter = load_charter("systell")
    decisions = due_actions(charter, calendar_for(charter), "awaiting_files", events, paris(11, 27, 15))
    assert decisions == [ClosureDecision("S13", "reopen", paris(11, 27, 15), "files_received")]
    assert fired("systell", "in_progress", events, paris(11, 27, 16)) == []


def test_a_charter_without_rule_s13_neither_closes_nor_reopens_for_files():
    events = [received(paris(11, 23, 9)), make_event(EventKind.AWAITING_FILES, paris(11, 23, 10))]
    assert fired("exer", "in_progress", events, paris(11, 30, 10)) == []


# --- S14 and the confirmation window ------------------------------------------------------------------------


def test_a_request_resolved_by_mutual_agreement_closes_at_once():
    """Rule S14: systell has no confirmation window."""
    events = [received(paris(11, 23, 9)), make_event(EventKind.RESOLVED, paris(11, 23, 15))]
    assert fired("systell", "resolved", events, paris(11, 23, 15)) == [("S14", "close")]


def test_a_confirmation_window_delays_the_close_of_a_resolved_request():
    """Rule S14 with the example charter's five-business-day confirmation window."""
    example = load_charter("example")
    events = [received(paris(11, 23, 9)), make_event(EventKind.RESOLVED, paris(11, 23, 15))]
    closes = calendar_for(example).add_business_days(paris(11, 23, 15), 5)
    assert closes == paris(11, 30, 15)
    assert fired("example", "resolved", events, closes - timedelta(minutes=1)) == []
    assert fired("example", "resolved", events, closes) == [("confirmation", "close")]


def test_a_charter_without_mutual_agreement_or_window_leaves_a_resolved_request_to_staff():
    events = [received(paris(11, 23, 9)), make_event(EventKind.RESOLVED, paris(11, 23, 15))]
    assert fired("graitec", "resolved", events, paris(12, 30, 9)) == []


# --- T8 -----------------------------------------------------------------------------------------------


def test_ten_business_days_unresolved_call_the_director_once():
    """Rule T8: received Monday 2 November 10:00; the director reviews it Monday 16 November 10:00, once."""
    events = [received(toronto(11, 2, 10))]
    assert fired("techtra", "in_progress", events, toronto(11, 16, 9, 59)) == []
    assert fired("techtra", "in_progress", events, toronto(11, 16, 10)) == [("T8", "director_review")]
    reviewed = [*events, make_event(EventKind.DIRECTOR_REVIEW, toronto(11, 16, 10), "director")]
    assert fired("techtra", "in_progress", reviewed, toronto(11, 30, 10)) == []


def test_the_director_review_is_announced_ahead_of_time():
    """Rule T8: a staff page can show when the review will come."""
    events = [received(toronto(11, 2, 10))]
    review = upcoming("techtra", "in_progress", events, toronto(11, 3, 10))
    assert [(d.rule, d.at) for d in review] == [("T8", toronto(11, 16, 10))]


def test_time_waiting_for_the_customer_counts_toward_the_ten_days():
    """Rule T8: three business days waiting for an answer do not move the review."""
    events = [received(toronto(11, 2, 10)), make_event(EventKind.WAITING_CUSTOMER, toronto(11, 3, 10)),
              make_event(EventKind.CUSTOMER_REPLIED, toronto(11, 6, 10), "customer")]
    assert fired("techtra", "in_progress", events, toronto(11, 16, 9, 59)) == []
    assert fired("techtra", "in_progress", events, toronto(11, 16, 10)) == [("T8", "director_review")]


def test_the_review_is_announced_while_the_request_waits_on_the_customer():
    events = [received(toronto(11, 2, 10)), make_event(EventKind.WAITING_CUSTOMER, toronto(11, 3, 10))]
    review = upcoming("techtra", "waiting_customer", events, toronto(11, 5, 10))
    assert [(d.rule, d.at) for d in review] == [("T8", toronto(11, 16, 10))]


def test_the_review_is_not_announced_while_the_clock_is_stopped():
    """Rule T8: a request lying resolved (until reopened) is not unresolved."""
    events = [received(toronto(11, 2, 10)), make_event(EventKind.RESOLVED, toronto(11, 3, 10))]
    assert upcoming("techtra", "resolved", events, toronto(11, 20, 10)) == []


def test_a_resolved_request_needs_no_director_review():
    events = [received(toronto(11, 2, 10)), make_event(EventKind.RESOLVED, toronto(11, 13, 10))]
    assert fired("techtra", "resolved", events, toronto(11, 30, 10)) == []


# --- all together ---------------------------------------------------------------------------------------------


def test_upcoming_decisions_come_earliest_first():
    """The example charter has every rule: the S12 reminder and close come before the T8 review."""
    events = [received(paris(11, 23, 9)), make_event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10))]
    assert [d.rule for d in upcoming("example", "waiting_customer", events, paris(11, 23, 11))] == \
        ["S12-reminder", "S12", "T8"]
    running = [received(paris(11, 23, 9))]
    assert [d.rule for d in upcoming("example", "in_progress", running, paris(11, 23, 11))] == ["T8"]


def test_a_closed_request_has_nothing_to_fire():
    events = [received(paris(11, 23, 9)), attempt(paris(11, 23, 10)), attempt(paris(11, 23, 11)),
              attempt(paris(11, 23, 12)), make_event(EventKind.CLOSED, paris(11, 23, 13), reason="unreachable")]
    assert fired("systell", "closed", events, paris(12, 30, 9)) == []


def test_charters_without_closure_rules_close_nothing():
    """Rules G1, E3: graitec and exer state no closure delays."""
    events = [received(paris(11, 2, 9)), make_event(EventKind.WAITING_CUSTOMER, paris(11, 2, 10)),
              attempt(paris(11, 2, 11)), attempt(paris(11, 2, 12)), attempt(paris(11, 2, 14))]
    assert fired("graitec", "waiting_customer", events, paris(12, 30, 9)) == []
    assert fired("exer", "waiting_customer", events, paris(12, 30, 9)) == []
