"""The sparse `sweep` index (sweep_state → sweep_since) holds the requests in a state some sweep acts on, and only
those: a closed request, or one closed while its files are awaited (S13), leaves it; a reopened one comes back."""

from __future__ import annotations

from dataclasses import replace

from portal.domain.history import EventKind
from portal.domain.tickets import SWEPT_STATES
from portal.services.sweeps.run import queue_key_of
from tests.unit.sweeps.sweep_builders import event, file_request, paris, sweep_context


def swept(context) -> set[str]:
    return {ticket.number for state in SWEPT_STATES for ticket in context.tickets.sweep_candidates(state)}


def test_only_requests_in_a_swept_state_are_in_the_sweep_index(moto_storage, tmp_path):
    context = sweep_context(moto_storage, tmp_path)
    numbers = {status: file_request(context, paris(11, 23, 9), status)
               for status in ("new", "in_progress", "waiting_customer", "escalated", "resolved", "awaiting_files",
                              "closed")}
    assert swept(context) == {numbers[s] for s in ("new", "in_progress", "waiting_customer", "escalated",
                                                   "resolved")}


def test_a_closed_request_leaves_the_sweep_index_and_comes_back_when_reopened(moto_storage, tmp_path):
    context = sweep_context(moto_storage, tmp_path)
    number = file_request(context, paris(11, 23, 9), "in_progress")
    ticket, _ = context.tickets.ticket_with_history(number)
    closed = context.tickets.apply(replace(ticket, status="closed", status_since=paris(11, 24, 9)),
                                   [event(EventKind.CLOSED, paris(11, 24, 9))], None)
    assert number not in swept(context)
    reopened = replace(closed, status="in_progress", status_since=paris(11, 25, 9))
    context.tickets.apply(reopened, [event(EventKind.REOPENED, paris(11, 25, 9), "acme-ann")],
                          queue_key_of(context.charter, reopened))
    [candidate] = context.tickets.sweep_candidates("in_progress")
    assert candidate.number == number and candidate.status_since == paris(11, 25, 9)
