"""Working a request: each action as a service on moto's DynamoDB, its history events, state, owner and e-mail."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from portal.domain.charter import load_charter
from portal.domain.errors import ConcurrentUpdate, NotFound
from portal.domain.history import EventKind
from portal.domain.workflow import ActionNotAllowed
from portal.services import console
from tests.builders import make_contact
from tests.unit.staff.staff_builders import ListMailer, make_desk, make_staff, store_ticket

CHARTER = load_charter("example")
NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Paris: open, customer at work
TOM = make_staff()
ZOE = make_staff(staff_id="tech-zoe", email="zoe@vendor.example", name="Zoe")
MIA = make_staff(staff_id="boss-mia", email="mia@vendor.example", name="Mia", role="manager")
ADA = make_staff(staff_id="admin-ada", email="ada@vendor.example", name="Ada", role="admin")
MIA_ACTIVE_MANAGER = make_staff(staff_id="boss-max", email="max@vendor.example", name="Max", role="manager")


@pytest.fixture
def desk(moto_storage):
    return make_desk(moto_storage, CHARTER, TOM, ZOE, MIA, ADA, contact=make_contact(language="nl"))


def stored(desk, **overrides):
    return store_ticket(desk.tickets, CHARTER, **overrides)


def history(desk, number="2026-000001"):
    return desk.tickets.ticket_with_history(number)


def test_claiming_a_new_request_makes_the_technician_its_owner_and_puts_it_in_progress(desk):
    ticket = stored(desk)
    done = console.claim(desk, TOM, ticket.number, ticket.revision, NOW)
    saved, events = history(desk)
    assert saved.owner_id == "tech-tom" and saved.status == "in_progress" and done.ticket.revision == saved.revision
    assert events[-1].kind == EventKind.CLAIMED and events[-1].actor == "tech-tom" and events[-1].data["rule"] == "S7"
    assert desk.mailer.sent == []


def test_a_request_owned_by_a_colleague_cannot_be_claimed(desk):
    ticket = stored(desk, owner_id="tech-zoe", status="in_progress")
    with pytest.raises(console.OwnedByColleague):
        console.claim(desk, TOM, ticket.number, ticket.revision, NOW)


def test_a_manager_reassigns_a_request_to_another_technician_with_an_internal_trace(desk):
    ticket = stored(desk, owner_id="tech-zoe", status="in_progress")
    console.reassign(desk, MIA, ticket.number, ticket.revision, "tech-tom", NOW)
    saved, events = history(desk)
    assert saved.owner_id == "tech-tom" and not events[-1].public


def test_a_technician_may_not_reassign(desk):
    ticket = stored(desk, owner_id="tech-zoe", status="in_progress")
    with pytest.raises(console.NotPermitted):
        console.reassign(desk, TOM, ticket.number, ticket.revision, "tech-tom", NOW)


def test_an_admin_does_not_work_requests(desk):
    ticket = stored(desk)
    for action in (lambda: console.claim(desk, ADA, ticket.number, None, NOW),
                   lambda: console.reply(desk, ADA, ticket.number, None, "Hello", NOW),
                   lambda: console.add_note(desk, ADA, ticket.number, None, "Hello", NOW)):
        with pytest.raises(console.NotPermitted):
            action()
    assert history(desk)[0].revision == ticket.revision


def test_replying_to_a_new_request_takes_it_meets_the_response_commitment_and_mails_the_customer_in_dutch(desk):
    ticket = stored(desk)
    done = console.reply(desk, TOM, ticket.number, ticket.revision, "Try the 2026.2 patch.", NOW)
    saved, events = history(desk)
    assert saved.owner_id == "tech-tom" and saved.status == "in_progress" and saved.answered_at == NOW
    assert [e.kind for e in events[-2:]] == [EventKind.CLAIMED, EventKind.MESSAGE]
    assert events[-1].public and events[-1].data["text"] == "Try the 2026.2 patch."
    assert done.mailed and len(desk.mailer.sent) == 1
    mail = desk.mailer.sent[0]
    assert mail.to == "ann@acme.example" and mail.language == "nl" and "Try the 2026.2 patch." in mail.text
    assert "2026-000001" in mail.subject and "https://portal.example/requests/2026-000001" in mail.text
    assert "Hello" not in mail.text  # in Dutch, not English


def test_a_second_reply_keeps_the_first_answer_time_and_the_owner(desk):
    ticket = stored(desk)
    first = console.reply(desk, TOM, ticket.number, ticket.revision, "First", NOW).ticket
    console.reply(desk, ZOE, ticket.number, first.revision, "Second", NOW + timedelta(hours=1))
    saved, _ = history(desk)
    assert saved.answered_at == NOW and saved.owner_id == "tech-tom"


def test_an_internal_note_is_not_public_and_sends_nothing(desk):
    ticket = stored(desk, status="closed")
    console.add_note(desk, TOM, ticket.number, ticket.revision, "Customer called, happy.", NOW)
    saved, events = history(desk)
    assert events[-1].kind == EventKind.MESSAGE and not events[-1].public
    assert saved.status == "closed" and desk.mailer.sent == [] and saved.answered_at is None


def test_an_empty_reply_is_refused_and_nothing_is_written(desk):
    ticket = stored(desk)
    with pytest.raises(console.InvalidInput) as refused:
        console.reply(desk, TOM, ticket.number, ticket.revision, "   ", NOW)
    assert refused.value.problem == "text_required" and history(desk)[0].revision == ticket.revision


def test_voicemail_in_the_customers_working_hours_records_message_left(desk):
    """Rule S5."""
    ticket = stored(desk)
    console.log_contact_attempt(desk, TOM, ticket.number, ticket.revision, "voicemail", "", NOW)
    attempt = history(desk)[1][-1]
    assert attempt.kind == EventKind.CONTACT_ATTEMPT
    assert dict(attempt.data) == {"outcome": "voicemail", "message": "message_left", "rule": "S5"}
    assert desk.mailer.sent == []


def test_voicemail_outside_the_customers_working_hours_promises_a_call_back_next_business_day(desk):
    """Rule S6: 18:30 in Paris is after the customer's day (08:00-18:00)."""
    ticket = stored(desk)
    evening = datetime(2026, 11, 3, 17, 30, tzinfo=UTC)
    assert console.voicemail_proposal(CHARTER, evening) == "call_back_next_business_day"
    console.log_contact_attempt(desk, TOM, ticket.number, ticket.revision, "voicemail", "", evening)
    assert history(desk)[1][-1].data["rule"] == "S6"


