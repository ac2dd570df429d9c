"""Builders for the staff console's tests: staff members, an app with a signed-in staff member."""

from __future__ import annotations

from portal.domain.accounts import StaffMember

STAFF_PASSWORD = "staff password 123"


def make_staff(**overrides) -> StaffMember:
    values = dict(staff_id="tech-tom", email="tom@vendor.example", name="Tom", role="technician", language="en",
                  password_hash=f"h:{STAFF_PASSWORD}")
    values.update(overrides)
    return StaffMember(**values)


def staff_app(storage, tmp_path, *members: StaffMember, charter: str = "example", **settings):
    """An app on `storage` holding these staff members (fast password hashing), CSRF checked only where asked."""
    from portal.adapters.mail import OutboxMailer
    from portal.domain.charter import load_charter
    from portal.web.app import create_app
    from tests.builders import fast_passwords, make_settings

    for member in members:
        storage.staff.save(member)
    app = create_app(make_settings(**settings), charter=load_charter(charter), storage=storage,
                     mailer=OutboxMailer(tmp_path / "outbox", "support@vendor.example"), passwords=fast_passwords())
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def staff_client(app, email: str = "tom@vendor.example", password: str = STAFF_PASSWORD):
    client = app.test_client()
    response = client.post("/staff/login", data={"email": email, "password": password})
    assert response.status_code == 302, f"staff login of {email} failed"
    return client


# --- requests written straight into the tickets table --------------------------------------------------------

def make_ticket(number: str = "2026-000001", **overrides):
    from datetime import UTC, datetime

    from portal.domain.tickets import Ticket

    values = dict(number=number, company_id="acme", contact_id="acme-ann",
                  created_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC), status="new",
                  status_since=datetime(2026, 11, 2, 9, 0, tzinfo=UTC), category="bug", severity=2, tier="premium",
                  channel="web", subject="Export crashes", product_id="alpha-cam", version="2026.1")
    values.update(overrides)
    return Ticket(**values)


def store_ticket(tickets, charter, ticket=None, **overrides):
    """Write a request (in the queue while open, at its charter place) with its first event; as stored."""
    from portal.domain.history import EventKind, TicketEvent
    from portal.services.lead import queue_key_for

    ticket = ticket or make_ticket(**overrides)
    tickets.create(ticket, TicketEvent(EventKind.RECEIVED, ticket.created_at, ticket.contact_id,
                                       data={"description": "It crashes."}), queue_key_for(charter)(ticket))
    return tickets.ticket_with_history(ticket.number)[0]


class ListMailer:
    """A mailer double that keeps what it is given; `down=True` makes it fail like a mail service that does not
    answer."""

    def __init__(self, down: bool = False):
        self.sent, self.down = [], down

    def send(self, mail):
        from portal.domain.errors import BackendUnavailable

        if self.down:
            raise BackendUnavailable("mail")
        self.sent.append(mail)
        return "<id@test>"


def make_desk(storage, charter, *members: StaffMember, contact=None):
    """The console's desk on `storage` under `charter`: the request's contact and these staff members stored, a
    mailer that keeps what it is given."""
    from portal.services import console
    from portal.services.lead import queue_key_for
    from tests.builders import make_contact

    storage.accounts.save_contact(contact or make_contact())
    for member in members:
        storage.staff.save(member)
    return console.Desk(storage.tickets, storage.accounts, storage.staff, charter, ListMailer(),
                        queue_key_for(charter), lambda number: f"https://portal.example/requests/{number}")
