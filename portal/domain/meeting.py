"""The weekly meeting on unresolved requests (rule S8): each request's age in business days, its owner, the
last contact with the customer and the next step; and its export as CSV that no spreadsheet runs as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from portal.domain.closure import upcoming_actions
from portal.domain.history import EventKind, TicketEvent
from portal.domain.tickets import Ticket

# What counts as a contact with the customer: their own messages and files, and what support sent or tried.
CUSTOMER_SIDE = (EventKind.RECEIVED, EventKind.CUSTOMER_REPLIED, EventKind.FILES_RECEIVED, EventKind.REOPENED)
SUPPORT_SIDE = (EventKind.MESSAGE, EventKind.CONTACT_ATTEMPT, EventKind.WAITING_CUSTOMER, EventKind.AWAITING_FILES)

# The next step when nobody has written one and no closure rule is coming: what the status asks for.
NEXT_BY_STATUS = {"new": "take_it", "in_progress": "answer_customer", "waiting_customer": "await_customer",
                  "escalated": "follow_escalation", "awaiting_files": "await_files", "resolved": "await_confirmation"}

MAX_NEXT_STEP = 500


@dataclass(frozen=True)
class LastContact:
    at: datetime
    kind: str  # the event kind
    by_customer: bool
    outcome: str = ""  # contact attempts: reached, voicemail, no_answer (S5, S6, S11)


@dataclass(frozen=True)
class NextStep:
    code: str  # "written" (a person wrote it), a closure rule's action ("close", "remind", ...) or a status step
    text: str = ""  # what was written
    rule: str = ""  # the closure rule that will fire (S11, S12, T8, ...)
    at: datetime | None = None  # when it fires, or when it was written


@dataclass(frozen=True)
class MeetingRow:
    ticket: Ticket
    age_business_days: int
    owner_name: str  # "" when nobody owns it yet (S7)
    last_contact: LastContact | None
    next_step: NextStep
    problem_id: str = ""


def last_customer_contact(events: Iterable[TicketEvent]) -> LastContact | None:
    """The latest exchange with the customer, either way; internal notes do not count."""
    latest = None
    for event in events:
        counts = event.kind in CUSTOMER_SIDE or (event.kind in SUPPORT_SIDE and event.public)
        if counts and (latest is None or event.at >= latest.at):
            latest = event
    if latest is None:
        return None
    return LastContact(latest.at, str(latest.kind), latest.kind in CUSTOMER_SIDE, latest.data.get("outcome", ""))


def written_next_step(events: Iterable[TicketEvent]) -> TicketEvent | None:
    """The latest next step written at a meeting (an internal note marked as the next step)."""
    steps = [event for event in events if event.kind == EventKind.MESSAGE and event.data.get("next_step")]
    return max(steps, key=lambda event: event.at) if steps else None


def next_step(charter, calendar, ticket: Ticket, events: Sequence[TicketEvent], now: datetime) -> NextStep:
    """Rule S8: the step written at the last meeting; else the next closure rule that will fire (S11, S12, S13...;
    the director's review (T8) once it is due); else what the request's status asks for."""
    written = written_next_step(events)
    if written is not None:
        return NextStep("written", written.data.get("text", ""), "", written.at)
    coming = [decision for decision in upcoming_actions(charter, calendar, ticket.status, events, now)
              if decision.rule != "T8" or decision.at <= now]
    if coming:
        return NextStep(coming[0].action, "", coming[0].rule, coming[0].at)
    return NextStep(NEXT_BY_STATUS.get(ticket.status, "answer_customer"))


def meeting_row(charter, calendar, ticket: Ticket, events: Sequence[TicketEvent], now: datetime,
                owner_name: str = "", problem_id: str = "") -> MeetingRow:
    """One line of the meeting list; the age counts business days from receipt (weekends and holidays out)."""
    return MeetingRow(ticket, calendar.business_days_between(ticket.created_at, now), owner_name,
                      last_customer_contact(events), next_step(charter, calendar, ticket, events, now), problem_id)


def meeting_order(rows: Iterable[MeetingRow]) -> list[MeetingRow]:
    """Oldest first: the requests waiting longest are discussed first."""
    return sorted(rows, key=lambda row: (-row.age_business_days, row.ticket.created_at, row.ticket.number))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a value starting like a formula (=, +, -, @, tab, return) gets a
    leading apostrophe (CSV formula injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def to_csv(header: Sequence[str], lines: Iterable[Sequence[object]]) -> str:
    """CSV with every cell made safe (header included), quoted where needed, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for line in lines:
        writer.writerow([safe_cell(cell) for cell in line])
    return out.getvalue()