def test_three_failed_attempts_count_toward_closing_the_request_as_unreachable(desk):
    """Rule S11: the attempts are in the history the closure rule reads."""
    from portal.domain.calendar import calendar_for
    from portal.domain.closure import failed_contact_closure

    ticket = stored(desk)
    for hours, outcome in ((0, "no_answer"), (2, "voicemail"), (4, "no_answer")):
        ticket = console.log_contact_attempt(desk, TOM, ticket.number, ticket.revision, outcome, "",
                                             NOW + timedelta(hours=hours)).ticket
    decision = failed_contact_closure(CHARTER, calendar_for(CHARTER), history(desk)[1])
    assert decision is not None and decision.rule == "S11"


def test_a_contact_attempt_with_an_unknown_outcome_is_refused(desk):
    ticket = stored(desk)
    with pytest.raises(console.InvalidInput):
        console.log_contact_attempt(desk, TOM, ticket.number, ticket.revision, "busy", "", NOW)


def test_asking_for_information_waits_for_the_customer_and_mails_them(desk):
    """Rule S12."""
    ticket = stored(desk, status="in_progress", owner_id="tech-tom")
    done = console.ask_information(desk, TOM, ticket.number, ticket.revision, "Which Windows version?", NOW)
    saved, events = history(desk)
    assert saved.status == "waiting_customer" and events[-1].kind == EventKind.WAITING_CUSTOMER
    assert done.mailed and "Which Windows version?" in desk.mailer.sent[0].text


def test_asking_for_files_closes_the_request_until_they_arrive_and_takes_it_out_of_the_queue(desk, moto_storage):
    """Rule S13."""
    ticket = stored(desk, status="in_progress", owner_id="tech-tom")
    console.ask_files(desk, TOM, ticket.number, ticket.revision, "Please send the project file.", NOW)
    saved, events = history(desk)
    assert saved.status == "awaiting_files" and events[-1].kind == EventKind.AWAITING_FILES
    assert len(desk.mailer.sent) == 1
    assert [t.number for t in moto_storage.queue.open_requests()] == []


def test_support_reopens_a_request_awaiting_files_when_they_came_another_way(desk):
    ticket = stored(desk, status="awaiting_files", owner_id="tech-tom")
    console.reopen(desk, TOM, ticket.number, ticket.revision, "Files came by USB stick.", NOW)
    saved, events = history(desk)
    assert saved.status == "in_progress" and events[-2].kind == EventKind.REOPENED and not events[-1].public


