"""The managers' and the director's work: the weekly meeting list (rule S8), the director's review of requests
unresolved for ten business days with its decisions (rule T8), and the follow-up tasks after a dissatisfied
survey answer (rule G3) or a director's decision."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from portal.domain.closure import director_review
from portal.domain.errors import NotFound
from portal.domain.history import EventKind, TicketEvent
from portal.domain.meeting import MAX_NEXT_STEP, MeetingRow, meeting_order, meeting_row
from portal.domain.problems import (
    DEFECT,
    FEATURE,
    MAX_TITLE,
    OPEN,
    PROGRAM_DEFECT,
    ProblemRecord,
    ProblemRefused,
    check_new_record,
)
from portal.domain.tickets import FollowUpTask, Ticket, queue_sort_key
from portal.domain.workflow import next_state

# The director's decisions (rule T8): close (not critical, or a feature request for a future version), or
# escalate a malfunction for correction and record it in the problem database.
CLOSE_NOT_CRITICAL = "close_not_critical"
CLOSE_FEATURE_REQUEST = "close_feature_request"
ESCALATE_MALFUNCTION = "escalate_malfunction"
DECISIONS = (CLOSE_NOT_CRITICAL, CLOSE_FEATURE_REQUEST, ESCALATE_MALFUNCTION)

SATISFACTION_FOLLOW_UP = "satisfaction_follow_up"
SATISFACTION_AFTER_BUSINESS_DAYS = 2  # the director asks the customer how it went two business days later
MAX_NOTE = 2_000


class NotForReview(Exception):
    """The request is not (or no longer) waiting for the director's review (rule T8)."""


def queue_key_for(charter):
    """The queue key of an open request (rules T2, P5, S4); None once it leaves the queue."""
    from portal.domain.queue import queue_key

    def key(ticket: Ticket) -> str | None:
        if not ticket.is_open:
            return None
        order = queue_key(charter, ticket.tier, ticket.channel, ticket.created_at)
        return queue_sort_key(order[0], order[1], ticket.created_at, ticket.number)

    return key


# --- the weekly meeting (S8) ------------------------------------------------------------------------------


def meeting_list(oversight, tickets, staff, charter, calendar, now: datetime) -> list[MeetingRow]:
    """Rule S8: every unresolved request, oldest first, with its age in business days, owner, last contact with
    the customer and next step. One query for the open requests, one per request for its history, one batch for
    the owners' names: bounded by the open requests, never by history."""
    open_tickets = oversight.open_tickets()
    names = {member.staff_id: member.name
             for member in staff.get_many({t.owner_id for t in open_tickets if t.owner_id}).values()}
    rows = []
    for ticket in open_tickets:
        events = tickets.history_of(ticket.number)
        problem = _linked_record(events)
        rows.append(meeting_row(charter, calendar, ticket, events, now, names.get(ticket.owner_id or "", ""),
                                problem))
    return meeting_order(rows)


def _linked_record(events) -> str:
    """The record a request is linked to, from its history: the last PROBLEM_LINKED no later one `replaces`
    (the director's decision may move a request to a record of its kind, rule T8)."""
    links = [event.data.get("problem", "") for event in events if event.kind == EventKind.PROBLEM_LINKED]
    left = {event.data.get("replaces") for event in events if event.kind == EventKind.PROBLEM_LINKED}
    return next((problem for problem in reversed(links) if problem not in left), links[-1] if links else "")


def record_next_step(oversight, tickets, number: str, text: str, actor: str, now: datetime) -> None:
    """Rule S8: the next step agreed at the meeting, kept as an internal note in the request's history.

    :raise NotFound: no such request. :raise ValueError: an empty text.
    """
    text = text.strip()[:MAX_NEXT_STEP]
    if not text:
        raise ValueError("next_step_required")
    if tickets.ticket_with_history(number) is None:
        raise NotFound(number)
    oversight.append_events(number, [TicketEvent(EventKind.MESSAGE, now, actor, False,
                                                 {"text": text, "next_step": "yes", "rule": "S8"})])


# --- the director (T8) ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewItem:
    ticket: Ticket
    since: datetime  # when the ten business days were reached (or the sweep flagged it)
    age_business_days: int
    owner_name: str = ""


def _decided(events) -> bool:
    return any(event.kind == EventKind.DIRECTOR_REVIEW and event.data.get("decision") for event in events)


