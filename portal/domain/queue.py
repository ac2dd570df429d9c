"""The technicians' queue order (rules T2, P5, S4)."""

from __future__ import annotations

from datetime import UTC, datetime


def channel_rank(charter, channel: str) -> int:
    """Rule P5: web-form registrations first, then e-mail, then phone; 0 for all where the charter has no order."""
    if not charter.channel_priority:
        return 0
    try:
        return charter.channel_priority.index(channel)
    except ValueError:
        return len(charter.channel_priority)


def queue_key(charter, tier_id: str, channel: str, received: datetime) -> tuple[int, int, datetime]:
    """Sort key: tier priority (T2), then channel priority (P5), then arrival, first come first served (S4)."""
    return charter.tier(tier_id).priority, channel_rank(charter, channel), received.astimezone(UTC)
