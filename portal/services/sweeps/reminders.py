"""The reminders: rule S12's reminder before a request closes, and response commitments about to be missed
(the owner and a manager warned, once) or missed (recorded for the dashboard, once)."""

from __future__ import annotations

from datetime import datetime, timedelta

from portal.domain.closure import REPLY_AWAITED, no_reply_closure
from portal.domain.history import EventKind, TicketEvent
from portal.domain.tickets import FollowUpTask, Ticket
from portal.services.notifications import send_quietly
from portal.services.sweeps import mails
from portal.services.sweeps.closure import write_once
from portal.services.sweeps.run import SWEEP_ACTOR, SweepContext, SweepRun, sweep_candidates

WARNING_LEAD = timedelta(hours=1)  # business time left before the due time when the owner is warned
# What answers the customer: a public reply, a call (reached or not, S5), a question, a request for files,
# a resolution or a closure. Claiming the request (S7) or escalating it is not an answer yet.
ANSWERS = (EventKind.CONTACT_ATTEMPT, EventKind.WAITING_CUSTOMER, EventKind.AWAITING_FILES, EventKind.RESOLVED,
           EventKind.CLOSED)


def run_reminders(context: SweepContext, now: datetime, dry_run: bool = False) -> SweepRun:
    """Rule S12's reminder one business day before the close; response commitments (S4, T3, E10) about to be
    missed warn the owner and a manager once; a missed one is recorded once."""
    run = SweepRun("reminders", now, dry_run)
    for ticket, events in sweep_candidates(context.tickets):
        run.candidates += 1
        ticket = remind_no_reply(context, run, ticket, events, now) or ticket
        watch_response(context, run, ticket, events, now)
    return run


def remind_no_reply(context: SweepContext, run: SweepRun, ticket: Ticket, events, now: datetime) -> Ticket | None:
    """Rule S12: one business day before the close, the customer is told when the request will close, once per
    question asked. Returns the request as written, or None when nothing was written."""
    decisions = {d.rule: d for d in no_reply_closure(context.charter, context.calendar, ticket.status, events)}
    reminder, close = decisions.get("S12-reminder"), decisions.get("S12")
    if reminder is None or close is None or not reminder.at <= now < close.at:
        return None
    asked = max(e.at for e in events if e.kind in REPLY_AWAITED)  # the question the close counts from
    if any(e.kind == EventKind.REMINDER_SENT and e.data.get("rule") == "S12-reminder" and e.at >= asked
           for e in events):
        return None
    marker = TicketEvent(EventKind.REMINDER_SENT, now, SWEEP_ACTOR, True,
                         {"rule": "S12-reminder", "closes_at": close.at.isoformat()})
    written = write_once(context, run, ticket, [marker], "S12-reminder")
    if written is None:
        return None
    run.fire(ticket.number, "S12-reminder", "remind", closes_at=close.at.isoformat())
    if not run.dry_run:
        contact = context.accounts.contact(ticket.company_id, ticket.contact_id)
        if contact is not None and contact.email and send_quietly(context.mailer, mails.no_reply_reminder_mail(
                contact, ticket, close.at, context.calendar.zone, context.link(f"/requests/{ticket.number}"))):
            run.mails += 1
    return written


def answered(ticket: Ticket, events) -> bool:
    """Whether support has answered the customer since the request was received."""
    return any(e.kind in ANSWERS or (e.kind == EventKind.MESSAGE and e.public and e.actor != ticket.contact_id)
               for e in events)


def watch_response(context: SweepContext, run: SweepRun, ticket: Ticket, events, now: datetime) -> None:
    """A response commitment about to be missed warns the owner (e-mail) and a manager (a task), once; a missed
    one is recorded once (rules S4, T3, E10: `response_due` on the request)."""
    due = ticket.response_due
    if due is None or answered(ticket, events):
        return
    if now >= due:
        if not any(e.kind == EventKind.RESPONSE_MISSED for e in events):
            missed = TicketEvent(EventKind.RESPONSE_MISSED, now, SWEEP_ACTOR, False, {"due": due.isoformat()})
            if write_once(context, run, ticket, [missed], "response-missed") is not None:
                run.fire(ticket.number, "response-missed", "record", due=due.isoformat())
        return
    if context.calendar.business_time_between(now, due) > WARNING_LEAD:
        return
    if any(e.kind == EventKind.REMINDER_SENT and e.data.get("rule") == "response-warning" for e in events):
        return
    marker = TicketEvent(EventKind.REMINDER_SENT, now, SWEEP_ACTOR, False,
                         {"rule": "response-warning", "due": due.isoformat()})
    task = FollowUpTask("response_at_risk", ticket.number, "manager", due, now, note=ticket.owner_id or "")
    if write_once(context, run, ticket, [marker], "response-warning", [task]) is None:
        return
    run.fire(ticket.number, "response-warning", "warn", due=due.isoformat())
    owner = context.staff.get(ticket.owner_id) if ticket.owner_id and context.staff is not None else None
    if run.dry_run or owner is None or not owner.email:
        return
    link = context.link(f"/staff/requests/{ticket.number}")
    if send_quietly(context.mailer, mails.response_at_risk_mail(owner, ticket, due, context.calendar.zone, link)):
        run.mails += 1
