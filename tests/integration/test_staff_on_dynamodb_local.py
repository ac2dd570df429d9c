"""The staff console against Amazon's DynamoDB Local: two technicians on one request lose nothing, and the queue
of 1,000 open requests is read from the sparse index in at most 3 calls."""

import threading
from datetime import UTC, datetime, timedelta

import pytest

from portal.adapters.dynamo.models import TicketItem
from portal.adapters.dynamo.tickets import ticket_item
from portal.domain.calendar import calendar_for
from portal.domain.charter import load_charter
from portal.domain.errors import ConcurrentUpdate
from portal.domain.history import EventKind
from portal.services import console
from portal.services.lead import queue_key_for
from tests.call_counter import count_dynamodb_calls
from tests.unit.staff.staff_builders import make_desk, make_staff, make_ticket, store_ticket

pytestmark = pytest.mark.integration
CHARTER = load_charter("example")
NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
TOM = make_staff()
ZOE = make_staff(staff_id="tech-zoe", email="zoe@vendor.example", name="Zoe")


@pytest.fixture
def desk(local_storage):
    return make_desk(local_storage, CHARTER, TOM, ZOE)


def test_the_second_technician_acting_on_what_they_read_is_told_it_changed_and_nothing_is_lost(desk):
    ticket = store_ticket(desk.tickets, CHARTER)
    console.reply(desk, ZOE, ticket.number, ticket.revision, "Zoe's answer", NOW)
    with pytest.raises(ConcurrentUpdate):
        console.reply(desk, TOM, ticket.number, ticket.revision, "Tom's answer", NOW + timedelta(seconds=1))
    saved, events = desk.tickets.ticket_with_history(ticket.number)
    assert saved.owner_id == "tech-zoe" and saved.revision == ticket.revision + 1
    assert [e.data["text"] for e in events if e.kind == EventKind.MESSAGE] == ["Zoe's answer"]
    console.reply(desk, TOM, ticket.number, saved.revision, "Tom's answer", NOW + timedelta(seconds=2))
    texts = [e.data["text"] for e in desk.tickets.history_of(ticket.number) if e.kind == EventKind.MESSAGE]
    assert texts == ["Zoe's answer", "Tom's answer"]


def test_two_technicians_claiming_at_the_same_instant_leave_one_owner_and_one_refusal(desk):
    """Both read the same revision before either writes: DynamoDB's conditional write takes one."""
    ticket = store_ticket(desk.tickets, CHARTER)
    barrier, outcomes = threading.Barrier(2), {}
    original = desk.tickets.ticket_with_history

    def read_then_wait(number):
        found = original(number)
        barrier.wait(timeout=10)  # both have read before either writes
        return found

    class Racing:
        def __getattr__(self, name):
            return read_then_wait if name == "ticket_with_history" else getattr(desk.tickets, name)

    racing = console.Desk(Racing(), desk.accounts, desk.staff, desk.charter, desk.mailer, desk.queue_key,
                          desk.link_for)

    def claim(member):
        try:
            console.claim(racing, member, ticket.number, None, NOW)
            outcomes[member.staff_id] = "owner"
        except ConcurrentUpdate:
            outcomes[member.staff_id] = "refused"

    threads = [threading.Thread(target=claim, args=(member,)) for member in (TOM, ZOE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["owner", "refused"]
    saved, events = desk.tickets.ticket_with_history(ticket.number)
    winner = next(staff_id for staff_id, outcome in outcomes.items() if outcome == "owner")
    assert saved.owner_id == winner and [e.actor for e in events if e.kind == EventKind.CLAIMED] == [winner]


def test_the_queue_of_a_thousand_open_requests_is_read_from_the_index_in_at_most_three_calls(local_storage):
    local_storage.staff.save(TOM)
    key = queue_key_for(CHARTER)
    now = datetime.now(UTC)
    with TicketItem.batch_write() as batch:
        for index in range(1_050):
            status = "closed" if index >= 1_000 else ("new" if index % 2 else "in_progress")
            ticket = make_ticket(f"2026-{index + 1:06d}", status=status, created_at=now - timedelta(minutes=index),
                                 owner_id=None if index % 2 else "tech-tom", response_due=now + timedelta(hours=2),
                                 subject=f"Request number {index} about exporting a large drawing",
                                 tier=("premium", "standard")[index % 2])
            batch.save(ticket_item(ticket, key(ticket)))
    with count_dynamodb_calls() as calls:
        rows = console.queue(local_storage.queue, local_storage.staff, calendar_for(CHARTER), now)
    assert len(rows) == 1_000 and all(row.ticket.is_open for row in rows)
    assert [row.position for row in rows] == list(range(1, 1_001))
    assert rows[0].ticket.tier == "premium" and rows[-1].ticket.tier == "standard"  # rule T2 first
    assert "Scan" not in calls and sum(calls.values()) <= 3, calls


def test_tables_kept_from_an_earlier_run_get_the_indexes_they_lack_and_lose_the_retired_one(local_storage):
    """A laptop's tickets table made before the indexes of today (here: with only the retired all-attributes `queue`
    index) gets every one, queue-cards too, and loses `queue`, which every ticket write would still pay for."""
    import time

    from portal.adapters.dynamo.tables import create_missing_tables

    client = TicketItem._get_connection().connection.client
    table = TicketItem.Meta.table_name
    TicketItem.delete_table()
    client.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                        AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"}
                                              for name in ("pk", "sk", "queue_partition", "queue_key")],
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                   {"AttributeName": "sk", "KeyType": "RANGE"}],
                        GlobalSecondaryIndexes=[{"IndexName": "queue", "Projection": {"ProjectionType": "ALL"},
                                                 "KeySchema": [{"AttributeName": "queue_partition", "KeyType": "HASH"},
                                                               {"AttributeName": "queue_key", "KeyType": "RANGE"}]}])
    assert create_missing_tables(drop_retired=True) == []

    def indexes():
        return {i["IndexName"] for i in client.describe_table(TableName=table)["Table"]["GlobalSecondaryIndexes"]}

    deadline = time.monotonic() + 10
    while "queue" in indexes() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert {"queue-cards", "sweep", "by-company", "tasks", "received"} <= indexes()
    assert "queue" not in indexes()
    store_ticket(local_storage.tickets, CHARTER)
    assert [t.number for t in local_storage.queue.open_requests()] == ["2026-000001"]
    assert [t.number for t in local_storage.oversight.open_tickets()] == ["2026-000001"]
