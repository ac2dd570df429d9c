"""A company with a contact who filed requests with a phone number and files, and a colleague who did not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from portal.domain.accounts import Company
from portal.domain.charter import load_charter
from portal.domain.history import EventKind, TicketEvent
from portal.domain.ticket_files import encode_files
from tests.builders import make_contact

CHARTER = load_charter("example")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ANNA = make_contact(contact_id="acme-anna", email="anna.quist@acme.example", name="Anna Quist")
BOB = make_contact(contact_id="acme-bob", email="bob@acme.example", name="Bob Stone")
PHONE = "+33 6 12 34 56 78"


@dataclass(frozen=True)
class Sent:
    key: str
    name: str
    size: int
    kind: str
    sha256: str


def company_with_history(storage, files):
    """Anna filed two requests (one with her phone, one with her journal file); Bob filed one that names her."""
    from tests.unit.staff.staff_builders import make_ticket, store_ticket

    storage.accounts.save_company(Company("acme", "Acme"))
    storage.accounts.save_contact(ANNA)
    storage.accounts.save_contact(BOB)
    store_ticket(storage.tickets, CHARTER, make_ticket("2026-000001", contact_id=ANNA.contact_id,
                                                       facts={"phone": PHONE, "description": "Call Anna Quist"}))
    second = store_ticket(storage.tickets, CHARTER, make_ticket("2026-000002", contact_id=ANNA.contact_id,
                                                                created_at=NOW - timedelta(days=3)))
    files.put("uploads/acme/u1/anna-journal.log", b"export failed at 10:02\n")
    files.put("accepted/acme/u1.json", b"{}")
    sent = Sent("uploads/acme/u1/anna-journal.log", "anna-journal.log", 23, "text", "0" * 64)
    storage.tickets.apply(second, [
        TicketEvent(EventKind.FILES_RECEIVED, NOW - timedelta(days=2), ANNA.contact_id,
                    data={"files": encode_files([sent]), "message": "Here is the journal, reach me at "
                          "anna.quist@acme.example or 06 12 34 56 78"}),
        TicketEvent(EventKind.MESSAGE, NOW - timedelta(days=1), "tech-tom",
                    data={"text": "Thank you Anna, the export fails because the disk is full."}),
        TicketEvent(EventKind.SURVEY_ANSWERED, NOW, ANNA.contact_id, data={"score": "5"}),
    ], None)
    files.put("uploads/acme/u2/bob.png", b"\x89PNG bob")
    store_ticket(storage.tickets, CHARTER, make_ticket("2026-000003", contact_id=BOB.contact_id,
                                                       subject="Same crash as Anna Quist"))
