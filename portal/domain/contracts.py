"""What a contract means for the customer today: renewal and notice (P1), channels (E5, T5), remote (E7)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from portal.domain.accounts import Contract
from portal.domain.lifecycle import add_months


@dataclass(frozen=True)
class Renewal:
    renews_automatically: bool
    next_period_starts: datetime.date
    last_day_to_cancel: datetime.date | None  # None when the charter sets no notice period
    can_still_cancel: bool
    next_period_ends: datetime.date | None = None  # the renewed period's last day, when it renews
    cancelled_on: datetime.date | None = None  # the customer's cancellation, when one came in


def renewal(charter, contract: Contract, today: datetime.date) -> Renewal:
    """Rule P1: a contract renews on the day after it ends, for `renewal_months`, unless the customer cancelled
    by the last day to cancel (`notice_months` before); a later cancellation ends it after the next period."""
    terms = charter.contract
    starts = contract.ends + datetime.timedelta(days=1)
    last_day = add_months(starts, -terms.notice_months) if terms.notice_months else None
    cancelled = contract.cancelled_on is not None and (last_day is None or contract.cancelled_on <= last_day)
    automatic = (contract.auto_renew or terms.automatic_renewal) and not cancelled
    ends = add_months(starts, terms.renewal_months) - datetime.timedelta(days=1) if automatic else None
    return Renewal(automatic, starts, last_day, last_day is not None and today <= last_day and not cancelled, ends,
                   contract.cancelled_on)


def renewed(charter, contract: Contract, today: datetime.date) -> Contract | None:
    """Rule P1: the contract as its automatic renewals have carried it to `today` (each period for
    `renewal_months`, until a cancellation in time stops them); None when none is due."""
    current = contract
    while current.ends < today:
        terms = renewal(charter, current, today)
        if not terms.renews_automatically:
            break
        current = replace(current, ends=terms.next_period_ends)
    return current if current is not contract else None


def in_force_terms(charter, contracts, today: datetime.date) -> tuple[Contract, ...]:
    """The company's contracts with the automatic renewals due by `today` applied (rule P1), whether or not the
    daily renewal has recorded them yet."""
    return tuple(renewed(charter, contract, today) or contract for contract in contracts)


def contracts_in_force(charter, contracts, today: datetime.date) -> tuple[Contract, ...]:
    """The contracts that cover `today`, their automatic renewals applied (rules S1, E1, P1)."""
    return tuple(contract for contract in in_force_terms(charter, contracts, today) if contract.is_active(today))


def contract_state(contract: Contract, today: datetime.date) -> str:
    """`active`, `upcoming` or `ended` on a date (rule S1: support only under a contract in force)."""
    if today < contract.starts:
        return "upcoming"
    return "active" if contract.is_active(today) else "ended"