def review_since(charter, calendar, ticket: Ticket, events, now: datetime) -> datetime | None:
    """Rule T8: when this request came up for the director's review (ten business days on its own clock, or a
    sweep's DIRECTOR_REVIEW mark), or None when it is not up for review or was decided already."""
    if not ticket.is_open or _decided(events):
        return None
    flagged = [event.at for event in events if event.kind == EventKind.DIRECTOR_REVIEW]
    if flagged:
        return min(flagged)
    decision = director_review(charter, calendar, ticket.status, events, now)
    return decision.at if decision and decision.at <= now else None


def director_list(oversight, tickets, staff, charter, calendar, now: datetime) -> list[ReviewItem]:
    """Rule T8: the unresolved requests whose ten business days are reached, longest waiting first (nothing
    where the charter has no such rule)."""
    if not charter.closure.director_review_business_days:
        return []
    open_tickets = oversight.open_tickets()
    names = {member.staff_id: member.name
             for member in staff.get_many({t.owner_id for t in open_tickets if t.owner_id}).values()}
    items = []
    for ticket in open_tickets:
        since = review_since(charter, calendar, ticket, tickets.history_of(ticket.number), now)
        if since is not None:
            items.append(ReviewItem(ticket, since, calendar.business_days_between(ticket.created_at, now),
                                    names.get(ticket.owner_id or "", "")))
    return sorted(items, key=lambda item: item.since)


def director_decide(tickets, problems, charter, calendar, number: str, decision: str, actor: str, now: datetime,
                    note: str = "", problem_id: str = "") -> Ticket:
    """Rule T8: the director's decision on a request unresolved for ten business days, once: close it as not
    critical, close it as a feature request for a future version (in the feature backlog), or escalate a
    malfunction for correction (in the problem database). A satisfaction follow-up is then due.

    `problem_id` links to an existing record of the right kind; without it the record the request is linked to is
    kept when it is of the decision's kind, else a new record is opened from the request's subject. A request
    joins one record only: one of the other kind (or another than the one named) is left for the new one. The
    decision and its link are written together or not at all.

    :raise NotFound: no such request or record. :raise NotForReview: not up for review.
    :raise ValueError: unknown decision. :raise ProblemRefused: a record of the wrong kind, or closed (also when
        closed meanwhile: nothing is written). :raise ConcurrentUpdate: the request, or its link, changed meanwhile
        (nothing is written, no record is left behind).
    """
    if decision not in DECISIONS:
        raise ValueError("unknown_decision")
    found = tickets.ticket_with_history(number) if number else None
    if found is None:
        raise NotFound(number)
    ticket, events = found
    if review_since(charter, calendar, ticket, events, now) is None:
        raise NotForReview(number)
    linked = problems.linked_problem(number)
    record, new = (None, False) if decision == CLOSE_NOT_CRITICAL else _record_for(
        problems, ticket, decision, linked, actor, now, problem_id)
    note = note.strip()[:MAX_NOTE]
    review = TicketEvent(EventKind.DIRECTOR_REVIEW, now, actor, False,
                         {"decision": decision, "rule": "T8", **({"note": note} if note else {}),
                          **({"problem": record.problem_id} if record else {})})
    if decision == ESCALATE_MALFUNCTION:
        action, change = "escalate", TicketEvent(EventKind.ESCALATED, now, actor, True,
                                                 {"to": "problem_database", "rule": "T8"})
    else:
        reason = "not_critical" if decision == CLOSE_NOT_CRITICAL else "feature_request"
        action, change = "close", TicketEvent(EventKind.CLOSED, now, actor, True, {"reason": reason, "rule": "T8"})
    state = next_state(ticket.status, action)
    updated = replace(ticket, status=state, status_since=now if state != ticket.status else ticket.status_since)
    tasks = [FollowUpTask("director_review", number, "director", now, now, actor, True, decision),
             FollowUpTask(SATISFACTION_FOLLOW_UP, number, "director",
                          calendar.add_business_days(now, SATISFACTION_AFTER_BUSINESS_DAYS), now)]
    key = queue_key_for(charter)(updated)
    if record is None or record.problem_id == linked:
        return tickets.apply(updated, [review, change], key, tasks)
    # the decision and its link (a new record, another record, or the request moving off a record of the other
    # kind) in one write: a refused decision leaves no record linked to nothing, and its retry opens no second one
    data = {"problem": record.problem_id, "kind": record.kind, "title": record.title,
            **({"cause": PROGRAM_DEFECT} if record.kind == DEFECT else {}), **({"replaces": linked} if linked else {})}
    linking = TicketEvent(EventKind.PROBLEM_LINKED, now, actor, True, data)
    return problems.apply_linked(updated, [review, change, linking], key, tasks, record, new, linked)


