"""The support team works requests (issue 7): the queue in charter order, and each action on a request as a
plain function taking the repositories, the staff member and `now`.

Every action writes the request and its new history events in one conditional write (optimistic locking): a
request changed since the technician read it raises `ConcurrentUpdate`, and nothing is half-written. An action
the request's state does not allow raises `ActionNotAllowed` (portal/domain/workflow.py). Each step that
concerns the customer e-mails them in their language; internal notes send nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from portal.domain.errors import ConcurrentUpdate, NotFound, PortalError
from portal.domain.history import EventKind, TicketEvent
from portal.domain.mail import OutgoingMail
from portal.domain.staff import WORKERS, may
from portal.domain.tickets import Ticket
from portal.domain.voicemail import voicemail_message
from portal.domain.workflow import AWAITING_FILES, NEW, OPEN_STATES, next_state
from portal.i18n import mark, translate
from portal.services.notifications import TICKET_HEADER, send_quietly

MAX_TEXT = 20_000
MAX_REFERENCE = 200
OUTCOMES = ("reached", "voicemail", "no_answer")  # a contact attempt's outcome (rules S5, S6, S11)
ESCALATION_TARGETS = ("senior", "rnd", "publisher")  # rule T6; rules G2, G9; rules G2, G9, E3
ESCALATION_RULES = {"senior": "T6", "rnd": "G9", "publisher": "G2"}  # rule T4: the escalation procedure
QUEUE_FILTERS = ("product", "severity", "owner", "state")


class NotPermitted(PortalError):
    """The staff member's role does not allow this action."""

    def __init__(self, action: str, role: str):
        super().__init__(f"{role} may not {action}")
        self.action = action
        self.role = role


class InvalidInput(PortalError, ValueError):
    """What the staff member sent cannot be used; `problem` names what is wrong (the view words it)."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


class OwnedByColleague(PortalError):
    """The request belongs to another technician; a manager reassigns it."""

    def __init__(self, owner_id: str):
        super().__init__(owner_id)
        self.owner_id = owner_id


@dataclass(frozen=True)
class Done:
    """What an action leaves: the request as written, and whether the customer was e-mailed."""

    ticket: Ticket
    mailed: bool = False


@dataclass(frozen=True)
class Desk:
    """What every action needs besides the request: repositories, charter, mailer and the customer's link.

    `queue_key(ticket)` gives an open request's place in the queue (None once it leaves it); `link_for(number)`
    the customer's page of a request, put in the e-mails."""

    tickets: object
    accounts: object
    staff: object
    charter: object
    mailer: object
    queue_key: Callable[[Ticket], str | None]
    link_for: Callable[[str], str]


# --- reading --------------------------------------------------------------------------------------------------


def require(member, action: str) -> None:
    """Each role does only what portal/domain/staff.py allows it.

    :raise NotPermitted: otherwise.
    """
    if not may(member.role, action):
        raise NotPermitted(action, member.role)


def load(tickets, number: str) -> tuple[Ticket, list]:
    """A request with its whole history, internal notes included (staff see everything).

    :raise NotFound: no such request.
    """
    found = tickets.ticket_with_history(number) if number else None
    if found is None:
        raise NotFound(number)
    return found


def _fresh(tickets, number: str, seen_revision: int | None) -> Ticket:
    """The request as stored, if it is still the one the staff member saw.

    :raise ConcurrentUpdate: when it changed since (someone else acted): the caller shows the new state.
    """
    ticket, _events = load(tickets, number)
    if seen_revision is not None and ticket.revision != seen_revision:
        raise ConcurrentUpdate(number)
    return ticket


@dataclass(frozen=True)
class QueueRow:
    ticket: Ticket
    position: int  # 1 for the request to take first
    owner_name: str
    time_left: timedelta | None  # business time left to the response commitment; negative when overdue
    answered: bool  # the response commitment is met

    @property
    def overdue(self) -> bool:
        return self.time_left is not None and self.time_left < timedelta(0)


def business_time_left(calendar, due: datetime, now: datetime) -> timedelta:
    """Business time from now to the due time; once it has passed, minus the business time since (overdue)."""
    if due >= now:
        return calendar.business_time_between(now, due)
    return -calendar.business_time_between(due, now)


