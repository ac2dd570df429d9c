"""Builders for the managers', director's and administrators' console tests: requests written straight into
the tickets table, with a history of our choosing."""

from __future__ import annotations

from datetime import UTC, datetime

from portal.domain.history import EventKind, TicketEvent
from portal.domain.tickets import Ticket, queue_sort_key

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # a Friday


def make_ticket(number: str = "2026-000001", **overrides) -> Ticket:
    values = dict(number=number, company_id="demo-1", contact_id="demo-1-owner",
                  created_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC), status="in_progress",
                  status_since=datetime(2026, 11, 2, 9, 0, tzinfo=UTC), category="bug", severity=2, tier="premium",
                  channel="web", subject="Export crashes", product_id="alpha-cam", version="2026.1",
                  owner_id="staff-technician")
    values.update(overrides)
    return Ticket(**values)


def store_ticket(tickets, ticket: Ticket | None = None, events=(), **overrides) -> Ticket:
    """Write a request (in the queue while open) with its first event and any later ones."""
    ticket = ticket or make_ticket(**overrides)
    key = queue_sort_key(1, 1, ticket.created_at, ticket.number) if ticket.is_open else None
    tickets.create(ticket, TicketEvent(EventKind.RECEIVED, ticket.created_at, ticket.contact_id), key)
    ticket = tickets.ticket_with_history(ticket.number)[0]
    if events:
        ticket = tickets.apply(ticket, list(events), key)
    return ticket


def event(kind: EventKind, at: datetime, actor: str = "staff-technician", public: bool = True, **data) -> TicketEvent:
    return TicketEvent(kind, at, actor, public, data)
