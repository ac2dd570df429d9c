"""The reminders through the service with a fixed `now`, on moto: rule S12's reminder, and response commitments
about to be missed (owner and manager warned once) or missed (recorded once), across a lunch break, a weekend,
a public holiday and the autumn clock change."""

from __future__ import annotations

from portal.domain.history import EventKind
from portal.services.sweeps.reminders import run_reminders
from tests.unit.sweeps.sweep_builders import event, file_request, history, outbox, paris, sweep_context


def fired(run) -> list[tuple[str, str]]:
    return [(entry["number"], entry["rule"]) for entry in run.fired]


# --- S12's reminder -------------------------------------------------------------------------------------------


def test_one_business_day_before_the_close_the_customer_is_told_when_it_will_close(moto_storage, tmp_path):
    """Rule S12: asked Monday 23 November 10:00, reminded Wednesday 10:00 that it closes Thursday 10:00."""
    context = sweep_context(moto_storage, tmp_path)
    number = file_request(context, paris(11, 23, 9), "waiting_customer",
                          [event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10))])
    assert run_reminders(context, paris(11, 25, 9, 59)).fired == []
    assert fired(run_reminders(context, paris(11, 25, 10))) == [(number, "S12-reminder")]
    [mail] = outbox(context)
    assert "Thursday, November 26, 2026 10:00" in mail.get_content().replace("\u202f", " ")
    assert run_reminders(context, paris(11, 25, 10)).fired == []
    assert run_reminders(context, paris(11, 25, 16)).fired == []
    assert len(outbox(context)) == 1


def test_the_reminder_counts_business_days_across_a_weekend(moto_storage, tmp_path):
    """Rule S12: asked Thursday 26 November 10:00: reminded Monday 30 November 10:00, not on Friday."""
    context = sweep_context(moto_storage, tmp_path)
    number = file_request(context, paris(11, 26, 9), "waiting_customer",
                          [event(EventKind.WAITING_CUSTOMER, paris(11, 26, 10))])
    assert run_reminders(context, paris(11, 30, 9, 59)).fired == []
    assert fired(run_reminders(context, paris(11, 30, 10))) == [(number, "S12-reminder")]


def test_a_new_question_after_a_reply_gets_its_own_reminder(moto_storage, tmp_path):
    """Rule S12: the reminder is sent once per question asked."""
    context = sweep_context(moto_storage, tmp_path)
    number = file_request(context, paris(11, 16, 9), "waiting_customer", [
        event(EventKind.WAITING_CUSTOMER, paris(11, 16, 10)),
        event(EventKind.REMINDER_SENT, paris(11, 18, 10), "sweep", rule="S12-reminder"),
        event(EventKind.CUSTOMER_REPLIED, paris(11, 18, 11), "acme-ann"),
        event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10))])
    assert fired(run_reminders(context, paris(11, 25, 10))) == [(number, "S12-reminder")]


def test_a_request_whose_close_is_due_gets_no_late_reminder(moto_storage, tmp_path):
    """Rule S12: past the close, the closure sweep closes it; no reminder goes out then."""
    context = sweep_context(moto_storage, tmp_path)
    file_request(context, paris(11, 23, 9), "waiting_customer", [event(EventKind.WAITING_CUSTOMER,
                                                                      paris(11, 23, 10))])
    assert run_reminders(context, paris(11, 26, 10)).fired == []


# --- response commitments --------------------------------------------------------------------------------------


def test_one_business_hour_before_the_due_time_the_owner_and_a_manager_are_warned_once(moto_storage, tmp_path):
    """Due Monday 14:00: the lunch break 12:00-13:30 does not count, so the warning goes at 11:30, not 11:29."""
    context = sweep_context(moto_storage, tmp_path)
    number = file_request(context, paris(11, 30, 9), "in_progress", response_due=paris(11, 30, 14))
    assert run_reminders(context, paris(11, 30, 11, 29)).fired == []
    assert fired(run_reminders(context, paris(11, 30, 11, 30))) == [(number, "response-warning")]
    assert run_reminders(context, paris(11, 30, 11, 45)).fired == []
    [mail] = outbox(context)
    assert mail["To"] == "tina@vendor.example" and number in mail["Subject"]
    [task] = context.tickets.open_tasks("manager")
    assert task.ticket_number == number and task.kind == "response_at_risk"