def queue(queue_repository, staff, calendar, now: datetime, filters: Mapping[str, str] | None = None) -> list[QueueRow]:
    """Open requests in charter order (rules T2, P5, S4: tier, channel, arrival), filtered by product, severity,
    owner ("none" for unowned) or state, each with the business time left to its response commitment.

    Reads the sparse `queue-cards` index (its pages, about 1,000 requests each) and one batch of owners' names."""
    filters = {key: value for key, value in (filters or {}).items() if key in QUEUE_FILTERS and value}
    rows, owners = [], set()
    for position, ticket in enumerate(queue_repository.open_requests(), start=1):
        if not _matches(ticket, filters):
            continue
        owners.add(ticket.owner_id) if ticket.owner_id else None
        rows.append((position, ticket))
    names = {staff_id: member.name for staff_id, member in staff.get_many(owners).items()} if owners else {}
    result = []
    for position, ticket in rows:
        answered = ticket.answered_at is not None
        left = None if answered or ticket.response_due is None else business_time_left(
            calendar, ticket.response_due, now)
        result.append(QueueRow(ticket, position, names.get(ticket.owner_id or "", ticket.owner_id or ""), left,
                               answered))
    return result


def _matches(ticket: Ticket, filters: Mapping[str, str]) -> bool:
    if "product" in filters and ticket.product_id != filters["product"]:
        return False
    if "severity" in filters and str(ticket.severity) != str(filters["severity"]):
        return False
    if "owner" in filters and (ticket.owner_id or "none") != filters["owner"]:
        return False
    return not ("state" in filters and ticket.status != filters["state"])


def voicemail_proposal(charter, now: datetime) -> str:
    """Rules S5, S6: what to say on the customer's voicemail now ("message_left" during the customer's working
    hours, "call_back_next_business_day" outside them)."""
    return voicemail_message(charter, now)


# --- writing --------------------------------------------------------------------------------------------------


def _text(text: str | None, required: bool = True) -> str:
    cleaned = (text or "").strip()
    if required and not cleaned:
        raise InvalidInput("text_required")
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput("text_too_long")
    return cleaned


def _write(desk: Desk, ticket: Ticket, actions: list[str], events: list[TicketEvent], now: datetime,
           **changes) -> Ticket:
    """Apply the actions' state changes in order, then write the request and its events together.

    :raise ActionNotAllowed: an action the state does not allow (nothing is written).
    :raise ConcurrentUpdate: the request changed meanwhile (nothing is written).
    """
    state = ticket.status
    for action in actions:
        state = next_state(state, action)
    updated = replace(ticket, status=state, status_since=now if state != ticket.status else ticket.status_since,
                      **changes)
    return desk.tickets.apply(updated, events, desk.queue_key(updated))


def _working_colleague(desk: Desk, staff_id: str):
    """The colleague a request may be given to: one who works requests and has not been deactivated (they could
    not sign in to work it). :raise InvalidInput: `unknown_colleague`."""
    colleague = desk.staff.get(staff_id) if staff_id else None
    if colleague is None or colleague.role not in WORKERS or not colleague.active:
        raise InvalidInput("unknown_colleague")
    return colleague


def _answering(ticket: Ticket, member, now: datetime) -> tuple[list[str], list[TicketEvent], dict]:
    """Rule S7: the technician who answers a request nobody owns becomes its owner (a new one is taken first);
    support's first answer meets the response commitment."""
    actions, events, changes = [], [], {}
    if ticket.owner_id is None and ticket.status in OPEN_STATES:
        actions.append("claim")
        events.append(TicketEvent(EventKind.CLAIMED, now, member.staff_id, True, {"rule": "S7"}))
        changes["owner_id"] = member.staff_id
    elif ticket.status == NEW:
        actions.append("claim")
    if ticket.answered_at is None:
        changes["answered_at"] = now
    return actions, events, changes


