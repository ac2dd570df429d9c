"""Requests (tickets): the record a customer files and the support team works, with its derived keys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from portal.domain.instants import iso_utc
from portal.domain.workflow import AWAITING_FILES, CLOSED, OPEN_STATES

CLOSED_STATES = (CLOSED,)
# States a request has ended in for the retention purge: closed, or closed until the customer's files arrive
# (S13), which may never happen; the retention clock runs from status_since.
RETENTION_ENDED_STATES = (CLOSED, AWAITING_FILES)
# States some scheduled sweep acts on (closure rules S11, S12, T8, the confirmation window, due warnings);
# a request awaiting files is left alone (S13) and a closed one leaves the sweep index.
SWEPT_STATES = tuple(state for state in (*OPEN_STATES, "resolved") if state != AWAITING_FILES)


def ticket_number(year: int, sequence: int) -> str:
    """Short, human and unique: the year and a six-digit sequence, e.g. 2026-000123."""
    return f"{year}-{sequence:06d}"


@dataclass(frozen=True)
class Ticket:
    number: str
    company_id: str
    contact_id: str
    created_at: datetime  # aware, UTC
    status: str
    status_since: datetime
    category: str
    severity: int
    tier: str
    channel: str  # "web" | "email" | "phone" (P5)
    subject: str
    product_id: str | None = None
    version: str | None = None
    facts: Mapping[str, str] = field(default_factory=dict)
    owner_id: str | None = None
    response_due: datetime | None = None
    revision: int = 0  # optimistic locking: a write based on an older revision is refused
    answered_at: datetime | None = None  # support's first answer: the response commitment is met (S4, T3, E10)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


def queue_sort_key(tier_priority: int, channel_priority: int, received: datetime, number: str) -> str:
    """The queue order as text (rules T2, P5, S4): tier, then channel, then arrival, first come first served."""
    return f"{tier_priority:02d}#{channel_priority:02d}#{iso_utc(received)}#{number}"


@dataclass(frozen=True)
class TicketSummary:
    number: str  # e.g. 2026-000123
    subject: str
    status: str
    category: str
    severity: int
    created_at: datetime
    response_due: datetime | None = None
    product_id: str | None = None
    version: str | None = None
    contact_id: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATES


@dataclass(frozen=True)
class FollowUpTask:
    """Someone must follow a request up: a manager after a dissatisfied survey answer (G3), the director after
    ten business days unresolved (T8)."""

    kind: str  # "dissatisfied_survey" | "director_review"
    ticket_number: str
    role: str  # who does it: "manager" | "director"
    due: datetime
    created: datetime
    owner_id: str | None = None
    done: bool = False
    note: str = ""
