"""What a contract means for the customer today: renewal and notice (P1), channels (E5, T5), remote (E7)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from portal.domain.accounts import Contract
from portal.domain.lifecycle import add_months


@dataclass(frozen=True)
class Renewal:
    renews_automatically: bool
    next_period_starts: datetime.date
    last_day_to_cancel: datetime.date | None  # None when the charter sets no notice period
    can_still_cancel: bool


def renewal(charter, contract: Contract, today: datetime.date) -> Renewal:
    """Rule P1: a contract renews on the day after it ends; it can be cancelled until `notice_months` before."""
    terms = charter.contract
    starts = contract.ends + datetime.timedelta(days=1)
    automatic = contract.auto_renew or terms.automatic_renewal
    last_day = add_months(starts, -terms.notice_months) if terms.notice_months else None
    return Renewal(automatic, starts, last_day, last_day is not None and today <= last_day)


def contract_state(contract: Contract, today: datetime.date) -> str:
    """`active`, `upcoming` or `ended` on a date (rule S1: support only under a contract in force)."""
    if today < contract.starts:
        return "upcoming"
    return "active" if contract.is_active(today) else "ended"
