"""What the customer sees of the team's work on a request: who handles it (S7) and, while it waits on the
publisher, since when and under which reference (G2, G9, E3); internal notes never."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from portal.domain.accounts import StaffMember
from portal.domain.history import EventKind, TicketEvent
from tests.builders import seeded_app, signed_in_client
from tests.unit.intake.test_request_pages import PREMIUM, file_request

LATER = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


@pytest.fixture
def app(moto_storage, tmp_path):
    return seeded_app(moto_storage, tmp_path)


def work_on(app, events, **changes):
    storage = app.extensions["portal"].storage
    [summary] = storage.tickets.of_company("demo-1")
    ticket, _history = storage.tickets.ticket_with_history(summary.number)
    storage.tickets.apply(replace(ticket, **changes), events, None)
    return summary.number


def test_the_customer_sees_who_handles_the_request_and_that_it_is_with_the_publisher_since_when(app):
    client = signed_in_client(app, PREMIUM)
    file_request(client)
    app.extensions["portal"].storage.staff.add(StaffMember("tech-zoe", "zoe@vendor.example", "Zoé Martin",
                                                           "technician"))
    number = work_on(app, [
        TicketEvent(EventKind.ESCALATED, LATER, "tech-zoe", True,
                    {"target": "publisher", "since": LATER.isoformat(), "reference": "PUB-4711"}),
        TicketEvent(EventKind.MESSAGE, LATER, "tech-zoe", False, {"text": "Secret internal remark"})],
        owner_id="tech-zoe", status="escalated")
    page = client.get(f"/requests/{number}?lang=en").get_data(as_text=True)
    assert "Zoé Martin" in page
    assert "With the publisher since 24 November 2026." in page and "PUB-4711" in page
    assert "Secret internal remark" not in page


def test_a_request_nobody_owns_says_so_and_shows_no_escalation(app):
    client = signed_in_client(app, PREMIUM)
    file_request(client)
    [summary] = app.extensions["portal"].storage.tickets.of_company("demo-1")
    page = client.get(f"/requests/{summary.number}?lang=en").get_data(as_text=True)
    assert "Not assigned yet" in page and '<th scope="row">Escalation</th>' not in page


def test_once_resolved_the_publisher_line_goes(app):
    client = signed_in_client(app, PREMIUM)
    file_request(client)
    number = work_on(app, [
        TicketEvent(EventKind.ESCALATED, LATER, "tech-zoe", True, {"target": "publisher", "reference": "PUB-1"}),
        TicketEvent(EventKind.RESOLVED, LATER, "tech-zoe", True, {})], status="resolved")
    page = client.get(f"/requests/{number}?lang=en").get_data(as_text=True)
    assert '<th scope="row">Escalation</th>' not in page  # the history still tells it happened
