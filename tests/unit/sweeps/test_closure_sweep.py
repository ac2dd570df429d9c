"""The closure sweep through the service with a fixed `now`, on moto: rules S11, S12, S13 (left alone), S14 and
the confirmation window with the survey (G3), T8; twice with the same `now` changes nothing; a technician
writing at the same time loses nothing."""

from __future__ import annotations

from portal.domain.history import EventKind
from portal.services.sweeps.closure import run_closure_sweep
from tests.call_counter import count_dynamodb_calls
from tests.unit.sweeps.sweep_builders import (
    attempt,
    event,
    file_request,
    history,
    outbox,
    paris,
    status_of,
    sweep_context,
    toronto,
)


def fired(run) -> list[tuple[str, str, str]]:
    return [(entry["number"], entry["rule"], entry["action"]) for entry in run.fired]


# --- S11 -------------------------------------------------------------------------------------------------


def test_three_failed_calls_within_two_business_days_close_the_request_and_tell_the_customer(moto_storage,
                                                                                               tmp_path):
    """Rule S11: the customer learns why it closed and how to reopen."""
    context = sweep_context(moto_storage, tmp_path)
    number = file_request(context, paris(11, 23, 9), events=[
        attempt(paris(11, 23, 10)), attempt(paris(11, 24, 10), "voicemail"), attempt(paris(11, 25, 10))])
    run = run_closure_sweep(context, paris(11, 25, 10, 15))
    assert fired(run) == [(number, "S11", "close")]
    assert status_of(context, number) == "closed"
    closed = [e for e in history(context, number) if e.kind == EventKind.CLOSED]
    assert closed[0].data["rule"] == "S11" and closed[0].data["reason"] == "unreachable"
    [mail] = outbox(context)
    assert mail["To"] == "ann@acme.example" and number in mail["Subject"]
    body = mail.get_content()
    assert "3 times within 2 business days" in body
    assert f"https://support.vendor.example/requests/{number}" in body


def test_a_third_failed_call_one_minute_after_two_business_days_does_not_close(moto_storage, tmp_path):
    """Rule S11: Monday 10:00 to Wednesday 10:00 is within the window; 10:01 is not."""
    context = sweep_context(moto_storage, tmp_path)
    inside = file_request(context, paris(11, 23, 9), events=[
        attempt(paris(11, 23, 10)), attempt(paris(11, 24, 10)), attempt(paris(11, 25, 10))])
    outside = file_request(context, paris(11, 23, 9), events=[
        attempt(paris(11, 23, 10)), attempt(paris(11, 24, 10)), attempt(paris(11, 25, 10, 1))])
    run = run_closure_sweep(context, paris(11, 25, 12))
    assert fired(run) == [(inside, "S11", "close")]
    assert status_of(context, outside) == "in_progress"


def test_failed_calls_across_a_weekend_and_a_public_holiday_count_business_days_only(moto_storage, tmp_path):
    """Rule S11: Friday, Monday, Tuesday; and Tuesday 10 November, (11 November closed), Thursday 12 November."""
    context = sweep_context(moto_storage, tmp_path)
    weekend = file_request(context, paris(11, 27, 9), events=[
        attempt(paris(11, 27, 10)), attempt(paris(11, 30, 10)), attempt(paris(12, 1, 10))])
    holiday = file_request(context, paris(11, 10, 9), events=[
        attempt(paris(11, 10, 10)), attempt(paris(11, 12, 9)), attempt(paris(11, 12, 10))])
    run = run_closure_sweep(context, paris(12, 1, 11))
    assert sorted(fired(run)) == sorted([(weekend, "S11", "close"), (holiday, "S11", "close")])


# --- S12 -------------------------------------------------------------------------------------------------


def test_waiting_three_business_days_for_the_customer_closes_at_that_instant_not_a_minute_before(moto_storage,
                                                                                                 tmp_path):
    """Rule S12: asked Monday 10:00, closed Thursday 10:00."""
    context = sweep_context(moto_storage, tmp_path)
    number = file_request(context, paris(11, 23, 9), "waiting_customer",
                          [event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10))])
    assert run_closure_sweep(context, paris(11, 26, 9, 59)).fired == []
    assert fired(run_closure_sweep(context, paris(11, 26, 10))) == [(number, "S12", "close")]
    [mail] = outbox(context)
    assert "no reply" in mail["Subject"] and "3 business days" in mail.get_content()


