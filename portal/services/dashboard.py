"""The managers' dashboard: response-commitment attainment by tier and severity over the last 30 days, open
requests by age in business days, and the knowledge base's deflection (rule T7) where it is counted.

Two reads bound the work: the requests received in the last 30 days (the `received` index, from a date) and the
open requests (the `queue-cards` index); the deflection figures come from the knowledge base's own counters.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(days=30)
# Age buckets of open requests, in business days: (label code, lowest, highest or None); 10 is rule T8's review.
AGE_BUCKETS = (("0-1", 0, 1), ("2-4", 2, 4), ("5-9", 5, 9), ("10+", 10, None))


@dataclass(frozen=True)
class Attainment:
    """Requests of one tier and severity received in the window with a committed response time (S4, T3, E10)."""

    tier: str
    severity: int
    met: int  # answered by the due time
    missed: int  # answered late, or unanswered past the due time
    pending: int  # unanswered, still in time (not counted in the rate)

    @property
    def rate(self) -> float | None:
        decided = self.met + self.missed
        return self.met / decided if decided else None


def commitment_outcome(ticket, now: datetime) -> str | None:
    """"met", "missed" or "pending" for a request with a committed response time; None without one (G1, P6)."""
    if ticket.response_due is None:
        return None
    answered = getattr(ticket, "answered_at", None)
    if answered is not None:
        return "met" if answered <= ticket.response_due else "missed"
    return "missed" if now > ticket.response_due else "pending"


def attainment(charter, tickets, now: datetime) -> list[Attainment]:
    """Attainment per tier (the charter's order, best first) and severity, for the given requests."""
    counts: Counter = Counter()
    for ticket in tickets:
        outcome = commitment_outcome(ticket, now)
        if outcome:
            counts[(ticket.tier, int(ticket.severity), outcome)] += 1
    order = {tier.id: index for index, tier in enumerate(charter.tiers)}
    keys = sorted({(tier, severity) for tier, severity, _ in counts}, key=lambda k: (order.get(k[0], 99), k[0], k[1]))
    return [Attainment(tier, severity, counts[(tier, severity, "met")], counts[(tier, severity, "missed")],
                       counts[(tier, severity, "pending")]) for tier, severity in keys]


def age_buckets(calendar, open_tickets, now: datetime) -> list[tuple[str, int]]:
    """How many open requests fall in each age bucket (business days since receipt)."""
    counts = Counter()
    for ticket in open_tickets:
        days = calendar.business_days_between(ticket.created_at, now)
        for code, low, high in AGE_BUCKETS:
            if days >= low and (high is None or days <= high):
                counts[code] += 1
                break
    return [(code, counts[code]) for code, _low, _high in AGE_BUCKETS]


@dataclass(frozen=True)
class Dashboard:
    attainment: tuple[Attainment, ...]
    ages: tuple[tuple[str, int], ...]
    open_count: int
    received_count: int
    deflection: object | None  # portal.services.deflection.DeflectionSummary, when the counters are there


def dashboard(oversight, charter, calendar, now: datetime, deflection=None) -> Dashboard:
    """The dashboard's figures: two index queries, plus the deflection summary the caller read (or None)."""
    received = oversight.received_since(now - WINDOW)
    open_tickets = oversight.open_tickets()
    return Dashboard(tuple(attainment(charter, received, now)), tuple(age_buckets(calendar, open_tickets, now)),
                     len(open_tickets), len(received), deflection)
