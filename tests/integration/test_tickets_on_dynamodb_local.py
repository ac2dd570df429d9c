"""Filing and updating requests against Amazon's DynamoDB Local: round trips, atomicity, no lost update."""

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from portal.domain.calendar import calendar_for
from portal.domain.charter import load_charter
from portal.domain.errors import ConcurrentUpdate, DuplicateSubmission
from portal.domain.history import EventKind, TicketEvent
from portal.services import intake
from portal.services.seeding import seed_demo_data
from portal.web.session import SignedInContact
from tests.builders import fast_passwords
from tests.call_counter import count_dynamodb_calls

pytestmark = pytest.mark.integration
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CHARTER = load_charter("example")
OWNER = SignedInContact("demo-1-owner", "demo-1", "Owner", "o@x.example", "en", ("system_owner",))


@pytest.fixture
def storage(local_storage):
    catalog = json.loads((Path(__file__).resolve().parents[2] / "portal" / "catalog" / "demo.json").read_text())
    seed_demo_data(local_storage, CHARTER, catalog, date(2026, 11, 1), hash_password=fast_passwords().hash)
    return local_storage


def submit(storage, key=None, now=NOW):
    draft = intake.RequestDraft("bug", "alpha-cam", "2026.1", 2, "Crash",
                                facts={"description": "Crash on export", "steps": "Export"}, idempotency_key=key)
    return intake.submit_request(CHARTER, calendar_for(CHARTER), storage.accounts, storage.catalog, storage.tickets,
                                 OWNER, draft, now)


def test_a_submission_writes_number_ticket_and_first_event_in_two_round_trips(storage):
    with count_dynamodb_calls() as calls:
        ack = submit(storage, key="once")
    assert calls["UpdateItem"] == 1 and calls["TransactWriteItems"] == 1
    assert not {"PutItem", "BatchWriteItem"} & set(calls)
    ticket, events = storage.tickets.ticket_with_history(ack.ticket.number)
    assert ticket.number == ack.ticket.number and [e.kind for e in events] == [EventKind.RECEIVED]


def test_the_same_idempotency_key_twice_gives_one_request(storage):
    first, second = submit(storage, key="twice"), submit(storage, key="twice")
    assert second.duplicate and second.ticket.number == first.ticket.number
    assert [t.number for t in storage.tickets.of_company("demo-1")] == [first.ticket.number]


def test_a_failed_transaction_leaves_nothing_half_written(storage):
    """The counter moved, the transaction was refused: no ticket, no event (the number is simply skipped)."""
    submit(storage, key="taken")
    number = storage.tickets.next_number(2026)
    ticket = replace(submit(storage).ticket, number=number)  # a ticket object to write again, with the new number
    first = TicketEvent(EventKind.RECEIVED, NOW, "demo-1-owner", True, {"description": "x"})
    with pytest.raises(DuplicateSubmission):  # the idempotency marker exists: the whole transaction is cancelled
        storage.tickets.create(ticket, first, None, "taken")
    assert storage.tickets.ticket_with_history(number) is None


def test_two_technicians_writing_at_once_do_not_lose_an_update(storage):
    """The second writer, holding the older revision, is told the request changed meanwhile."""
    ack = submit(storage)
    ticket, _events = storage.tickets.ticket_with_history(ack.ticket.number)
    claim = TicketEvent(EventKind.CLAIMED, NOW + timedelta(minutes=1), "tech-a")
    storage.tickets.apply(replace(ticket, status="in_progress", owner_id="tech-a"), [claim], None)
    with pytest.raises(ConcurrentUpdate):
        storage.tickets.apply(replace(ticket, status="in_progress", owner_id="tech-b"),
                              [TicketEvent(EventKind.CLAIMED, NOW + timedelta(minutes=2), "tech-b")], None)
    stored, events = storage.tickets.ticket_with_history(ack.ticket.number)
    assert stored.owner_id == "tech-a" and [e.actor for e in events if e.kind == EventKind.CLAIMED] == ["tech-a"]


def test_the_queue_position_counts_only_open_requests_ahead(storage):
    first = submit(storage, now=NOW)
    second = submit(storage, now=NOW + timedelta(minutes=5))
    assert (first.queue_position, second.queue_position) == (1, 2)


def test_the_queue_count_stops_once_more_requests_are_ahead_than_a_customer_is_told(storage, monkeypatch):
    """Rules S4, T2: with the limit lowered to 3 for the test, the fifth request learns only that more than 3 are
    ahead, and the count asked DynamoDB for at most 4 requests."""
    import botocore.client

    import portal.adapters.dynamo.tickets as tickets_adapter
    from portal.domain import queue

    monkeypatch.setattr(queue, "AHEAD_COUNTED_UP_TO", 3)
    monkeypatch.setattr(tickets_adapter, "AHEAD_COUNTED_UP_TO", 3)
    places = [submit(storage, now=NOW + timedelta(minutes=m)).queue_position for m in range(4)]
    limits, original = [], botocore.client.BaseClient._make_api_call

    def capturing(client, operation_name, params):
        if params.get("Select") == "COUNT":
            limits.append(params.get("Limit"))
        return original(client, operation_name, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", capturing)
    fifth = submit(storage, now=NOW + timedelta(minutes=10))
    assert places == [1, 2, 3, 4] and fifth.queue_position == 5
    assert not queue.position_is_exact(fifth.queue_position) and limits == [4]


def test_the_queue_place_is_counted_while_the_transaction_writes_the_request(storage, monkeypatch):
    """Rules S4, T2 without a second wait: the count has answered before the write is sent (the write waits, up to
    5 s, for it; counted after the write, as before, the wait is in vain and the test fails)."""
    import threading

    from portal.adapters.dynamo.tickets import TicketsRepository
    from tests.call_counter import watching_dynamodb_calls

    counted, overlapped = threading.Event(), []
    count = TicketsRepository.queue_position

    def counting(self, queue_key):
        try:
            return count(self, queue_key)
        finally:
            counted.set()

    def writing(operation_name, params):
        if operation_name == "TransactWriteItems":
            overlapped.append(counted.wait(5))

    monkeypatch.setattr(TicketsRepository, "queue_position", counting)
    with watching_dynamodb_calls(writing):
        ack = submit(storage, key="alongside")
    assert overlapped == [True] and ack.queue_position == 1
    assert storage.tickets.ticket_with_history(ack.ticket.number) is not None