def test_the_wait_for_the_customer_skips_the_weekend_and_a_public_holiday(moto_storage, tmp_path):
    """Rule S12: asked Thursday 26 November closes Tuesday 1 December; asked Monday 9 November (11 November is a
    holiday) closes Friday 13 November."""
    context = sweep_context(moto_storage, tmp_path)
    weekend = file_request(context, paris(11, 26, 9), "waiting_customer",
                           [event(EventKind.WAITING_CUSTOMER, paris(11, 26, 10))])
    assert run_closure_sweep(context, paris(11, 30, 17)).fired == []
    assert fired(run_closure_sweep(context, paris(12, 1, 10))) == [(weekend, "S12", "close")]
    holiday = file_request(context, paris(11, 9, 9), "waiting_customer",
                           [event(EventKind.WAITING_CUSTOMER, paris(11, 9, 10))], number="2026-900001")
    assert run_closure_sweep(context, paris(11, 13, 9, 59)).fired == []
    assert fired(run_closure_sweep(context, paris(11, 13, 10))) == [(holiday, "S12", "close")]


def test_the_wait_for_the_customer_across_the_autumn_clock_change_ends_at_the_same_wall_clock_time(moto_storage,
                                                                                                  tmp_path):
    """Rule S12: asked Friday 23 October 10:00 (summer time) closes Wednesday 28 October 10:00 (winter time)."""
    context = sweep_context(moto_storage, tmp_path)
    number = file_request(context, paris(10, 23, 9), "waiting_customer",
                          [event(EventKind.WAITING_CUSTOMER, paris(10, 23, 10))])
    assert run_closure_sweep(context, paris(10, 28, 9, 59)).fired == []
    assert fired(run_closure_sweep(context, paris(10, 28, 10))) == [(number, "S12", "close")]


# --- S13 -------------------------------------------------------------------------------------------------


def test_a_request_awaiting_files_is_left_to_the_intake(moto_storage, tmp_path):
    """Rule S13: closed while its files are awaited, it is not in the sweep index and nothing fires on it."""
    context = sweep_context(moto_storage, tmp_path)
    number = file_request(context, paris(11, 2, 9), "awaiting_files", [event(EventKind.AWAITING_FILES,
                                                                             paris(11, 2, 10))])
    run = run_closure_sweep(context, paris(12, 30, 10))
    assert run.candidates == 0 and run.fired == []
    assert status_of(context, number) == "awaiting_files"


# --- S14, the confirmation window and the survey (G3) --------------------------------------------------------


def test_a_resolved_request_closes_after_the_confirmation_window_and_the_survey_goes_out(moto_storage, tmp_path):
    """Confirmation window of five business days, then rule G3's survey: resolved Monday 23 November 10:00
    closes Monday 30 November 10:00, not a minute before."""
    context = sweep_context(moto_storage, tmp_path)
    number = file_request(context, paris(11, 20, 9), "resolved", [event(EventKind.RESOLVED, paris(11, 23, 10))])
    assert run_closure_sweep(context, paris(11, 30, 9, 59)).fired == []
    assert fired(run_closure_sweep(context, paris(11, 30, 10))) == [(number, "confirmation", "close")]
    [mail] = outbox(context)
    assert f"https://support.vendor.example/requests/{number}/survey" in mail.get_content()


def test_without_a_confirmation_window_a_resolved_request_closes_at_once_by_mutual_agreement(moto_storage,
                                                                                             tmp_path):
    """Rule S14 (Systell): resolved by mutual agreement, closed at the next run; no survey in this charter."""
    context = sweep_context(moto_storage, tmp_path, "systell")
    number = file_request(context, paris(11, 23, 9), "resolved", [event(EventKind.RESOLVED, paris(11, 23, 10))])
    assert fired(run_closure_sweep(context, paris(11, 23, 10, 15))) == [(number, "S14", "close")]
    [mail] = outbox(context)
    assert "/survey" not in mail.get_content()


# --- T8 --------------------------------------------------------------------------------------------------------