def test_escalating_to_the_publisher_keeps_the_request_open_with_its_reference_and_tells_the_customer(desk):
    """Rules G2, G9, E3."""
    ticket = stored(desk, status="in_progress", owner_id="tech-tom")
    done = console.escalate(desk, TOM, ticket.number, ticket.revision, "publisher", "ADSK-12345", "Level 2", NOW)
    saved, events = history(desk)
    escalated = next(e for e in events if e.kind == EventKind.ESCALATED)
    assert saved.status == "escalated" and saved.is_open
    assert escalated.public and escalated.data["reference"] == "ADSK-12345"
    assert escalated.data["since"] == NOW.isoformat()
    assert not events[-1].public and events[-1].data["text"] == "Level 2"  # the remark stays internal
    assert done.mailed and "ADSK-12345" in desk.mailer.sent[0].text


def test_escalating_to_the_publisher_needs_its_reference(desk):
    ticket = stored(desk, status="in_progress", owner_id="tech-tom")
    with pytest.raises(console.InvalidInput) as refused:
        console.escalate(desk, TOM, ticket.number, ticket.revision, "publisher", " ", "", NOW)
    assert refused.value.problem == "reference_required"


def test_escalating_to_a_senior_colleague_makes_them_the_owner_without_mail(desk):
    """Rule T6."""
    ticket = stored(desk, status="in_progress", owner_id="tech-tom")
    done = console.escalate(desk, TOM, ticket.number, ticket.revision, "senior", "", "", NOW, colleague_id="boss-mia")
    saved, _ = history(desk)
    assert saved.owner_id == "boss-mia" and saved.status == "escalated" and not done.mailed


def test_a_technician_may_not_hand_a_colleagues_request_to_a_senior_as_a_manager_may(desk):
    """Rule T6 beside S7: escalating to a senior gives the request a new owner, which for a request a colleague
    owns is a reassignment, the manager's to make; its other escalations stay open to the technician."""
    ticket = stored(desk, status="in_progress", owner_id="tech-zoe")
    with pytest.raises(console.OwnedByColleague):
        console.escalate(desk, TOM, ticket.number, ticket.revision, "senior", "", "", NOW, colleague_id="boss-mia")
    assert history(desk)[0] == ticket
    console.escalate(desk, MIA, ticket.number, ticket.revision, "senior", "", "", NOW, colleague_id="tech-tom")
    saved, _ = history(desk)
    assert saved.owner_id == "tech-tom"
    console.escalate(desk, TOM, saved.number, saved.revision, "rnd", "", "", NOW)


def test_a_technician_escalates_a_request_nobody_owns_to_a_senior(desk):
    ticket = stored(desk, status="new")
    console.escalate(desk, TOM, ticket.number, ticket.revision, "senior", "", "", NOW, colleague_id="boss-mia")
    assert history(desk)[0].owner_id == "boss-mia"


def test_a_request_is_never_given_to_a_deactivated_colleague(desk):
    """A deactivated member cannot sign in: neither a reassignment nor an escalation to a senior makes them owner."""
    from dataclasses import replace as changed

    desk.staff.save(changed(MIA, active=False))
    ticket = stored(desk, status="in_progress", owner_id="tech-tom")
    with pytest.raises(console.InvalidInput):
        console.reassign(desk, MIA_ACTIVE_MANAGER, ticket.number, ticket.revision, "boss-mia", NOW)
    with pytest.raises(console.InvalidInput):
        console.escalate(desk, TOM, ticket.number, ticket.revision, "senior", "", "", NOW, colleague_id="boss-mia")
    assert history(desk)[0] == ticket


def test_escalating_to_a_colleague_who_does_not_work_requests_is_refused(desk):
    ticket = stored(desk, status="in_progress", owner_id="tech-tom")
    for colleague in ("admin-ada", "nobody", "tech-tom"):
        with pytest.raises(console.InvalidInput):
            console.escalate(desk, TOM, ticket.number, ticket.revision, "senior", "", "", NOW, colleague_id=colleague)


def test_escalating_to_r_and_d_sends_no_mail(desk):
    """Rule G9."""
    ticket = stored(desk, status="in_progress", owner_id="tech-tom")
    done = console.escalate(desk, TOM, ticket.number, ticket.revision, "rnd", "BUG-77", "", NOW)
    assert not done.mailed and history(desk)[0].status == "escalated"


