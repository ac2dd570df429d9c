"""The same e-mail is never applied twice: idempotency markers on a request's update and outside any request."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from portal.domain.errors import ConcurrentUpdate, DuplicateSubmission
from portal.domain.history import EventKind, TicketEvent
from portal.domain.tickets import Ticket

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def make_ticket(**overrides):
    values = dict(number="2026-000001", company_id="acme", contact_id="acme-ann", created_at=NOW, status="new",
                  status_since=NOW, category="support", severity=3, tier="premium", channel="email",
                  subject="Export fails")
    values.update(overrides)
    return Ticket(**values)


def reply(text="More facts"):
    return TicketEvent(EventKind.CUSTOMER_REPLIED, NOW, "acme-ann", True, {"text": text})


def stored(tickets):
    tickets.create(make_ticket(), TicketEvent(EventKind.RECEIVED, NOW, "acme-ann"), None)
    return tickets.ticket_with_history("2026-000001")[0]


def test_an_update_with_a_message_id_already_applied_writes_nothing(moto_storage):
    tickets = moto_storage.tickets
    ticket = stored(tickets)
    updated = tickets.apply(ticket, [reply()], None, idempotency="<m1@client.example>")
    with pytest.raises(DuplicateSubmission) as duplicate:
        tickets.apply(updated, [reply()], None, idempotency="<m1@client.example>")
    assert duplicate.value.number == "2026-000001"
    _ticket, events = tickets.ticket_with_history("2026-000001")
    assert [event.kind for event in events] == ["received", "customer_replied"]


def test_an_update_without_a_marker_still_refuses_a_stale_revision(moto_storage):
    tickets = moto_storage.tickets
    ticket = stored(tickets)
    tickets.apply(ticket, [reply()], None, idempotency="<m1@client.example>")
    with pytest.raises(ConcurrentUpdate):
        tickets.apply(replace(ticket), [reply("again")], None, idempotency="<m2@client.example>")


def test_a_marker_outside_any_request_is_recorded_once(moto_storage):
    assert moto_storage.tickets.mark_once("mail-answered", "<m1@client.example>") is True
    assert moto_storage.tickets.mark_once("mail-answered", "<m1@client.example>") is False
    assert moto_storage.tickets.mark_once("mail-answered", "<m2@client.example>") is True


def test_a_request_is_written_with_its_internal_note_in_the_same_transaction(moto_storage):
    tickets = moto_storage.tickets
    note = TicketEvent(EventKind.MESSAGE, NOW, "mail", False, {"text": "Severity not stated"})
    tickets.create(make_ticket(), TicketEvent(EventKind.RECEIVED, NOW, "acme-ann"), None, "<m1@client.example>",
                   more_events=[note])
    with pytest.raises(DuplicateSubmission):
        tickets.create(make_ticket(number="2026-000002"), TicketEvent(EventKind.RECEIVED, NOW, "acme-ann"), None,
                       "<m1@client.example>", more_events=[note])
    _ticket, events = tickets.ticket_with_history("2026-000001")
    assert [(event.kind, event.public) for event in events] == [("received", True), ("message", False)]
    assert tickets.ticket_with_history("2026-000002") is None
