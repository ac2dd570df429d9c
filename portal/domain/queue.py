"""The technicians' queue order (rules T2, P5, S4)."""

from __future__ import annotations

from datetime import UTC, datetime

from portal.domain.calendar import NaiveDatetimeError

AHEAD_COUNTED_UP_TO = 50
"""Rules S4, T2: a customer learns their exact place while at most this many requests are ahead; beyond it, that
more than this many are. Counting reads each request ahead, so filing costs the same however long the queue."""


def position_from_ahead(ahead_counted: int) -> int:
    """The place in the queue from the requests counted ahead (counted up to AHEAD_COUNTED_UP_TO + 1)."""
    return min(ahead_counted, AHEAD_COUNTED_UP_TO + 1) + 1


def position_is_exact(position: int) -> bool:
    """Rules S4, T2: a position past AHEAD_COUNTED_UP_TO + 1 only says that more than that many are ahead."""
    return position <= AHEAD_COUNTED_UP_TO + 1


def channel_rank(charter, channel: str) -> int:
    """Rule P5: web-form registrations first, then e-mail, then phone; 0 for all where the charter has no order.

    A channel the charter's order does not name comes after those it names.
    """
    if not charter.channel_priority:
        return 0
    try:
        return charter.channel_priority.index(channel)
    except ValueError:
        return len(charter.channel_priority)


def queue_key(charter, tier_id: str, channel: str, received: datetime) -> tuple[int, int, datetime]:
    """Rules T2, P5, S4: tier priority, then channel priority, then arrival (first come, first served).

    :raise UnknownTier: for a tier the charter does not have. :raise NaiveDatetimeError: for a time without a zone.
    """
    if received.tzinfo is None or received.utcoffset() is None:
        raise NaiveDatetimeError(f"a time zone is required: {received.isoformat()}")
    return charter.tier(tier_id).priority, channel_rank(charter, channel), received.astimezone(UTC)