def test_ten_business_days_unresolved_give_the_director_a_task_once_across_the_clock_change(moto_storage,
                                                                                             tmp_path):
    """Rule T8 (Techtra, Toronto): received Wednesday 28 October 10:00, ten business days later is Wednesday
    11 November 10:00 after the clock change of 1 November; the task is made once."""
    context = sweep_context(moto_storage, tmp_path, "techtra")
    number = file_request(context, toronto(10, 28, 10), "in_progress", [event(EventKind.CLAIMED,
                                                                              toronto(10, 28, 11))])
    assert run_closure_sweep(context, toronto(11, 11, 9, 59)).fired == []
    assert fired(run_closure_sweep(context, toronto(11, 11, 10))) == [(number, "T8", "director_review")]
    assert run_closure_sweep(context, toronto(11, 12, 10)).fired == []
    [task] = context.tickets.open_tasks("director")
    assert task.ticket_number == number and task.kind == "director_review"
    assert status_of(context, number) == "in_progress"
    assert [e.kind for e in history(context, number)].count(EventKind.DIRECTOR_REVIEW) == 1


def test_the_director_review_keeps_the_request_in_the_technicians_queue(moto_storage, tmp_path):
    """Rule T8 writes a marker only: the request keeps its place in the queue (T2, S4)."""
    context = sweep_context(moto_storage, tmp_path, "techtra")
    number = file_request(context, toronto(10, 28, 10), "in_progress")
    run_closure_sweep(context, toronto(11, 11, 10))
    assert [s.number for s in context.tickets.open_of("acme")] == [number]
    from portal.adapters.dynamo.models import TicketItem

    assert [item.number for item in TicketItem.queue_cards.query("open")] == [number]


# --- exact, idempotent, cheap ----------------------------------------------------------------------------------


def test_a_second_run_with_the_same_now_changes_and_sends_nothing(moto_storage, tmp_path):
    context = sweep_context(moto_storage, tmp_path)
    file_request(context, paris(11, 23, 9), "waiting_customer", [event(EventKind.WAITING_CUSTOMER,
                                                                      paris(11, 23, 10))])
    file_request(context, paris(11, 20, 9), "resolved", [event(EventKind.RESOLVED, paris(11, 23, 10))])
    now = paris(11, 30, 11)
    assert len(run_closure_sweep(context, now).fired) == 2
    again = run_closure_sweep(context, now)
    assert again.fired == [] and again.candidates == 0
    assert len(outbox(context)) == 2


def test_a_dry_run_reports_what_would_fire_and_writes_and_sends_nothing(moto_storage, tmp_path):
    context = sweep_context(moto_storage, tmp_path)
    number = file_request(context, paris(11, 23, 9), "waiting_customer",
                          [event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10))])
    run = run_closure_sweep(context, paris(11, 26, 10), dry_run=True)
    assert fired(run) == [(number, "S12", "close")] and run.mails == 0
    assert status_of(context, number) == "waiting_customer" and outbox(context) == []


class TechnicianWritesMeanwhile:
    """The tickets repository, with a technician answering a request between the sweep's read and its write."""

    def __init__(self, tickets, number):
        self.tickets, self.number, self.done = tickets, number, False

    def __getattr__(self, name):
        return getattr(self.tickets, name)

    def history_of(self, number):
        events = self.tickets.history_of(number)
        if number == self.number and not self.done:
            self.done = True
            ticket, _ = self.tickets.ticket_with_history(number)
            self.tickets.apply(ticket, [event(EventKind.MESSAGE, paris(11, 26, 10, 1), "tech-1", True,
                                              text="Here is a workaround")], "00#00#key")
        return events


def test_a_technician_writing_while_the_sweep_runs_loses_nothing_and_the_sweep_acts_next_time(moto_storage,
                                                                                               tmp_path):
    """Conditional writes: the sweep's close is refused, the technician's message stays, the next run closes."""
    context = sweep_context(moto_storage, tmp_path)
    number = file_request(context, paris(11, 23, 9), "waiting_customer",
                          [event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10))])
    tickets = context.tickets
    context.tickets = TechnicianWritesMeanwhile(tickets, number)
    run = run_closure_sweep(context, paris(11, 26, 10, 2))
    assert run.fired == [] and run.skipped == [{"number": number, "rule": "S12", "reason": "changed_meanwhile"}]
    assert EventKind.MESSAGE in [e.kind for e in history(context, number)]
    assert status_of(context, number) == "waiting_customer" and outbox(context) == []
    context.tickets = tickets
    assert fired(run_closure_sweep(context, paris(11, 26, 10, 17))) == [(number, "S12", "close")]


