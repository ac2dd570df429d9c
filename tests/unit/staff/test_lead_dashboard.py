"""The dashboard: response-commitment attainment by tier and severity over the last 30 days, open requests by
age in business days, read through two index queries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from portal.adapters.dynamo.oversight import OversightRepository
from portal.domain.calendar import calendar_for
from portal.domain.charter import load_charter
from portal.services.dashboard import age_buckets, attainment, commitment_outcome, dashboard
from tests.call_counter import count_dynamodb_calls
from tests.unit.staff.lead_builders import NOW, make_ticket, store_ticket

CHARTER = load_charter("example")
CALENDAR = calendar_for(CHARTER)
DUE = NOW - timedelta(hours=2)


def test_a_commitment_is_met_when_answered_by_the_due_time_and_missed_after_it():
    ticket = make_ticket(response_due=DUE)
    assert commitment_outcome(replace(ticket, answered_at=DUE), NOW) == "met"
    assert commitment_outcome(replace(ticket, answered_at=DUE + timedelta(seconds=1)), NOW) == "missed"
    assert commitment_outcome(ticket, NOW) == "missed"
    assert commitment_outcome(ticket, DUE - timedelta(minutes=1)) == "pending"
    assert commitment_outcome(make_ticket(response_due=None), NOW) is None  # no numeric commitment (G1)


def test_attainment_is_grouped_by_tier_in_the_charter_order_and_severity():
    best, other = CHARTER.tiers[0].id, CHARTER.tiers[1].id
    tickets = [make_ticket(tier=other, severity=1, response_due=DUE, answered_at=DUE),
               make_ticket(tier=best, severity=2, response_due=DUE, answered_at=DUE),
               make_ticket(tier=best, severity=2, response_due=DUE),
               make_ticket(tier=best, severity=2, response_due=NOW + timedelta(hours=1)),
               make_ticket(tier=best, severity=1, response_due=None)]
    rows = attainment(CHARTER, tickets, NOW)
    assert [(r.tier, r.severity, r.met, r.missed, r.pending) for r in rows] == [(best, 2, 1, 1, 1),
                                                                               (other, 1, 1, 0, 0)]
    assert rows[0].rate == 0.5 and rows[1].rate == 1.0


def test_open_requests_fall_in_age_buckets_of_business_days():
    tickets = [make_ticket(created_at=NOW - timedelta(hours=1)),
               make_ticket(created_at=datetime(2026, 11, 16, 9, tzinfo=UTC)),  # 4 business days
               make_ticket(created_at=datetime(2026, 11, 2, 9, tzinfo=UTC))]  # 13 business days
    assert age_buckets(CALENDAR, tickets, NOW) == [("0-1", 1), ("2-4", 1), ("5-9", 0), ("10+", 1)]


@pytest.fixture
def stored(moto_storage):
    tickets = moto_storage.tickets
    store_ticket(tickets, make_ticket("2026-000001", created_at=NOW - timedelta(days=3), response_due=DUE))
    store_ticket(tickets, make_ticket("2026-000002", created_at=NOW - timedelta(days=45), status="closed",
                                      response_due=DUE))
    store_ticket(tickets, make_ticket("2026-000003", created_at=NOW - timedelta(days=2), status="closed",
                                      response_due=DUE, answered_at=DUE - timedelta(hours=1)))
    return OversightRepository()


def test_the_last_30_days_come_from_the_received_index_closed_requests_included(stored):
    numbers = [ticket.number for ticket in stored.received_since(NOW - timedelta(days=30))]
    assert numbers == ["2026-000001", "2026-000003"]


def test_the_dashboard_costs_two_queries(stored):
    with count_dynamodb_calls() as calls:
        board = dashboard(stored, CHARTER, CALENDAR, NOW)
    assert calls == {"Query": 2}
    assert (board.received_count, board.open_count) == (2, 1)
    [row] = board.attainment
    assert (row.met, row.missed) == (1, 1)