def test_the_warning_counts_business_time_across_a_weekend_a_holiday_and_the_clock_change(moto_storage, tmp_path):
    """Due Monday 09:00: warned Friday 16:00 (Friday closes at 16:30). Due Thursday 12 November 09:00 with
    11 November closed: warned Tuesday 17:00. Due Monday 26 October 09:00, after the clock change: Friday 16:00."""
    context = sweep_context(moto_storage, tmp_path)
    weekend = file_request(context, paris(11, 27, 9), response_due=paris(11, 30, 9))
    assert run_reminders(context, paris(11, 27, 15, 59)).fired == []
    assert fired(run_reminders(context, paris(11, 27, 16))) == [(weekend, "response-warning")]
    holiday = file_request(context, paris(11, 10, 9), response_due=paris(11, 12, 9))
    assert run_reminders(context, paris(11, 10, 16, 59)).fired == []
    assert fired(run_reminders(context, paris(11, 10, 17))) == [(holiday, "response-warning")]
    clock_change = file_request(context, paris(10, 23, 9), response_due=paris(10, 26, 9))
    assert run_reminders(context, paris(10, 23, 15, 59)).fired == []
    assert fired(run_reminders(context, paris(10, 23, 16))) == [(clock_change, "response-warning")]


def test_an_answered_request_is_not_warned_about(moto_storage, tmp_path):
    context = sweep_context(moto_storage, tmp_path)
    file_request(context, paris(11, 30, 9), "in_progress", [event(EventKind.MESSAGE, paris(11, 30, 10))],
                 response_due=paris(11, 30, 14))
    assert run_reminders(context, paris(11, 30, 15)).fired == []


def test_a_missed_response_is_recorded_once_for_the_dashboard(moto_storage, tmp_path):
    """At the due instant, unanswered: one internal RESPONSE_MISSED event; a minute before, the warning only."""
    context = sweep_context(moto_storage, tmp_path)
    number = file_request(context, paris(11, 30, 9), "in_progress", response_due=paris(11, 30, 14))
    assert fired(run_reminders(context, paris(11, 30, 13, 59))) == [(number, "response-warning")]
    assert fired(run_reminders(context, paris(11, 30, 14))) == [(number, "response-missed")]
    assert run_reminders(context, paris(11, 30, 14)).fired == []
    missed = [e for e in history(context, number) if e.kind == EventKind.RESPONSE_MISSED]
    assert len(missed) == 1 and not missed[0].public



def _keeping_open_with_s12(context):
    """A charter that keeps a request open while its files are awaited and closes it after three business days
    without the customer's answer (S12), reminding one day before."""
    from dataclasses import replace

    from portal.domain.calendar import calendar_for

    charter = replace(context.charter, closure=replace(
        context.charter.closure, awaiting_customer_business_days=3, awaiting_customer_reminder_business_days=1,
        close_while_awaiting_files=False))
    context.charter, context.calendar = charter, calendar_for(charter)
    return context


def test_files_asked_of_a_request_kept_open_get_their_reminder_and_the_others_too_rule_s12(moto_storage, tmp_path):
    """Rule S12 on files asked (the request kept open, S13 not applying): the reminder goes one business day
    before the close, counted from the files asked, also after an earlier question was reminded and answered;
    the run goes on to the other requests."""
    context = _keeping_open_with_s12(sweep_context(moto_storage, tmp_path, "graitec"))
    files = file_request(context, paris(11, 16, 9), "waiting_customer", [
        event(EventKind.WAITING_CUSTOMER, paris(11, 16, 10)),
        event(EventKind.REMINDER_SENT, paris(11, 18, 10), "sweep", rule="S12-reminder"),
        event(EventKind.CUSTOMER_REPLIED, paris(11, 18, 11), "acme-ann"),
        event(EventKind.AWAITING_FILES, paris(11, 23, 10))])
    question = file_request(context, paris(11, 23, 9), "waiting_customer",
                            [event(EventKind.WAITING_CUSTOMER, paris(11, 23, 11))])
    run = run_reminders(context, paris(11, 25, 12))
    assert sorted(entry["number"] for entry in run.fired if entry["rule"] == "S12-reminder") == sorted(
        [files, question])
