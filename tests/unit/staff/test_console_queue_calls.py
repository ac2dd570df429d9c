"""The queue page for 1,000 open requests reads the sparse `queue-cards` index, never a scan, in at most 3 calls."""

from datetime import UTC, datetime, timedelta

from portal.adapters.dynamo.models import TicketItem
from portal.adapters.dynamo.tickets import ticket_item
from portal.domain.charter import load_charter
from portal.services.lead import queue_key_for
from tests.call_counter import count_dynamodb_calls
from tests.unit.staff.staff_builders import make_staff, make_ticket, staff_app, staff_client

CHARTER = load_charter("example")
OPEN_REQUESTS = 1_000


def fill_queue(count: int, now: datetime) -> None:
    """Write open requests straight into the table (batch writes), with owners, tiers and channels mixed."""
    key = queue_key_for(CHARTER)
    tiers, channels = ("premium", "standard", "basic"), ("web", "email", "phone")
    owners = (None, "tech-tom", "boss-mia")
    with TicketItem.batch_write() as batch:
        for index in range(count):
            ticket = make_ticket(f"2026-{index + 1:06d}", tier=tiers[index % 3], channel=channels[index % 2],
                                 created_at=now - timedelta(minutes=count - index), severity=1 + index % 4,
                                 status="new" if index % 3 == 0 else "in_progress", owner_id=owners[index % 3],
                                 response_due=now + timedelta(hours=index % 50 - 10),
                                 subject=f"Request number {index} about exporting a large drawing")
            batch.save(ticket_item(ticket, key(ticket)))


def test_the_queue_of_a_thousand_open_requests_costs_at_most_three_calls_and_no_scan(moto_storage, tmp_path):
    app = staff_app(moto_storage, tmp_path, make_staff(),
                    make_staff(staff_id="boss-mia", email="mia@vendor.example", name="Mia", role="manager"))
    fill_queue(OPEN_REQUESTS, datetime.now(UTC))
    client = staff_client(app)
    with count_dynamodb_calls() as calls:
        response = client.get("/staff/queue?lang=en")
        text = response.get_data(as_text=True)
        response.close()
    assert response.status_code == 200
    assert text.count('href="/staff/requests/') == OPEN_REQUESTS
    assert "Scan" not in calls and sum(calls.values()) <= 3, calls
    assert calls["Query"] >= 1 and calls["BatchGetItem"] <= 1


def test_a_filtered_queue_costs_the_same_calls(moto_storage, tmp_path):
    app = staff_app(moto_storage, tmp_path, make_staff())
    fill_queue(300, datetime.now(UTC))
    client = staff_client(app)
    with count_dynamodb_calls() as calls:
        response = client.get("/staff/queue?owner=mine&severity=2")
        response.close()
    assert response.status_code == 200 and "Scan" not in calls and sum(calls.values()) <= 3, calls