def claim(desk: Desk, member, number: str, seen_revision: int | None, now: datetime) -> Done:
    """Rule S7: the technician takes the request and becomes its owner; one owned by a colleague stays theirs
    (a manager reassigns it).

    :raise OwnedByColleague: another technician owns it. :raise ActionNotAllowed: not open.
    """
    require(member, "claim")
    ticket = _fresh(desk.tickets, number, seen_revision)
    if ticket.owner_id == member.staff_id and ticket.status != NEW:
        return Done(ticket)
    if ticket.owner_id and ticket.owner_id != member.staff_id:
        raise OwnedByColleague(ticket.owner_id)
    event = TicketEvent(EventKind.CLAIMED, now, member.staff_id, True, {"rule": "S7"})
    return Done(_write(desk, ticket, ["claim"], [event], now, owner_id=member.staff_id))


def reassign(desk: Desk, member, number: str, seen_revision: int | None, owner_id: str, now: datetime) -> Done:
    """A manager or the director gives an open request to another technician (internal).

    :raise InvalidInput: no such colleague, or one who does not work requests.
    """
    require(member, "reassign")
    colleague = _working_colleague(desk, owner_id)
    ticket = _fresh(desk.tickets, number, seen_revision)
    event = TicketEvent(EventKind.MESSAGE, now, member.staff_id, False,
                        {"text": f"{ticket.owner_id or '-'} → {colleague.staff_id}", "reassigned": colleague.staff_id})
    actions = ["claim"] if ticket.status == NEW else ["reassign"]
    return Done(_write(desk, ticket, actions, [event], now, owner_id=colleague.staff_id))


def reply(desk: Desk, member, number: str, seen_revision: int | None, text: str, now: datetime) -> Done:
    """Answer the customer (public, e-mailed); rule S7: answering a request nobody owns takes it."""
    require(member, "reply")
    text = _text(text)
    ticket = _fresh(desk.tickets, number, seen_revision)
    actions, events, changes = _answering(ticket, member, now)
    events.append(TicketEvent(EventKind.MESSAGE, now, member.staff_id, True, {"text": text}))
    written = _write(desk, ticket, [*actions, "reply"], events, now, **changes)
    return Done(written, _mail(desk, written, "reply", text))


def add_note(desk: Desk, member, number: str, seen_revision: int | None, text: str, now: datetime) -> Done:
    """An internal note: in the history for the team, never shown to the customer, never e-mailed."""
    require(member, "note")
    text = _text(text)
    ticket = _fresh(desk.tickets, number, seen_revision)
    event = TicketEvent(EventKind.MESSAGE, now, member.staff_id, False, {"text": text})
    return Done(_write(desk, ticket, ["internal_note"], [event], now))


def log_contact_attempt(desk: Desk, member, number: str, seen_revision: int | None, outcome: str, note: str,
                        now: datetime) -> Done:
    """A call to the customer: reached, voicemail or no answer. On voicemail the charter's message is recorded
    (rule S5 "message left" in the customer's working hours, rule S6 "we call back next business day" outside
    them); voicemail and no answer count toward rule S11's closure."""
    require(member, "log_contact")
    if outcome not in OUTCOMES:
        raise InvalidInput("unknown_outcome")
    note = _text(note, required=False)
    ticket = _fresh(desk.tickets, number, seen_revision)
    actions, events, changes = _answering(ticket, member, now)
    data = {"outcome": outcome}
    if outcome == "voicemail":
        message = voicemail_proposal(desk.charter, now)
        data.update(message=message, rule="S5" if message == "message_left" else "S6")
    events.append(TicketEvent(EventKind.CONTACT_ATTEMPT, now, member.staff_id, True, data))
    if note:
        events.append(TicketEvent(EventKind.MESSAGE, now, member.staff_id, False, {"text": note}))
    return Done(_write(desk, ticket, [*actions, "contact_attempt"], events, now, **changes))


def ask_information(desk: Desk, member, number: str, seen_revision: int | None, text: str, now: datetime) -> Done:
    """Rule S12: ask the customer for information; the request waits for them (and closes if no reply comes
    within the charter's business days)."""
    require(member, "ask_information")
    text = _text(text)
    ticket = _fresh(desk.tickets, number, seen_revision)
    actions, events, changes = _answering(ticket, member, now)
    events.append(TicketEvent(EventKind.WAITING_CUSTOMER, now, member.staff_id, True, {"text": text,
                                                                                       "rule": "S12"}))
    written = _write(desk, ticket, [*actions, "ask_information"], events, now, **changes)
    return Done(written, _mail(desk, written, "ask_information", text))


