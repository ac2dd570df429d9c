"""Following a request: see it, add information (P9), send requested files (S13), say it is solved (S14),
reopen it, answer the satisfaction survey (G3)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from portal.domain.errors import NotFound
from portal.domain.history import EventKind, TicketEvent
from portal.domain.ticket_files import encode_files
from portal.domain.tickets import FollowUpTask, Ticket
from portal.domain.workflow import AWAITING_FILES, CLOSED, RESOLVED, next_state

MAX_MESSAGE = 20_000


@dataclass(frozen=True)
class RequestView:
    ticket: Ticket
    events: tuple[TicketEvent, ...]  # what the customer may see: public events only, oldest first

    @property
    def with_publisher(self) -> TicketEvent | None:
        """Rules G2, G9, E3: the escalation to the publisher an open request is waiting on, if any (the customer
        sees since when, and the publisher's reference)."""
        if not self.ticket.is_open:
            return None
        last = next((e for e in reversed(self.events) if e.kind in (EventKind.ESCALATED, EventKind.RESOLVED,
                                                                    EventKind.CLOSED)), None)
        return last if last is not None and last.kind == EventKind.ESCALATED and \
            last.data.get("target") == "publisher" else None


def owner_name(staff, ticket: Ticket) -> str:
    """The name of the technician who owns the request (rule S7), or "" while nobody does."""
    if not ticket.owner_id:
        return ""
    member = staff.get(ticket.owner_id)
    return member.name if member is not None else ""


def may_see(contact, ticket: Ticket) -> bool:
    """A contact sees their own requests; the company's system owner sees all the company's (rule P2)."""
    if ticket.company_id != contact.company_id:
        return False
    return ticket.contact_id == contact.contact_id or "system_owner" in contact.roles


def load_request(tickets, contact, number: str) -> tuple[Ticket, list[TicketEvent]]:
    """A request and its whole history, if the contact may see it.

    :raise NotFound: when it does not exist or is not theirs (the same answer for both).
    """
    found = tickets.ticket_with_history(number) if number else None
    if found is None or not may_see(contact, found[0]):
        raise NotFound(number)
    return found


def request_view(tickets, contact, number: str) -> RequestView:
    """What the customer sees of a request: internal notes never appear."""
    ticket, events = load_request(tickets, contact, number)
    return RequestView(ticket, tuple(event for event in events if event.public))


def _theirs(contact, summaries):
    """Of a company's requests, those the contact may see (rule P2, as `may_see`)."""
    if "system_owner" in contact.roles:
        return summaries
    return [summary for summary in summaries if summary.contact_id == contact.contact_id]


def my_requests(tickets, contact):
    """A contact's requests, newest first; a system owner sees the whole company's (rule P2)."""
    return _theirs(contact, tickets.of_company(contact.company_id))


def my_open_requests(tickets, contact):
    """A contact's open requests, newest first (the home page); a system owner sees the whole company's (rule P2)."""
    return _theirs(contact, tickets.open_of(contact.company_id))


def _change(tickets, ticket: Ticket, action: str, events: list[TicketEvent], now: datetime, queue_key) -> Ticket:
    state = next_state(ticket.status, action)
    updated = replace(ticket, status=state, status_since=now if state != ticket.status else ticket.status_since)
    return tickets.apply(updated, events, queue_key(updated))


def add_information(tickets, contact, number: str, text: str, attachments, now: datetime, queue_key) -> Ticket:
    """Rule P9: the customer adds facts or files. Files a request awaits reopen it (rule S13).

    :raise NotFound: not theirs. :raise ActionNotAllowed: closed (reopen it first).
    :raise ConcurrentUpdate: it changed meanwhile (reload and try again).
    """
    ticket, _events = load_request(tickets, contact, number)
    files = encode_files(attachments) if attachments else ""
    events = []
    if text.strip():
        events.append(TicketEvent(EventKind.CUSTOMER_REPLIED, now, contact.contact_id, True,
                                  {"text": text.strip()[:MAX_MESSAGE]}))
    if attachments:
        events.append(TicketEvent(EventKind.FILES_RECEIVED, now, contact.contact_id, True, {"files": files}))
    if not events:
        return ticket
    if attachments and ticket.status == AWAITING_FILES:
        events.append(TicketEvent(EventKind.REOPENED, now, contact.contact_id, True, {"rule": "S13"}))
        return _change(tickets, ticket, "files_received", events, now, queue_key)
    return _change(tickets, ticket, "customer_message", events, now, queue_key)


def mark_solved(tickets, contact, number: str, now: datetime, queue_key) -> Ticket:
    """Rule S14: the customer says the problem is solved: the request is resolved by mutual agreement."""
    ticket, _events = load_request(tickets, contact, number)
    event = TicketEvent(EventKind.RESOLVED, now, contact.contact_id, True, {"by": "customer", "rule": "S14"})
    return _change(tickets, ticket, "resolve", [event], now, queue_key)


def reopen(tickets, contact, number: str, now: datetime, reopen_until, queue_key) -> Ticket:
    """The customer reopens a resolved request, or a closed one within the charter's window.

    `reopen_until(closed_at)` gives the last instant a closed request may be reopened (None: no window).
    :raise ReopenWindowOver: when the window is over.
    """
    ticket, _events = load_request(tickets, contact, number)
    if ticket.status == CLOSED:
        limit = reopen_until(ticket.status_since)
        if limit is None or now > limit:
            raise ReopenWindowOver(number)
    event = TicketEvent(EventKind.REOPENED, now, contact.contact_id, True, {"by": "customer"})
    return _change(tickets, ticket, "reopen", [event], now, queue_key)


class ReopenWindowOver(Exception):
    """A closed request can no longer be reopened: the customer files a new one."""


class SurveyNotOpen(Exception):
    """The survey is answered once, on a closed or resolved request, where the charter has one (rule G3)."""


def answer_survey(tickets, charter, calendar, contact, number: str, score: int, comment: str,
                  now: datetime) -> bool:
    """Rule G3: a score and a comment once the request is resolved or closed; a dissatisfied answer makes a
    follow-up task for a manager, due the next business day. Returns whether the answer is dissatisfied."""
    ticket, events = load_request(tickets, contact, number)
    if not charter.survey.enabled or ticket.status not in (RESOLVED, CLOSED):
        raise SurveyNotOpen(number)
    if any(event.kind == EventKind.SURVEY_ANSWERED for event in events):
        raise SurveyNotOpen(number)
    if not 1 <= score <= charter.survey.scale:
        raise ValueError("score")
    dissatisfied = score <= charter.survey.dissatisfied_at_or_below
    event = TicketEvent(EventKind.SURVEY_ANSWERED, now, contact.contact_id, True,
                        {"score": str(score), "comment": comment.strip()[:4000],
                         "dissatisfied": "yes" if dissatisfied else "no"})
    tasks = [FollowUpTask("dissatisfied_survey", ticket.number, "manager", calendar.add_business_days(now, 1), now)] \
        if dissatisfied else []
    tickets.apply(ticket, [event], None, tasks)
    return dissatisfied
