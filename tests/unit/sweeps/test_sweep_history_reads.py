"""A sweep reads its candidates' histories several at a time (each query mostly waits on the network), and acts on
them in the sweep index's order, so that thousands of open requests fit in the Lambda's 30 s."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from portal.services.sweeps.run import sweep_candidates


class Tickets:
    """The sweep index of two states, and histories that can only be read two at a time at least."""

    def __init__(self, per_state: int):
        start = datetime(2026, 11, 2, 9, tzinfo=UTC)
        self.index = {state: [SimpleNamespace(number=f"{state}-{i:03d}", since=start + timedelta(minutes=i))
                              for i in range(per_state)] for state in ("waiting_customer", "resolved")}
        self.together = threading.Barrier(2, timeout=5)
        self.lock = threading.Lock()
        self.started = 0
        self.reads = []

    def sweep_candidates(self, state):
        return list(self.index[state])

    def history_of(self, number):
        with self.lock:
            self.started += 1
            first_two = self.started <= 2
        if first_two:
            self.together.wait()  # breaks after 5 s when the reads come one after the other
        with self.lock:
            self.reads.append(number)
        return [f"history of {number}"]


def test_histories_are_read_at_once_and_the_requests_come_in_the_index_order():
    tickets = Tickets(per_state=45)
    walked = list(sweep_candidates(tickets, states=("waiting_customer", "resolved")))
    expected = [t.number for state in ("waiting_customer", "resolved") for t in tickets.index[state]]
    assert [ticket.number for ticket, _events in walked] == expected
    assert all(events == [f"history of {ticket.number}"] for ticket, events in walked)
    assert sorted(tickets.reads) == sorted(expected)  # each history read once


def test_a_history_that_cannot_be_read_stops_the_sweep_with_the_databases_error():
    from portal.domain.errors import BackendUnavailable

    tickets = Tickets(per_state=3)

    def unavailable(number):
        raise BackendUnavailable("dynamodb", "timeout")

    tickets.history_of = unavailable
    with pytest.raises(BackendUnavailable):
        list(sweep_candidates(tickets, states=("waiting_customer",)))


def test_under_moto_the_histories_are_read_in_the_sweeps_own_thread(moto_storage, tmp_path):
    """moto's tables are not thread-safe for a read beside a write: tests/conftest.py keeps the reads in the
    sweep's thread there (DynamoDB and DynamoDB Local take them on threads, as the test above shows)."""
    from tests.unit.sweeps.sweep_builders import file_request, paris, sweep_context

    context = sweep_context(moto_storage, tmp_path)
    numbers = [file_request(context, paris(11, 2, 9, minute), status="waiting_customer") for minute in range(3)]
    read_on = []
    history_of = context.tickets.history_of

    def watched(number):
        read_on.append(threading.current_thread())
        return history_of(number)

    context.tickets.history_of = watched
    walked = list(sweep_candidates(context.tickets, states=("waiting_customer",)))
    assert sorted(ticket.number for ticket, _events in walked) == sorted(numbers)
    assert read_on == [threading.current_thread()] * 3
