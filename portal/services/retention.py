"""The retention purge: closed requests kept longer than the charter's `[retention]` allows are deleted with
their history and the files sent on them (GDPR art. 5(1)(e), Law 25). Scheduled daily; idempotent."""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime


def months_before(moment: datetime, months: int) -> datetime:
    """The same instant `months` calendar months earlier (the last day of a shorter month when needed)."""
    moment = moment.astimezone(UTC)
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def retention_cutoff(charter, now: datetime) -> datetime:
    """Requests closed before this instant are past the charter's retention (closed exactly then are kept)."""
    return months_before(now, charter.retention.closed_requests_months)


@dataclass
class PurgeRun:
    now: datetime
    cutoff: datetime
    dry_run: bool = False
    candidates: int = 0
    purged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # reopened meanwhile
    files_deleted: int = 0

    def as_json(self) -> dict:
        return {"sweep": "retention_purge", "now": self.now.isoformat(), "cutoff": self.cutoff.isoformat(),
                "dry_run": self.dry_run, "candidates": self.candidates, "purged": self.purged, "kept": self.kept,
                "files_deleted": self.files_deleted}


def _file_keys(items: list[dict]) -> list[str]:
    keys = []
    for item in items:
        raw = (item.get("data") or {}).get("files") if item.get("item_type") == "event" else None
        try:
            keys += [entry["key"] for entry in json.loads(raw or "[]") if isinstance(entry, dict) and entry.get("key")]
        except (ValueError, TypeError):
            continue
    return list(dict.fromkeys(keys))


def _accepted_record(key: str) -> str | None:
    parts = key.split("/")
    return f"accepted/{parts[1]}/{parts[2]}.json" if len(parts) >= 4 and parts[0] == "uploads" else None


def run_retention_purge(retention, files, charter, now: datetime, dry_run: bool = False) -> PurgeRun:
    """Delete each request closed before the charter's cutoff, its files first and the request last; a request
    reopened meanwhile is kept. With `dry_run`, only say which requests would go."""
    cutoff = retention_cutoff(charter, now)
    run = PurgeRun(now, cutoff, dry_run)
    cutoff_text = cutoff.isoformat()
    for ticket in retention.closed_before(cutoff_text):
        number = ticket["number"]
        run.candidates += 1
        if dry_run:
            run.purged.append(number)
            continue
        if not retention.claim(number, cutoff_text):
            run.kept.append(number)
            continue
        for key in _file_keys(retention.request_items(number)):
            files.delete(key)
            record = _accepted_record(key)
            if record:
                files.delete(record)
            run.files_deleted += 1
        retention.delete_request(number)
        run.purged.append(number)
    return run
