"""What every sweep shares: what it needs, what it reports, and how it walks the requests it may act on."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from portal.domain.history import TicketEvent
from portal.domain.queue import queue_key
from portal.domain.tickets import SWEPT_STATES, Ticket, queue_sort_key

SWEEP_ACTOR = "sweep"


@dataclass
class SweepContext:
    """The charter, its calendar and the adapters a sweep works with (storage repositories, mailer)."""

    charter: object
    calendar: object
    tickets: object
    accounts: object
    staff: object
    mailer: object
    catalog: object = None
    base_url: str = "http://127.0.0.1:5000"
    rebuild_lifecycle: object = None  # called after a phase change to rebuild the public lifecycle page

    @classmethod
    def from_storage(cls, storage, charter, calendar, mailer, base_url: str) -> SweepContext:
        return cls(charter, calendar, storage.tickets, storage.accounts, getattr(storage, "staff", None), mailer,
                   storage.catalog, base_url.rstrip("/"))

    def link(self, path: str) -> str:
        return f"{self.base_url}{path}"


@dataclass
class SweepRun:
    """What a sweep did: how many requests it read, what fired on which request, what it skipped and why."""

    sweep: str
    now: datetime
    dry_run: bool = False
    candidates: int = 0
    fired: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    mails: int = 0

    def fire(self, number: str, rule: str, action: str, **details) -> None:
        self.fired.append({"number": number, "rule": rule, "action": action, **details})

    def skip(self, number: str, rule: str, reason: str) -> None:
        self.skipped.append({"number": number, "rule": rule, "reason": reason})

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.fired:
            counts[entry["rule"]] = counts.get(entry["rule"], 0) + 1
        return counts

    def as_json(self) -> dict:
        return {"sweep": self.sweep, "now": self.now.isoformat(), "dry_run": self.dry_run,
                "candidates": self.candidates, "fired": self.fired, "counts": self.counts(),
                "skipped": self.skipped, "mails": self.mails}


HISTORY_READS_AT_ONCE = 8  # a sweep's history queries in flight at once: each one mostly waits on the network


def history_readers(at_once: int) -> ThreadPoolExecutor:
    """The threads a sweep's history reads run on (under moto, whose tables are not thread-safe, the tests run
    them at once in the sweep's thread: tests/conftest.py)."""
    return ThreadPoolExecutor(max_workers=at_once, thread_name_prefix="sweep-history")


def sweep_candidates(tickets, states=SWEPT_STATES, at_once: int | None = None
                     ) -> Iterator[tuple[Ticket, list[TicketEvent]]]:
    """Each request in a state a sweep acts on, with its history, in the index's order: one query of the sparse
    sweep index per state, then one query per request for its events (closed requests are never read), `at_once`
    of them at a time on threads, so that thousands of open requests fit in the Lambda's 30 s."""
    at_once = at_once or HISTORY_READS_AT_ONCE
    window = at_once * 4
    with history_readers(at_once) as pool:
        for state in states:
            batch: list[Ticket] = []
            for ticket in tickets.sweep_candidates(state):
                batch.append(ticket)
                if len(batch) == window:
                    yield from zip(batch, pool.map(tickets.history_of, [t.number for t in batch]), strict=True)
                    batch = []
            yield from zip(batch, pool.map(tickets.history_of, [t.number for t in batch]), strict=True)


def queue_key_of(charter, ticket: Ticket) -> str | None:
    """The request's place in the technicians' queue (rules T2, P5, S4), kept as it was by a sweep's write."""
    if not ticket.is_open:
        return None
    order = queue_key(charter, ticket.tier, ticket.channel, ticket.created_at)
    return queue_sort_key(order[0], order[1], ticket.created_at, ticket.number)
