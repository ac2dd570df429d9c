"""The files a request carries, as its history records them: each event that brings files keeps, under
data["files"], a JSON list of {key, name, size, kind, sha256} (intake rule 4, P9, S13)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

MAX_FILES_PER_EVENT = 20


@dataclass(frozen=True)
class TicketFile:
    """A file accepted by its content and attached to a request."""

    key: str
    name: str
    size: int
    kind: str
    sha256: str


def encode_files(attachments: Iterable) -> str:
    """The event's record of accepted attachments (values with key, name, size, kind and sha256)."""
    return json.dumps([{"key": a.key, "name": a.name, "size": a.size, "kind": a.kind, "sha256": a.sha256}
                       for a in list(attachments)[:MAX_FILES_PER_EVENT]], separators=(",", ":"))


def files_of(event) -> tuple[TicketFile, ...]:
    """The files an event brought (none for an event without files, or with a record it cannot read)."""
    raw = event.data.get("files", "")
    if not raw:
        return ()
    try:
        return tuple(TicketFile(str(f["key"]), str(f["name"]), int(f["size"]), str(f["kind"]), str(f["sha256"]))
                     for f in json.loads(raw))
    except (ValueError, TypeError, KeyError):
        return ()


def request_files(events: Iterable) -> tuple[TicketFile, ...]:
    """Every file of a request's public history, oldest first."""
    return tuple(f for event in events if event.public for f in files_of(event))
