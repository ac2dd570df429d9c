"""Builders for the e-mail tests: the sample messages of messages/, read as bytes."""

from __future__ import annotations

from pathlib import Path

MESSAGES = Path(__file__).resolve().parent / "messages"


def sample(name: str, **replace: str) -> bytes:
    """A sample message's bytes; `replace` swaps texts in it (e.g. a request number)."""
    raw = (MESSAGES / name).read_bytes()
    for old, new in replace.items():
        raw = raw.replace(old.encode(), new.encode())
    return raw