def ask_files(desk: Desk, member, number: str, seen_revision: int | None, text: str, now: datetime) -> Done:
    """Ask the customer for files: closed meanwhile and reopened when they arrive where the charter says so (rule
    S13); elsewhere the request stays open, waiting on the customer (G9: an open ticket stays open)."""
    require(member, "ask_files")
    text = _text(text)
    ticket = _fresh(desk.tickets, number, seen_revision)
    actions, events, changes = _answering(ticket, member, now)
    closes = closes_while_awaiting_files(desk.charter)
    data = {"text": text, "rule": "S13"} if closes else {"text": text}
    events.append(TicketEvent(EventKind.AWAITING_FILES, now, member.staff_id, True, data))
    written = _write(desk, ticket, [*actions, "ask_files" if closes else "ask_files_keeping_open"], events, now,
                     **changes)
    return Done(written, _mail(desk, written, "ask_files" if closes else "ask_files_keeping_open", text))


def closes_while_awaiting_files(charter) -> bool:
    """Rule S13: whether the charter closes a request while the files asked for are awaited."""
    return bool(charter.closure.close_while_awaiting_files)


def escalate(desk: Desk, member, number: str, seen_revision: int | None, target: str, reference: str, note: str,
             now: datetime, colleague_id: str = "") -> Done:
    """Escalate, the procedure complex requests follow (rule T4): to a senior colleague, who becomes the owner
    (rule T6), to R&D (rule G9), or to the publisher's level 2 with its reference (rules G2, G9, E3). The request
    stays open; the customer sees since when it is with whom, and is e-mailed when it goes to the publisher.

    :raise InvalidInput: unknown target, no reference for the publisher, no such colleague, senior staff not in
        the request's contract (T6).
    :raise OwnedByColleague: a technician hands a colleague's request to a senior (a manager reassigns it).
    """
    require(member, "escalate")
    if target not in ESCALATION_TARGETS:
        raise InvalidInput("unknown_target")
    reference = (reference or "").strip()
    if len(reference) > MAX_REFERENCE:
        raise InvalidInput("reference_too_long")
    if target == "publisher" and not reference:
        raise InvalidInput("reference_required")
    note = _text(note, required=False)
    changes: dict = {}
    data = {"target": target, "since": now.isoformat(), "rule": ESCALATION_RULES[target]}
    ticket = _fresh(desk.tickets, number, seen_revision)
    if target == "senior":
        if not desk.charter.senior_staff_for(ticket.tier):
            raise InvalidInput("senior_not_in_contract")  # rule T6: senior staff is a benefit of some contracts
        # Handing the request to a colleague is its owner's or a manager's to do (a reassignment otherwise).
        if ticket.owner_id and ticket.owner_id != member.staff_id and not may(member.role, "reassign"):
            raise OwnedByColleague(ticket.owner_id)
        colleague = _working_colleague(desk, colleague_id)
        if colleague.staff_id == member.staff_id:
            raise InvalidInput("unknown_colleague")
        changes["owner_id"] = colleague.staff_id
        data["colleague"] = colleague.staff_id
    if reference:
        data["reference"] = reference
    events = [TicketEvent(EventKind.ESCALATED, now, member.staff_id, True, data)]
    if note:
        events.append(TicketEvent(EventKind.MESSAGE, now, member.staff_id, False, {"text": note}))
    written = _write(desk, ticket, ["escalate"], events, now, **changes)
    mailed = _mail(desk, written, "escalated_publisher", reference) if target == "publisher" else False
    return Done(written, mailed)


def resolve(desk: Desk, member, number: str, seen_revision: int | None, text: str, now: datetime) -> Done:
    """Rule S14: resolved by mutual agreement with the customer (the charter's confirmation window, if any,
    then closes it); the customer is e-mailed."""
    require(member, "resolve")
    text = _text(text, required=False)
    ticket = _fresh(desk.tickets, number, seen_revision)
    changes = {} if ticket.answered_at else {"answered_at": now}
    if ticket.owner_id is None:
        changes["owner_id"] = member.staff_id
    data = {"by": "support", "rule": "S14"}
    if text:
        data["text"] = text
    event = TicketEvent(EventKind.RESOLVED, now, member.staff_id, True, data)
    written = _write(desk, ticket, ["resolve"], [event], now, **changes)
    return Done(written, _mail(desk, written, "resolved", text))


