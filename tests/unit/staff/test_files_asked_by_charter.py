"""Files asked of the customer: closed meanwhile only where the charter says so (rule S13); elsewhere the request
stays open, in the queue, waiting on the customer."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from portal.domain.calendar import calendar_for
from portal.domain.charter import load_charter
from portal.domain.closure import no_reply_closure
from portal.domain.history import EventKind, TicketEvent
from portal.services import console, followup
from portal.services.attachments import Attachment
from tests.builders import make_contact
from tests.unit.staff.staff_builders import make_desk, make_staff, staff_app, staff_client, store_ticket

GRAITEC, SYSTELL = load_charter("graitec"), load_charter("systell")
TOM = make_staff()
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
MODEL = Attachment("up-1", "acme/up-1", "model.ifc", 2048, "ifc", "0" * 64)


def desk_for(storage, charter):
    return make_desk(storage, charter, TOM)


def test_asking_graitec_customer_for_files_keeps_the_request_open_in_the_queue_rule_g9(moto_storage):
    """Graitec closes no request while it waits (G9: the ticket stays open): it waits on the customer."""
    desk = desk_for(moto_storage, GRAITEC)
    ticket = store_ticket(desk.tickets, GRAITEC, tier="advantage", status="in_progress", owner_id="tech-tom")
    console.ask_files(desk, TOM, ticket.number, ticket.revision, "Please send the model.", NOW)
    saved, events = desk.tickets.ticket_with_history(ticket.number)
    assert saved.status == "waiting_customer" and saved.is_open
    assert events[-1].kind == EventKind.AWAITING_FILES and "rule" not in events[-1].data
    assert [t.number for t in moto_storage.queue.open_requests()] == [ticket.number]
    [mail] = desk.mailer.sent
    assert "stays open" in mail.text and "closed until" not in mail.text


def test_files_sent_to_a_graitec_request_waiting_for_them_put_it_back_in_progress(moto_storage):
    desk = desk_for(moto_storage, GRAITEC)
    ticket = store_ticket(desk.tickets, GRAITEC, tier="advantage", status="in_progress", owner_id="tech-tom")
    asked = console.ask_files(desk, TOM, ticket.number, ticket.revision, "The model, please.", NOW).ticket
    contact = make_contact()
    after = followup.add_information(desk.tickets, contact, asked.number, "", (MODEL,), NOW + timedelta(hours=1),
                                     desk.queue_key)
    assert after.status == "in_progress"


def test_asking_systell_customer_for_files_still_closes_the_request_until_they_arrive_rule_s13(moto_storage):
    desk = desk_for(moto_storage, SYSTELL)
    ticket = store_ticket(desk.tickets, SYSTELL, tier=SYSTELL.tiers[0].id, status="in_progress", owner_id="tech-tom")
    console.ask_files(desk, TOM, ticket.number, ticket.revision, "Les fichiers du projet.", NOW)
    saved, events = desk.tickets.ticket_with_history(ticket.number)
    assert saved.status == "awaiting_files" and events[-1].data["rule"] == "S13"
    assert moto_storage.queue.open_requests() == []


def test_a_reply_awaited_counts_from_the_files_asked_when_the_request_stays_open_rule_s12():
    """Rule S12 on a charter that keeps the request open while files are awaited: the files asked for are the
    reply awaited, counted from when they were asked (not from an older question)."""
    charter = replace(GRAITEC, closure=replace(GRAITEC.closure, awaiting_customer_business_days=3,
                                               close_while_awaiting_files=False))
    calendar = calendar_for(charter)
    events = [TicketEvent(EventKind.RECEIVED, NOW - timedelta(days=10), "acme-ann"),
              TicketEvent(EventKind.WAITING_CUSTOMER, NOW - timedelta(days=8), "tech-tom"),
              TicketEvent(EventKind.CUSTOMER_REPLIED, NOW - timedelta(days=7), "acme-ann"),
              TicketEvent(EventKind.AWAITING_FILES, NOW, "tech-tom")]
    [closing] = no_reply_closure(charter, calendar, "waiting_customer", events)
    assert closing.at == calendar.add_business_days(NOW, 3)


@pytest.mark.parametrize("charter, said", [("graitec", "stays open"), ("systell", "closed until")])
def test_the_console_says_what_asking_for_files_does_under_the_charter(moto_storage, tmp_path, charter, said):
    app = staff_app(moto_storage, tmp_path, TOM, charter=charter)
    moto_storage.accounts.save_contact(make_contact())
    loaded = load_charter(charter)
    ticket = store_ticket(moto_storage.tickets, loaded, tier=loaded.tiers[0].id, status="in_progress",
                          owner_id="tech-tom")
    client = staff_client(app)
    page = client.get(f"/staff/requests/{ticket.number}?lang=en").get_data(as_text=True)
    assert ("The request stays open meanwhile" in page) == (said == "stays open")
    done = client.post(f"/staff/requests/{ticket.number}/ask_files?lang=en",
                       data={"text": "The files", "revision": ticket.revision}, follow_redirects=True)
    assert said in done.get_data(as_text=True)
