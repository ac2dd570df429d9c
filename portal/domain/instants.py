"""Instants as text: the one ISO 8601 UTC form the tables, sort keys and the API write."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_utc(moment: datetime | None) -> str | None:
    """An instant as ISO 8601 text in UTC (it sorts as text, whatever the zone it was given in); None stays None."""
    return moment.astimezone(UTC).isoformat() if moment else None