def test_the_sweep_reads_the_sparse_index_and_one_history_per_open_request_never_a_scan(moto_storage, tmp_path):
    """Closed requests have left the sweep index: reading costs one query per swept state and one per request."""
    context = sweep_context(moto_storage, tmp_path)
    for _ in range(3):
        file_request(context, paris(11, 2, 9), "closed", [event(EventKind.CLOSED, paris(11, 2, 10))])
    open_numbers = {file_request(context, paris(11, 30, 9), "in_progress") for _ in range(2)}
    with count_dynamodb_calls() as calls:
        run = run_closure_sweep(context, paris(11, 30, 10))
    assert run.candidates == len(open_numbers)
    assert "Scan" not in calls
    from portal.domain.tickets import SWEPT_STATES

    assert calls["Query"] == len(SWEPT_STATES) + len(open_numbers)


# --- more boundaries ----------------------------------------------------------------------------------------------


def test_failed_calls_across_the_autumn_clock_change_count_wall_clock_business_days(moto_storage, tmp_path):
    """Rule S11: Friday 23 October 10:00 (summer time), Monday 26 and Tuesday 27 October 10:00 (winter time)
    are within two business days; Tuesday 10:01 is not."""
    context = sweep_context(moto_storage, tmp_path)
    inside = file_request(context, paris(10, 23, 9), events=[
        attempt(paris(10, 23, 10)), attempt(paris(10, 26, 10)), attempt(paris(10, 27, 10))])
    outside = file_request(context, paris(10, 23, 9), events=[
        attempt(paris(10, 23, 10)), attempt(paris(10, 26, 10)), attempt(paris(10, 27, 10, 1))])
    assert fired(run_closure_sweep(context, paris(10, 27, 11))) == [(inside, "S11", "close")]
    assert status_of(context, outside) == "in_progress"


def test_the_confirmation_window_skips_a_public_holiday(moto_storage, tmp_path):
    """Resolved Friday 6 November 10:00; five business days with 11 November closed end Monday 16 November."""
    context = sweep_context(moto_storage, tmp_path)
    number = file_request(context, paris(11, 5, 9), "resolved", [event(EventKind.RESOLVED, paris(11, 6, 10))])
    assert run_closure_sweep(context, paris(11, 16, 9, 59)).fired == []
    assert fired(run_closure_sweep(context, paris(11, 16, 10))) == [(number, "confirmation", "close")]


def test_ten_business_days_for_the_director_skip_a_public_holiday(moto_storage, tmp_path):
    """Rule T8 (Techtra, Québec): received Wednesday 30 September 10:00, Thanksgiving (12 October) closed: the
    tenth business day ends Thursday 15 October 10:00."""
    context = sweep_context(moto_storage, tmp_path, "techtra")
    number = file_request(context, toronto(9, 30, 10), "in_progress")
    assert run_closure_sweep(context, toronto(10, 15, 9, 59)).fired == []
    assert fired(run_closure_sweep(context, toronto(10, 15, 10))) == [(number, "T8", "director_review")]


def test_time_waiting_for_the_customer_counts_toward_the_director_review(moto_storage, tmp_path):
    """Rule T8: "cannot be resolved within 10 business days": two business days waiting on the customer still
    count; the review falls ten business days after receipt (Wednesday 11 November), and a request the customer
    never answers reaches it too."""
    context = sweep_context(moto_storage, tmp_path, "techtra")
    number = file_request(context, toronto(10, 28, 10), "in_progress", [
        event(EventKind.WAITING_CUSTOMER, toronto(10, 29, 10)),
        event(EventKind.CUSTOMER_REPLIED, toronto(11, 2, 10), "acme-ann")])
    silent = file_request(context, toronto(10, 28, 10), "waiting_customer", [
        event(EventKind.WAITING_CUSTOMER, toronto(10, 29, 10))])
    assert run_closure_sweep(context, toronto(11, 11, 9, 59)).fired == []
    assert sorted(fired(run_closure_sweep(context, toronto(11, 11, 10)))) == sorted(
        [(number, "T8", "director_review"), (silent, "T8", "director_review")])