def reopen(desk: Desk, member, number: str, seen_revision: int | None, reason: str, now: datetime) -> Done:
    """Reopen a resolved or closed request (or one closed while awaiting files, when they came another way,
    rule S13); it goes back to the queue and the customer is e-mailed."""
    require(member, "reopen")
    reason = _text(reason, required=False)
    ticket = _fresh(desk.tickets, number, seen_revision)
    action = "reopen_awaiting_files" if ticket.status == AWAITING_FILES else "reopen"
    events = [TicketEvent(EventKind.REOPENED, now, member.staff_id, True, {"by": "support"})]
    if reason:
        events.append(TicketEvent(EventKind.MESSAGE, now, member.staff_id, False, {"text": reason}))
    written = _write(desk, ticket, [action], events, now)
    return Done(written, _mail(desk, written, "reopened", ""))


# --- e-mails to the customer ---------------------------------------------------------------------------------

SUBJECTS = {
    "reply": mark("Request %(number)s: a message from support"),
    "ask_information": mark("Request %(number)s: we need information from you"),
    "ask_files": mark("Request %(number)s: please send us your files"),
    "ask_files_keeping_open": mark("Request %(number)s: please send us your files"),
    "escalated_publisher": mark("Request %(number)s is with the publisher"),
    "resolved": mark("Request %(number)s resolved"),
    "reopened": mark("Request %(number)s reopened"),
}
INTROS = {
    "reply": mark("Support wrote about your request %(number)s (%(subject)s):"),
    "ask_information": mark("Support needs information from you about your request %(number)s (%(subject)s):"),
    "ask_files": mark("Support needs files from you for your request %(number)s (%(subject)s):"),
    "ask_files_keeping_open": mark("Support needs files from you for your request %(number)s (%(subject)s):"),
    "escalated_publisher": mark("Your request %(number)s (%(subject)s) is now with the publisher, reference "
                                "%(reference)s. It stays open, and we keep you informed."),
    "resolved": mark("Your request %(number)s (%(subject)s) is resolved, as agreed with you."),
    "reopened": mark("Your request %(number)s (%(subject)s) is open again; support is working on it."),
}
AFTER = {
    "ask_information": mark("Please answer from the request's page. Without your answer the request will close "
                            "as the support charter provides."),
    "ask_files": mark("The request is closed until they arrive; send them from the request's page and it opens "
                      "again."),
    "ask_files_keeping_open": mark("Please send them from the request's page; the request stays open meanwhile."),
    "resolved": mark("If the problem comes back, you can reopen it from the request's page."),
}


def step_mail(contact, ticket: Ticket, step: str, text: str, link: str) -> OutgoingMail:
    """The e-mail of a staff step that concerns the customer, in the contact's language."""
    lang = contact.language
    values = {"number": ticket.number, "subject": ticket.subject}
    lines = [translate(lang, mark("Hello %(name)s,"), name=contact.name), ""]
    if step == "escalated_publisher":
        lines.append(translate(lang, INTROS[step], reference=text, **values))
    else:
        lines.append(translate(lang, INTROS[step], **values))
        if text:
            lines += ["", text]
    if step in AFTER:
        lines += ["", translate(lang, AFTER[step])]
    lines += ["", translate(lang, mark("Your request's page: %(link)s"), link=link)]
    subject = translate(lang, SUBJECTS[step], number=ticket.number)
    return OutgoingMail(to=contact.email, subject=f"[{ticket.number}] {subject}", text="\n".join(lines) + "\n",
                        language=lang, headers={TICKET_HEADER: ticket.number})


def _mail(desk: Desk, ticket: Ticket, step: str, text: str) -> bool:
    """E-mail the request's contact; a missing contact or a mail service down never undoes the action."""
    contact = desk.accounts.contact(ticket.company_id, ticket.contact_id)
    if contact is None or not contact.email:
        return False
    return send_quietly(desk.mailer, step_mail(contact, ticket, step, text, desk.link_for(ticket.number)))
