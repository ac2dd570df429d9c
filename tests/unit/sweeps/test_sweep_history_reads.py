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
