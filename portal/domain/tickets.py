"""Requests (tickets) as the customer pages list them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.domain.workflow import CLOSED

CLOSED_STATES = (CLOSED,)


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

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATES
