"""Numbers, sizes and percentages on pages, written as readers of the page's language write them."""

from __future__ import annotations

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _


def size_label(size: int) -> str:
    """A file size for people, in the visitor's language (1 MB = 1,000,000 bytes)."""
    if size >= 1_000_000:
        return _("%(size)s MB", size=format_decimal(round(size / 1_000_000, 1)))
    if size >= 1_000:
        return _("%(size)s kB", size=format_decimal(round(size / 1_000, 1)))
    return _("%(size)s bytes", size=format_decimal(size))


def decimal_label(value) -> str:
    """A number (hours of credit, say) with the language's decimal sign: 2,5 in French and Dutch, 2.5 in English."""
    return "—" if value is None else format_decimal(value)


def percent_label(rate: float | None) -> str:
    """A rate between 0 and 1 as a whole percentage in the page's language ("93 %" in French, "93%" in English)."""
    return "—" if rate is None else format_percent(rate)
