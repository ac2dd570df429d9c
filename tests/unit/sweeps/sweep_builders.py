"""Requests with a history, written through the tickets repository, and a sweep context around them."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from portal.adapters.mail import OutboxMailer
from portal.domain.accounts import Company, Contact, StaffMember
from portal.domain.calendar import calendar_for
from portal.domain.charter import load_charter
from portal.domain.history import EventKind, TicketEvent
from portal.domain.tickets import Ticket
from portal.services.sweeps.run import SweepContext, queue_key_of

PARIS = ZoneInfo("Europe/Paris")
TORONTO = ZoneInfo("America/Toronto")
BASE_URL = "https://support.vendor.example"


def paris(month, day, hour, minute=0, year=2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def toronto(month, day, hour, minute=0, year=2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TORONTO)


def event(kind: EventKind, at: datetime, actor: str = "tech-1", public: bool = True, **data) -> TicketEvent:
    return TicketEvent(kind, at, actor, public, data)


def attempt(at: datetime, outcome: str = "no_answer") -> TicketEvent:
    return event(EventKind.CONTACT_ATTEMPT, at, outcome=outcome)


class FakeStaff:
    """The staff directory a sweep reads: members by id."""

    def __init__(self, *members: StaffMember):
        self.members = {member.staff_id: member for member in members}

    def get(self, staff_id: str):
        return self.members.get(staff_id)


def sweep_context(storage, tmp_path, charter_id: str = "example", staff=None) -> SweepContext:
    """A sweep context on `storage` with a customer contact (Ann, English) and an outbox mailer."""
    charter = load_charter(charter_id)
    storage.accounts.save_company(Company("acme", "Acme", language="en"))
    storage.accounts.save_contact(Contact("acme-ann", "acme", "ann@acme.example", "Ann", "en"))
    mailer = OutboxMailer(tmp_path / "outbox", "support@vendor.example")
    staff = staff or FakeStaff(StaffMember("tech-1", "tina@vendor.example", "Tina", "technician", "en"))
    return SweepContext(charter, calendar_for(charter), storage.tickets, storage.accounts, staff, mailer,
                        storage.catalog, BASE_URL)


_numbers = iter(range(1, 1_000_000))


def file_request(context: SweepContext, received: datetime, status: str = "in_progress", events=(),
                 tier: str | None = None, owner_id: str | None = "tech-1", response_due: datetime | None = None,
                 number: str | None = None) -> str:
    """A request received at `received`, then in `status` with `events` after its receipt; its number."""
    charter = context.charter
    number = number or f"2026-{next(_numbers):06d}"
    tier = tier or charter.tiers[0].id
    ticket = Ticket(number, "acme", "acme-ann", received, "new", received, "support", 3, tier, "web", "Export fails",
                    owner_id=owner_id, response_due=response_due)
    context.tickets.create(ticket, event(EventKind.RECEIVED, received, "acme-ann"), queue_key_of(charter, ticket))
    events = list(events)
    if status != "new" or events:
        stored, _ = context.tickets.ticket_with_history(number)
        since = max((e.at for e in events), default=received)
        updated = replace(stored, status=status, status_since=since)
        context.tickets.apply(updated, events, queue_key_of(charter, updated))
    return number


def status_of(context: SweepContext, number: str) -> str:
    return context.tickets.ticket_with_history(number)[0].status


def history(context: SweepContext, number: str) -> list[TicketEvent]:
    return context.tickets.ticket_with_history(number)[1]


def outbox(context: SweepContext):
    return context.mailer.messages() if context.mailer.folder.exists() else []
