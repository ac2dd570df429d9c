"""A request's own clock: business time and days since receipt, paused while it lies resolved or closed (for
files under rule S13 too), the paused time credited back; waiting on the customer does not stop it (rule T8's
clock, shown to staff). Techtra's hours, 09:00-17:00 Eastern, make eight business hours a day."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from portal.domain.calendar import calendar_for
from portal.domain.charter import load_charter
from portal.domain.history import EventKind, TicketEvent
from portal.domain.request_clock import business_days_reached_at, paused_periods, request_clock

TORONTO = ZoneInfo("America/Toronto")
MONDAY_10 = datetime(2026, 11, 23, 10, tzinfo=TORONTO)


def at(month, day, hour, minute=0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TORONTO)


def make_event(kind: EventKind, moment: datetime, actor: str = "tech-1", **data) -> TicketEvent:
    return TicketEvent(kind, moment, actor, True, data)


def history(*events: tuple[EventKind, datetime], received: datetime = MONDAY_10) -> list[TicketEvent]:
    return [make_event(EventKind.RECEIVED, received, "customer"), *(make_event(kind, when) for kind, when in events)]


def clock(events, now):
    return request_clock(calendar_for(load_charter("techtra")), events, now)


def test_the_clock_counts_business_time_and_whole_business_days_since_receipt():
    """Rule T8: Monday 10:00 to Wednesday 12:00 is 7 h + 8 h + 3 h and two whole business days."""
    reading = clock(history(), at(11, 25, 12))
    assert reading.business_time == timedelta(hours=18)
    assert reading.business_days == 2
    assert reading.paused_since is None


def test_a_business_day_is_whole_only_at_the_same_clock_time():
    """Rule T8 with S4's reading of a business day: Wednesday 09:59 is not yet two days after Monday 10:00."""
    assert clock(history(), at(11, 25, 9, 59)).business_days == 1
    assert clock(history(), at(11, 25, 10)).business_days == 2


def test_the_clock_skips_weekends_and_public_holidays():
    """Rule T8: Tuesday 23 June to Thursday 25 June crosses Québec's Fête nationale: one business day."""
    events = history(received=at(6, 23, 10))
    assert clock(events, at(6, 25, 10)).business_days == 1
    assert clock(history(received=at(11, 27, 10)), at(11, 30, 10)).business_days == 1


def test_time_waiting_for_the_customer_counts_as_unresolved_time():
    """Rule T8: a request "that cannot be resolved within 10 business days" includes one the customer leaves
    unanswered: waiting Monday 11:00 to Tuesday 11:00 counts."""
    events = history((EventKind.WAITING_CUSTOMER, at(11, 23, 11)), (EventKind.CUSTOMER_REPLIED, at(11, 24, 11)))
    reading = clock(events, at(11, 25, 12))
    assert reading.business_time == timedelta(hours=18) and reading.paused_time == timedelta(0)
    assert reading.business_days == 2 and reading.paused_since is None


def test_a_wait_for_files_counts_unless_the_charter_closes_the_request_meanwhile():
    """Rules T8, S13: files asked for under a charter that keeps the request open count; where it is closed
    until they arrive (the event names S13), the clock stops until the files or a reopening."""
    open_wait = history((EventKind.AWAITING_FILES, at(11, 23, 11)), (EventKind.FILES_RECEIVED, at(11, 25, 11)))
    assert clock(open_wait, at(11, 25, 12)).business_time == timedelta(hours=18)
    closed = [*history(), make_event(EventKind.AWAITING_FILES, at(11, 23, 11), rule="S13"),
              make_event(EventKind.CUSTOMER_REPLIED, at(11, 24, 10), "customer"),
              make_event(EventKind.FILES_RECEIVED, at(11, 25, 11), "customer")]
    assert clock(closed, at(11, 25, 10)).paused_since == at(11, 23, 11)
    assert paused_periods(closed, at(11, 24, 12)) == ([(at(11, 23, 11), at(11, 24, 12))], at(11, 23, 11))
    assert paused_periods(open_wait, at(11, 24, 12)) == ([], None)
    reading = clock(closed, at(11, 25, 12))
    assert reading.paused_since is None
    assert reading.business_time == timedelta(hours=2)  # Monday 10:00-11:00 and Wednesday 11:00-12:00


def test_a_request_lying_resolved_stops_the_clock_and_says_since_when():
    resolved = at(11, 24, 11)
    events = history((EventKind.RESOLVED, resolved))
    first, later = clock(events, at(11, 25, 9, 30)), clock(events, at(11, 26, 15))
    assert first.business_time == later.business_time == timedelta(hours=9)
    assert later.paused_since == resolved


def test_the_time_a_request_lay_resolved_does_not_count_once_it_is_reopened():
    events = history((EventKind.RESOLVED, at(11, 23, 11)), (EventKind.CUSTOMER_REPLIED, at(11, 24, 10)),
                     (EventKind.REOPENED, at(11, 25, 11)))
    assert clock(events, at(11, 25, 12)).business_time == timedelta(hours=2)


def test_counted_and_credited_time_add_up_to_all_business_time_since_receipt():
    events = history((EventKind.RESOLVED, at(11, 23, 15)), (EventKind.REOPENED, at(11, 26, 9, 30)),
                     (EventKind.CLOSED, at(11, 27, 10)))
    now = at(12, 2, 16)
    reading = clock(events, now)
    calendar = calendar_for(load_charter("techtra"))
    assert reading.business_time + reading.paused_time == calendar.business_time_between(MONDAY_10, now)


def test_events_after_now_are_not_read():
    events = history((EventKind.RESOLVED, at(11, 24, 11)))
    assert clock(events, at(11, 24, 10)).paused_since is None


def test_a_history_without_receipt_reads_zero():
    reading = clock([make_event(EventKind.MESSAGE, MONDAY_10)], at(11, 30, 10))
    assert (reading.business_time, reading.business_days, reading.counts_from) == (timedelta(0), 0, None)


def test_the_day_a_count_is_reached_is_known_ahead_while_the_clock_runs_and_not_while_it_is_stopped():
    """Rule T8: ten business days from Monday 23 November 10:00 is Monday 7 December 10:00."""
    calendar = calendar_for(load_charter("techtra"))
    running = request_clock(calendar, history(), at(11, 24, 10))
    assert business_days_reached_at(calendar, running, 10) == at(12, 7, 10)
    stopped = request_clock(calendar, history((EventKind.RESOLVED, at(11, 24, 11))), at(11, 25, 10))
    assert business_days_reached_at(calendar, stopped, 10) is None
    waiting = request_clock(calendar, history((EventKind.WAITING_CUSTOMER, at(11, 24, 11))), at(11, 25, 10))
    assert business_days_reached_at(calendar, waiting, 10) == at(12, 7, 10)