def _record_for(problems, ticket: Ticket, decision: str, linked: str | None, actor: str, now: datetime,
                problem_id: str) -> tuple[ProblemRecord, bool]:
    """The record a decision links (rule T8: a malfunction is recorded in the problem database, a feature request
    in the feature backlog), and whether it is new: the one named, else the one the request is linked to when it
    is of the decision's kind, else a new one from the request's subject (not written: the decision writes it)."""
    kind = DEFECT if decision == ESCALATE_MALFUNCTION else FEATURE
    if problem_id:
        record = problems.get(problem_id)
        if record is None:
            raise NotFound(problem_id)
        if record.kind != kind:
            raise ProblemRefused("wrong_kind", "T8")
        if not record.is_open:
            raise ProblemRefused("closed")
        return record, False
    current = problems.get(linked) if linked else None
    if current is not None and current.kind == kind:
        return current, False
    title = ticket.subject[:MAX_TITLE]
    check_new_record(kind, title)
    return ProblemRecord(problems.next_id(now.year), kind, title.strip(), now, actor, ticket.product_id or None,
                         ticket.version or None, OPEN, ticket.number), True


# --- follow-up tasks (G3, T8) -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskItem:
    task: FollowUpTask
    owner_name: str
    overdue: bool


def task_list(tickets, staff, role: str, now: datetime) -> list[TaskItem]:
    """Open follow-up tasks of a role, soonest due first (one query on the sparse `tasks` index, one batch for
    the owners' names): a manager's after a dissatisfied survey answer (G3), the director's (T8)."""
    tasks = tickets.open_tasks(role)
    names = {member.staff_id: member.name
             for member in staff.get_many({task.owner_id for task in tasks if task.owner_id}).values()}
    return [TaskItem(task, names.get(task.owner_id or "", ""), task.due <= now) for task in tasks]


# who may own a role's tasks: a manager's may go to another manager or the director
OWNER_ROLES = {"manager": ("manager", "director"), "director": ("director",)}


def _open_task_of(oversight, number: str, kind: str, role: str) -> FollowUpTask:
    """The open task, if it is one of `role`'s. :raise NotFound: otherwise (the same answer for both)."""
    task = oversight.task(number, kind) if number and kind else None
    if task is None or task.done or task.role != role:
        raise NotFound(f"{number}/{kind}")
    return task


def assign_task(oversight, staff, number: str, kind: str, owner_email: str, role: str) -> str:
    """Give an open task of `role` to a staff member who may own it (found by e-mail); returns their name.

    :raise NotFound: no such open task of this role. :raise ValueError: `unknown_owner` (no such staff member,
        or one who may not own this task).
    """
    _open_task_of(oversight, number, kind, role)
    member = staff.by_email(owner_email) if owner_email.strip() else None
    if member is None or not member.active or member.role not in OWNER_ROLES.get(role, ()):
        raise ValueError("unknown_owner")
    oversight.assign_task(number, kind, member.staff_id)
    return member.name


def take_task(oversight, number: str, kind: str, staff_id: str, role: str) -> None:
    """The signed-in manager (or director) takes one of their role's tasks. :raise NotFound: no such open task."""
    _open_task_of(oversight, number, kind, role)
    oversight.assign_task(number, kind, staff_id)


def finish_task(oversight, number: str, kind: str, note: str, actor: str, role: str, now: datetime) -> None:
    """Mark a task of `role` done with what was done (G3: the customer was contacted); the note goes into the
    request's history as an internal note too. :raise NotFound: no such open task of this role.
    :raise ValueError: `note_required`."""
    note = note.strip()[:MAX_NOTE]
    if not note:
        raise ValueError("note_required")
    _open_task_of(oversight, number, kind, role)
    oversight.finish_task(number, kind, note, actor)
    oversight.append_events(number, [TicketEvent(EventKind.MESSAGE, now, actor, False,
                                                 {"text": note, "task": kind})])
