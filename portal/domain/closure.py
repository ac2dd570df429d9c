"""When a request closes, or needs someone, by the charter's rules: pure functions of its history and `now`.

The sweeps ask `due_actions` what to do now and act on it; pages ask `upcoming_actions` when each rule will
fire. Each action names its rule (S11, S12, S14, T8, the confirmation window) and the instant it fires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.domain.history import EventKind, TicketEvent
from portal.domain.request_clock import request_clock
from portal.domain.workflow import AWAITING_FILES, CLOSED, RESOLVED, WAITING_CUSTOMER

FAILED_OUTCOMES = ("voicemail", "no_answer")


@dataclass(frozen=True)
class ClosureAction:
    rule: str  # "S11" | "S12" | "S12-reminder" | "S14" | "T8" | "confirmation"
    action: str  # "close" | "remind" | "director_review"
    at: datetime  # when it fires
    reason: str  # "unreachable" | "no_reply" | "resolved" | "unresolved_10_days" | ...


def _sorted(events) -> list[TicketEvent]:
    return sorted(events, key=lambda event: event.at)


def _last(events, kinds) -> TicketEvent | None:
    return next((event for event in reversed(_sorted(events)) if event.kind in kinds), None)


def failed_contact_closure(charter, calendar, events) -> ClosureAction | None:
    """Rule S11: three unsuccessful contact attempts within two business days close the request as unreachable.

    A reached attempt or a message from the customer starts the count again.
    """
    rules = charter.closure
    if not rules.failed_contacts:
        return None
    failed: list[TicketEvent] = []
    for event in _sorted(events):
        if event.kind == EventKind.CONTACT_ATTEMPT and event.data.get("outcome") in FAILED_OUTCOMES:
            failed.append(event)
        elif event.kind in (EventKind.CONTACT_ATTEMPT, EventKind.CUSTOMER_REPLIED, EventKind.FILES_RECEIVED,
                            EventKind.REOPENED):
            failed = []
    count, within = rules.failed_contacts, rules.failed_contacts_within_business_days or 0
    for index in range(len(failed) - count + 1):
        first, last = failed[index], failed[index + count - 1]
        if last.at <= calendar.add_business_days(first.at, within):
            return ClosureAction("S11", "close", last.at, "unreachable")
    return None


def no_reply_closure(charter, calendar, status: str, events) -> list[ClosureAction]:
    """Rule S12: waiting for the customer's reply N business days closes it; a reminder goes a day before."""
    rules = charter.closure
    if status != WAITING_CUSTOMER or not rules.awaiting_customer_business_days:
        return []
    asked = _last(events, (EventKind.WAITING_CUSTOMER,))
    if asked is None:
        return []
    closes_at = calendar.add_business_days(asked.at, rules.awaiting_customer_business_days)
    actions = [ClosureAction("S12", "close", closes_at, "no_reply")]
    before = rules.awaiting_customer_reminder_business_days
    if before and before < rules.awaiting_customer_business_days:
        remind_at = calendar.add_business_days(asked.at, rules.awaiting_customer_business_days - before)
        actions.insert(0, ClosureAction("S12-reminder", "remind", remind_at, "no_reply_soon"))
    return actions


def resolved_closure(charter, calendar, status: str, events) -> ClosureAction | None:
    """Rule S14 and the confirmation window: a resolved request closes after the window (at once without one)."""
    if status != RESOLVED:
        return None
    resolved = _last(events, (EventKind.RESOLVED,))
    if resolved is None:
        return None
    window = charter.closure.confirmation_window_business_days
    at = calendar.add_business_days(resolved.at, window) if window else resolved.at
    return ClosureAction("S14" if not window else "confirmation", "close", at, "resolved")


def director_review(charter, calendar, status: str, events, now: datetime) -> ClosureAction | None:
    """Rule T8: unresolved after N business days on the request's own clock, the director reviews it, once."""
    days = charter.closure.director_review_business_days
    if not days or status in (RESOLVED, CLOSED, AWAITING_FILES):
        return None
    if any(event.kind == EventKind.DIRECTOR_REVIEW for event in events):
        return None
    clock = request_clock(calendar, events, now)
    if clock.business_days >= days:
        return ClosureAction("T8", "director_review", now, "unresolved_10_days")
    if clock.paused_since is not None:
        return None
    return ClosureAction("T8", "director_review", calendar.add_business_days(now, days - clock.business_days),
                         "unresolved_10_days")


def upcoming_actions(charter, calendar, status: str, events, now: datetime) -> list[ClosureAction]:
    """Every rule that will fire for this request, with its instant (past instants are due now)."""
    if status in (CLOSED, AWAITING_FILES):
        return []  # rule S13: a request closed while awaiting files waits for them; the sweeps leave it alone
    actions: list[ClosureAction] = []
    unreachable = failed_contact_closure(charter, calendar, events)
    if unreachable:
        actions.append(unreachable)
    actions += no_reply_closure(charter, calendar, status, events)
    resolved = resolved_closure(charter, calendar, status, events)
    if resolved:
        actions.append(resolved)
    review = director_review(charter, calendar, status, events, now)
    if review:
        actions.append(review)
    return sorted(actions, key=lambda action: action.at)


def due_actions(charter, calendar, status: str, events, now: datetime) -> list[ClosureAction]:
    """What a sweep must do now: the actions whose instant has come, a reminder only if not sent yet."""
    sent = {event.data.get("rule") for event in events if event.kind == EventKind.REMINDER_SENT}
    due = [action for action in upcoming_actions(charter, calendar, status, events, now) if action.at <= now]
    return [action for action in due if not (action.action == "remind" and action.rule in sent)]