def test_resolving_by_agreement_mails_the_customer_and_leaves_the_queue(desk, moto_storage):
    """Rule S14."""
    ticket = stored(desk, status="in_progress", owner_id="tech-tom")
    done = console.resolve(desk, TOM, ticket.number, ticket.revision, "Fixed by the patch.", NOW)
    saved, events = history(desk)
    assert saved.status == "resolved" and events[-1].data["rule"] == "S14" and events[-1].data["by"] == "support"
    assert done.mailed and moto_storage.queue.open_requests() == []


def test_reopening_a_resolved_request_puts_it_back_in_the_queue_and_mails_the_customer(desk, moto_storage):
    ticket = stored(desk, status="resolved", owner_id="tech-tom")
    done = console.reopen(desk, TOM, ticket.number, ticket.revision, "", NOW)
    assert history(desk)[0].status == "in_progress" and done.mailed
    assert [t.number for t in moto_storage.queue.open_requests()] == [ticket.number]


@pytest.mark.parametrize("status, act", [
    ("closed", lambda desk, t: console.reply(desk, TOM, t.number, t.revision, "Hi", NOW)),
    ("closed", lambda desk, t: console.ask_files(desk, TOM, t.number, t.revision, "Files", NOW)),
    ("closed", lambda desk, t: console.escalate(desk, TOM, t.number, t.revision, "rnd", "", "", NOW)),
    ("closed", lambda desk, t: console.claim(desk, TOM, t.number, t.revision, NOW)),
    ("awaiting_files", lambda desk, t: console.ask_information(desk, TOM, t.number, t.revision, "Info?", NOW)),
    ("awaiting_files", lambda desk, t: console.log_contact_attempt(desk, TOM, t.number, t.revision, "reached", "",
                                                                   NOW)),
    ("new", lambda desk, t: console.reopen(desk, TOM, t.number, t.revision, "", NOW)),
    ("resolved", lambda desk, t: console.resolve(desk, TOM, t.number, t.revision, "", NOW)),
])
def test_an_action_the_state_does_not_allow_is_refused_and_nothing_is_written(desk, status, act):
    ticket = stored(desk, status=status)
    with pytest.raises(ActionNotAllowed):
        act(desk, ticket)
    saved, events = history(desk)
    assert saved == ticket and len(events) == 1 and desk.mailer.sent == []


def test_acting_on_a_request_that_changed_since_it_was_read_is_refused_and_nothing_is_lost(desk):
    ticket = stored(desk)
    console.reply(desk, ZOE, ticket.number, ticket.revision, "Zoe's answer", NOW)
    with pytest.raises(ConcurrentUpdate):
        console.reply(desk, TOM, ticket.number, ticket.revision, "Tom's answer", NOW)
    saved, events = history(desk)
    assert saved.owner_id == "tech-zoe" and [e.data.get("text") for e in events if e.kind == EventKind.MESSAGE] == [
        "Zoe's answer"]


def test_a_write_racing_another_one_is_refused_by_the_store(desk):
    """Both read revision r; the store takes the first write and refuses the second (optimistic locking)."""
    ticket = stored(desk)
    desk.tickets.apply(replace(ticket, owner_id="tech-zoe"), [], desk.queue_key(ticket))
    with pytest.raises(ConcurrentUpdate):
        desk.tickets.apply(replace(ticket, owner_id="tech-tom"), [], desk.queue_key(ticket))


def test_an_unknown_request_is_not_found(desk):
    with pytest.raises(NotFound):
        console.claim(desk, TOM, "2026-999999", None, NOW)


def test_a_mail_service_that_does_not_answer_never_undoes_the_reply(desk):
    ticket = stored(desk)
    down = replace(desk, mailer=ListMailer(down=True))
    done = console.reply(down, TOM, ticket.number, ticket.revision, "Answer", NOW)
    assert not done.mailed and history(desk)[0].answered_at == NOW


@pytest.mark.parametrize("step", sorted(console.SUBJECTS))
@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_every_step_mail_is_worded_in_the_contacts_language(step, language):
    from tests.unit.staff.staff_builders import make_ticket

    mail = console.step_mail(make_contact(language=language), make_ticket(), step, "REF-1",
                             "https://portal.example/requests/2026-000001")
    assert mail.language == language and mail.subject.startswith("[2026-000001] ")
    assert ("Hello" in mail.text) == (language == "en")
    assert mail.headers["X-Portal-Ticket"] == "2026-000001"
