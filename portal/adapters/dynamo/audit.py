"""The audit trail of staff actions on personal data: append-only.

| who                                   | table | key                                             |
|---------------------------------------|-------|-------------------------------------------------|
| record an action                      | audit | month=YYYY-MM, entry_id=<iso time>#<random>     |
| an admin reads or exports one month   | audit | month (one query, newest first)                 |

Each entry is written once with a condition that it does not exist yet; this repository has no update and no
delete (the table's IAM policy in infra/ grants the portal PutItem and Query only).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pynamodb.exceptions import PutError

from portal.adapters.dynamo.errors import dynamo_errors, is_condition_failure
from portal.adapters.dynamo.models import AuditModel, plain_map

MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str  # "contact_viewed" | "contact_exported" | "contact_erased" | "role_changed" | "audit_exported"
    subject: str = ""
    company_id: str = ""
    details: dict = field(default_factory=dict)


def month_of(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m")


class AuditRepository:
    @dynamo_errors
    def record(self, actor: str, action: str, subject: str, at: datetime, company_id: str = "",
               details: dict | None = None) -> AuditEntry:
        """Append one entry (a new key each time; never overwrites one)."""
        at = at.astimezone(UTC)
        for attempt in range(MAX_ATTEMPTS):
            item = AuditModel(month_of(at), f"{at.isoformat()}#{secrets.token_hex(4)}", at=at.isoformat(),
                              actor=actor, action=action, subject=subject, company_id=company_id or None,
                              details={str(key): str(value) for key, value in (details or {}).items()})
            try:
                item.save(condition=AuditModel.entry_id.does_not_exist())
            except PutError as error:
                if is_condition_failure(error) and attempt < MAX_ATTEMPTS - 1:
                    continue
                raise
            return _entry(item)
        raise AssertionError("unreachable")

    @dynamo_errors
    def of_month(self, month: str, limit: int | None = None) -> list[AuditEntry]:
        """One month's entries, newest first (one paged query on the month's partition)."""
        return [_entry(item) for item in AuditModel.query(month, scan_index_forward=False, limit=limit)]


def _entry(item: AuditModel) -> AuditEntry:
    details = plain_map(item.details)
    return AuditEntry(datetime.fromisoformat(item.at), item.actor, item.action, item.subject or "",
                      item.company_id or "", details)
