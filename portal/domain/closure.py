"""When a request closes, reopens or needs someone, by the charter's rules: pure functions of its status, its
history and `now`.

The sweeps ask `due_actions` what to do now and act on it; pages ask `upcoming_actions` when each rule will
fire. Each decision names its rule (S11, S12, S12-reminder, S13, S14, T8, the confirmation window) and the
instant it fires. Nothing here writes: the caller records what it did as events (CLOSED, REOPENED,
REMINDER_SENT, DIRECTOR_REVIEW), and those events keep a decision from being taken twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from portal.domain.history import EventKind, TicketEvent
from portal.domain.request_clock import business_days_reached_at, request_clock
from portal.domain.workflow import AWAITING_FILES, CLOSED, RESOLVED, WAITING_CUSTOMER

FAILED_OUTCOMES = ("voicemail", "no_answer")
# What shows the customer is there again: the count of failed attempts starts over (rule S11).
CUSTOMER_HEARD = (EventKind.CUSTOMER_REPLIED, EventKind.FILES_RECEIVED, EventKind.REOPENED)


@dataclass(frozen=True)
class ClosureDecision:
    rule: str  # "S11" | "S12" | "S12-reminder" | "S13" | "S14" | "T8" | "confirmation"
    action: str  # "close" | "reopen" | "remind" | "director_review"
    at: datetime  # when it fires (a past instant: due now)
    reason: str  # "unreachable" | "no_reply" | "no_reply_soon" | "awaiting_files" | "files_received" | ...


def _sorted(events: Iterable[TicketEvent]) -> list[TicketEvent]:
    return sorted(events, key=lambda event: event.at)


def _last(events: Iterable[TicketEvent], kinds) -> TicketEvent | None:
    return next((event for event in reversed(_sorted(events)) if event.kind in kinds), None)


def failed_contact_closure(charter, calendar, events) -> ClosureDecision | None:
    """Rule S11: three unsuccessful contact attempts (voicemail or no answer) within two business days close the
    request as unreachable; a reached attempt or word from the customer starts the count again."""
    rules = charter.closure
    if not rules.failed_contacts:
        return None
    failed: list[TicketEvent] = []
    for event in _sorted(events):
        if event.kind == EventKind.CONTACT_ATTEMPT and event.data.get("outcome") in FAILED_OUTCOMES:
            failed.append(event)
        elif event.kind == EventKind.CONTACT_ATTEMPT or event.kind in CUSTOMER_HEARD:
            failed = []
    count, within = rules.failed_contacts, rules.failed_contacts_within_business_days or 0
    for index in range(len(failed) - count + 1):
        first, last = failed[index], failed[index + count - 1]
        if last.at <= calendar.add_business_days(first.at, within):
            return ClosureDecision("S11", "close", last.at, "unreachable")
    return None


REPLY_AWAITED = (EventKind.WAITING_CUSTOMER, EventKind.AWAITING_FILES)  # rule S12: information or files asked


def no_reply_closure(charter, calendar, status: str, events) -> list[ClosureDecision]:
    """Rule S12: a reply awaited from the customer for three business days closes the request; a reminder goes
    one business day before."""
    rules = charter.closure
    if status != WAITING_CUSTOMER or not rules.awaiting_customer_business_days:
        return []
    asked = _last(events, REPLY_AWAITED)
    if asked is None:
        return []
    closes_at = calendar.add_business_days(asked.at, rules.awaiting_customer_business_days)
    decisions = [ClosureDecision("S12", "close", closes_at, "no_reply")]
    before = rules.awaiting_customer_reminder_business_days
    if before and before < rules.awaiting_customer_business_days:
        remind_at = calendar.add_business_days(asked.at, rules.awaiting_customer_business_days - before)
        decisions.insert(0, ClosureDecision("S12-reminder", "remind", remind_at, "no_reply_soon"))
    return decisions


def awaiting_files_closure(charter, status: str, events) -> ClosureDecision | None:
    """Rule S13: a request is closed while the files asked for are awaited, and reopened when they arrive."""
    if not charter.closure.close_while_awaiting_files:
        return None
    asked = _last(events, (EventKind.AWAITING_FILES,))
    if asked is None:
        return None
    arrived = _last(events, (EventKind.FILES_RECEIVED,))
    if arrived is not None and arrived.at >= asked.at:
        return ClosureDecision("S13", "reopen", arrived.at, "files_received") if status == AWAITING_FILES else None
    if status not in (AWAITING_FILES, RESOLVED, CLOSED):
        return ClosureDecision("S13", "close", asked.at, "awaiting_files")
    return None


def resolved_closure(charter, calendar, status: str, events) -> ClosureDecision | None:
    """Rule S14: a request resolved by mutual agreement closes; after the confirmation window where the charter
    has one, at once otherwise. Without either rule it stays resolved until someone closes it."""
    if status != RESOLVED:
        return None
    resolved = _last(events, (EventKind.RESOLVED,))
    if resolved is None:
        return None
    window = charter.closure.confirmation_window_business_days
    if window:
        return ClosureDecision("confirmation", "close", calendar.add_business_days(resolved.at, window), "resolved")
    if charter.closure.mutual_agreement:
        return ClosureDecision("S14", "close", resolved.at, "resolved")
    return None


def director_review(charter, calendar, status: str, events, now: datetime) -> ClosureDecision | None:
    """Rule T8: unresolved after ten business days on the request's own clock, the director reviews it, once."""
    days = charter.closure.director_review_business_days
    if not days or status in (RESOLVED, CLOSED, AWAITING_FILES):
        return None
    if any(event.kind == EventKind.DIRECTOR_REVIEW for event in events):
        return None
    reached = business_days_reached_at(calendar, request_clock(calendar, events, now), days)
    return ClosureDecision("T8", "director_review", reached, "unresolved_10_days") if reached else None


def upcoming_actions(charter, calendar, status: str, events, now: datetime) -> list[ClosureDecision]:
    """Every rule that will fire for this request, earliest first, with its instant (past instants are due)."""
    events = list(events)
    decisions: list[ClosureDecision] = []
    files = awaiting_files_closure(charter, status, events)
    if files:
        decisions.append(files)
    if status in (CLOSED, AWAITING_FILES):
        return decisions  # closed, or closed while its files are awaited (S13): only the files reopen it
    unreachable = failed_contact_closure(charter, calendar, events)
    if unreachable:
        decisions.append(unreachable)
    decisions += no_reply_closure(charter, calendar, status, events)
    resolved = resolved_closure(charter, calendar, status, events)
    if resolved:
        decisions.append(resolved)
    review = director_review(charter, calendar, status, events, now)
    if review:
        decisions.append(review)
    return sorted(decisions, key=lambda decision: decision.at)


def due_actions(charter, calendar, status: str, events, now: datetime) -> list[ClosureDecision]:
    """What a sweep must do now: the decisions whose instant has come, a reminder only if not sent yet."""
    events = list(events)
    sent = {event.data.get("rule") for event in events if event.kind == EventKind.REMINDER_SENT}
    due = [decision for decision in upcoming_actions(charter, calendar, status, events, now) if decision.at <= now]
    return [decision for decision in due if not (decision.action == "remind" and decision.rule in sent)]
