"""Problem records: open one, link requests to it, close it once corrected or planned (rules S9, P8, T8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.domain.errors import NotFound
from portal.domain.history import EventKind, TicketEvent
from portal.domain.problems import (
    CLOSED,
    MAX_TEXT,
    OPEN,
    ProblemRecord,
    ProblemRefused,
    check_link,
    check_new_record,
)
from portal.domain.tickets import Ticket


@dataclass(frozen=True)
class ProblemPage:
    record: ProblemRecord
    tickets: tuple[Ticket, ...]  # the linked requests that still exist, by number


def open_problem(problems, kind: str, title: str, actor: str, now: datetime, product_id: str | None = None,
                 version: str | None = None, description: str = "") -> ProblemRecord:
    """A new record in the problem database (defect, rule S9) or the feature backlog (rule P8).

    :raise ProblemRefused: unknown kind, or a missing or too long title.
    """
    check_new_record(kind, title)
    record = ProblemRecord(problems.next_id(now.year), kind, title.strip(), now, actor, product_id or None,
                           version or None, OPEN, description.strip()[:MAX_TEXT])
    problems.create(record)
    return record


def link_request(problems, tickets, number: str, record_id: str, cause: str, actor: str,
                 now: datetime) -> ProblemRecord:
    """Link a request to a problem record; the request's history says so (PROBLEM_LINKED, shown to the customer:
    the follow-up is shared, rule G9). Rule S9: only a programming defect joins the problem database.

    :raise NotFound: no such request or record. :raise ProblemRefused: see `check_link`.
    """
    record = problems.get(record_id) if record_id else None
    found = tickets.ticket_with_history(number) if number else None
    if record is None or found is None:
        raise NotFound(record_id if record is None else number)
    check_link(record, cause, problems.linked_problem(number))
    data = {"problem": record.problem_id, "kind": record.kind, "title": record.title}
    if cause:
        data["cause"] = cause
    problems.link(number, record.problem_id, TicketEvent(EventKind.PROBLEM_LINKED, now, actor, True, data))
    return record


def problem_page(problems, tickets, record_id: str) -> ProblemPage:
    """A record with its linked requests (one query per request, bounded by the record's links).

    :raise NotFound: when there is no such record.
    """
    record = problems.get(record_id) if record_id else None
    if record is None:
        raise NotFound(record_id)
    linked = [found[0] for found in (tickets.ticket_with_history(number) for number in record.tickets) if found]
    return ProblemPage(record, tuple(linked))


def list_problems(problems, kind: str | None = None, status: str | None = OPEN) -> list[ProblemRecord]:
    """The records of one kind (all kinds when None) and status (all when None), newest first."""
    records = [record for record in problems.all()
               if (kind is None or record.kind == kind) and (status is None or record.status == status)]
    return sorted(records, key=lambda record: record.created_at, reverse=True)


def close_problem(problems, record_id: str, resolution: str) -> None:
    """Close a record once corrected or planned, with what the customers are told (e.g. "fixed in 2026.2").

    :raise NotFound: no such record. :raise ProblemRefused: `resolution_required`.
    """
    if not resolution.strip():
        raise ProblemRefused("resolution_required")
    problems.set_status(record_id, CLOSED, resolution.strip()[:MAX_TEXT])


def reopen_problem(problems, record_id: str) -> None:
    """:raise NotFound: no such record."""
    problems.set_status(record_id, OPEN, "")
