"""The weekly meeting list (rule S8): unresolved requests with their age in business days, owner, last contact
with the customer and next step; its CSV export is safe against formula injection."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from portal.adapters.dynamo.oversight import OversightRepository
from portal.domain.accounts import StaffMember
from portal.domain.calendar import calendar_for
from portal.domain.charter import load_charter
from portal.domain.errors import NotFound
from portal.domain.history import EventKind
from portal.domain.meeting import last_customer_contact, meeting_row, next_step, safe_cell, to_csv
from portal.services import lead
from tests.call_counter import count_dynamodb_calls
from tests.unit.staff.lead_builders import NOW, event, make_ticket, store_ticket

CHARTER = load_charter("example")
CALENDAR = calendar_for(CHARTER)


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def test_the_age_counts_business_days_without_weekends_or_the_eleventh_of_november():
    ticket = make_ticket(created_at=at(2, 9))
    row = meeting_row(CHARTER, CALENDAR, ticket, [event(EventKind.RECEIVED, at(2, 9), "demo-1-owner")], NOW)
    assert row.age_business_days == 13  # 3-6, 9-10, 12-13, 16-20 November (the 11th is a holiday in France)


def test_the_last_contact_is_the_latest_exchange_either_way_and_internal_notes_do_not_count():
    events = [event(EventKind.RECEIVED, at(2), "demo-1-owner"),
              event(EventKind.CONTACT_ATTEMPT, at(3), outcome="voicemail"),
              event(EventKind.CUSTOMER_REPLIED, at(4), "demo-1-owner"),
              event(EventKind.MESSAGE, at(5), public=False, text="internal")]
    contact = last_customer_contact(events)
    assert (contact.at, contact.kind, contact.by_customer) == (at(4), "customer_replied", True)
    events.append(event(EventKind.CONTACT_ATTEMPT, at(6), outcome="no_answer"))
    contact = last_customer_contact(events)
    assert (contact.at, contact.by_customer, contact.outcome) == (at(6), False, "no_answer")


def test_the_next_step_written_at_the_meeting_comes_first_then_the_next_closure_rule_then_the_status():
    ticket = make_ticket(status="waiting_customer", created_at=at(16))
    asked = [event(EventKind.RECEIVED, at(16), "demo-1-owner"), event(EventKind.WAITING_CUSTOMER, at(18))]
    step = next_step(CHARTER, CALENDAR, ticket, asked, at(18, 11))
    assert step.rule.startswith("S12") and step.at > at(18)
    written = [*asked, event(EventKind.MESSAGE, at(19), public=False, text="Call Ann on Monday", next_step="yes")]
    step = next_step(CHARTER, CALENDAR, ticket, written, at(19, 11))
    assert (step.code, step.text) == ("written", "Call Ann on Monday")
    fresh = make_ticket(status="new", created_at=at(19))
    assert next_step(CHARTER, CALENDAR, fresh, [event(EventKind.RECEIVED, at(19))], at(19, 11)).code == "take_it"


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_a_cell_that_starts_like_a_formula_is_kept_as_text(value):
    assert safe_cell(value) == "'" + value


def test_the_csv_quotes_separators_and_neutralizes_formulas_in_every_cell():
    text = to_csv(["number", "subject"], [["2026-000001", '=cmd|" /C calc"!A0'], ["2026-000002", "a, b; \"c\""]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["number", "subject"], ["2026-000001", '\'=cmd|" /C calc"!A0'], ["2026-000002", 'a, b; "c"']]


@pytest.fixture
def stores(moto_storage):
    moto_storage.staff.add(StaffMember("staff-technician", "tech@vendor.example", "Tess Tech", "technician"))
    return OversightRepository(), moto_storage.tickets, moto_storage.staff


def test_the_meeting_list_holds_every_unresolved_request_oldest_first_with_its_owner(stores):
    oversight, tickets, staff = stores
    store_ticket(tickets, make_ticket("2026-000001", created_at=at(16), status_since=at(16)))
    store_ticket(tickets, make_ticket("2026-000002", created_at=at(2), status_since=at(2)),
                 [event(EventKind.CONTACT_ATTEMPT, at(18), outcome="reached")])
    store_ticket(tickets, make_ticket("2026-000003", status="closed", owner_id=None))
    store_ticket(tickets, make_ticket("2026-000004", status="new", owner_id=None, created_at=at(19)))
    rows = lead.meeting_list(oversight, tickets, staff, CHARTER, CALENDAR, NOW)
    assert [row.ticket.number for row in rows] == ["2026-000002", "2026-000001", "2026-000004"]
    assert [row.owner_name for row in rows] == ["Tess Tech", "Tess Tech", ""]
    assert rows[0].last_contact.at == at(18) and rows[0].last_contact.outcome == "reached"


def test_the_meeting_list_costs_one_query_per_open_request_plus_two(stores):
    oversight, tickets, staff = stores
    for index in range(1, 4):
        store_ticket(tickets, make_ticket(f"2026-00000{index}"))
    with count_dynamodb_calls() as calls:
        lead.meeting_list(oversight, tickets, staff, CHARTER, CALENDAR, NOW)
    assert calls == {"Query": 4, "BatchGetItem": 1}


def test_a_next_step_agreed_at_the_meeting_is_an_internal_note_in_the_history(stores):
    oversight, tickets, staff = stores
    store_ticket(tickets, make_ticket("2026-000001"))
    lead.record_next_step(oversight, tickets, "2026-000001", "  Ask R&D for a date  ", "staff-manager", NOW)
    [row] = lead.meeting_list(oversight, tickets, staff, CHARTER, CALENDAR, NOW)
    assert (row.next_step.code, row.next_step.text) == ("written", "Ask R&D for a date")
    _ticket, events = tickets.ticket_with_history("2026-000001")
    assert [e.public for e in events if e.data.get("next_step")] == [False]
    with pytest.raises(ValueError):
        lead.record_next_step(oversight, tickets, "2026-000001", "   ", "staff-manager", NOW)
    with pytest.raises(NotFound):
        lead.record_next_step(oversight, tickets, "2026-999999", "x", "staff-manager", NOW)


def test_the_managers_open_list_reads_the_slim_queue_cards_index_without_the_facts(stores):
    """The meeting list, the director's list and the dashboard need no facts: they read each open request's card,
    so a ticket write pays for no all-attributes queue index."""
    import botocore.client

    oversight, tickets, _staff = stores
    store_ticket(tickets, make_ticket("2026-000001"))
    queried, original = [], botocore.client.BaseClient._make_api_call

    def capturing(client, operation_name, params):
        if operation_name == "Query":
            queried.append(params.get("IndexName"))
        return original(client, operation_name, params)

    botocore.client.BaseClient._make_api_call = capturing
    try:
        found = oversight.open_tickets()
    finally:
        botocore.client.BaseClient._make_api_call = original
    assert [ticket.number for ticket in found] == ["2026-000001"]
    assert queried == ["queue-cards"] and found[0].facts == {}
