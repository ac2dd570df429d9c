"""The closure sweep: requests close by the charter's rules, the director gets the requests open too long."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from portal.domain.closure import ClosureDecision, due_actions
from portal.domain.errors import ConcurrentUpdate
from portal.domain.history import EventKind, TicketEvent
from portal.domain.tickets import FollowUpTask, Ticket
from portal.domain.workflow import ActionNotAllowed, next_state
from portal.services.notifications import send_quietly
from portal.services.sweeps import mails
from portal.services.sweeps.run import SWEEP_ACTOR, SweepContext, SweepRun, queue_key_of, sweep_candidates

CLOSING_RULES = ("S11", "S12", "S14", "confirmation")  # S13 belongs to the intake: files reopen the request


def run_closure_sweep(context: SweepContext, now: datetime, dry_run: bool = False) -> SweepRun:
    """Rules S11, S12, S14 and the confirmation window close the requests whose time has come (the customer told
    why, the survey sent after a resolution, G3); rule T8 gives the director a task, once."""
    run = SweepRun("closure", now, dry_run)
    for ticket, events in sweep_candidates(context.tickets):
        run.candidates += 1
        decisions = due_actions(context.charter, context.calendar, ticket.status, events, now)
        closing = next((d for d in decisions if d.action == "close" and d.rule in CLOSING_RULES), None)
        review = next((d for d in decisions if d.action == "director_review"), None)
        if closing:
            close_request(context, run, ticket, closing, now)
        elif review:
            ask_director_review(context, run, ticket, review, now)
    return run


def write_once(context: SweepContext, run: SweepRun, updated: Ticket, events, rule: str,
               tasks=()) -> Ticket | None:
    """Write a change with its marker events in one conditional write and return the request as written; a
    request changed meanwhile (a technician at work) is skipped (None) and looked at again on the next run."""
    if run.dry_run:
        return updated
    try:
        return context.tickets.apply(updated, events, queue_key_of(context.charter, updated), tasks)
    except ConcurrentUpdate:
        run.skip(updated.number, rule, "changed_meanwhile")
        return None


def close_request(context: SweepContext, run: SweepRun, ticket: Ticket, decision: ClosureDecision,
                  now: datetime) -> None:
    """Rules S11, S12, S14 and the confirmation window: close the request and tell the customer."""
    try:
        closed = replace(ticket, status=next_state(ticket.status, "close"), status_since=now)
    except ActionNotAllowed:
        run.skip(ticket.number, decision.rule, "not_closable")
        return
    event = TicketEvent(EventKind.CLOSED, now, SWEEP_ACTOR, True, {"rule": decision.rule, "reason": decision.reason,
                                                                    "due_at": decision.at.isoformat()})
    if write_once(context, run, closed, [event], decision.rule) is None:
        return
    run.fire(ticket.number, decision.rule, "close", reason=decision.reason)
    if not run.dry_run:
        mail = closure_mail(context, ticket, decision)
        if mail is not None and send_quietly(context.mailer, mail):
            run.mails += 1


def closure_mail(context: SweepContext, ticket: Ticket, decision: ClosureDecision):
    """The customer's mail for a closure: why it closed and how to reopen; the survey after a resolution (G3)."""
    contact = context.accounts.contact(ticket.company_id, ticket.contact_id)
    if contact is None or not contact.email:
        return None
    link = context.link(f"/requests/{ticket.number}")
    rules = context.charter.closure
    if decision.rule == "S11":
        return mails.unreachable_closure_mail(contact, ticket, rules.failed_contacts,
                                              rules.failed_contacts_within_business_days, link)
    if decision.rule == "S12":
        return mails.no_reply_closure_mail(contact, ticket, rules.awaiting_customer_business_days, link)
    survey = context.link(f"/requests/{ticket.number}/survey") if context.charter.survey.enabled else None
    return mails.resolved_closure_mail(contact, ticket, link, survey)


def ask_director_review(context: SweepContext, run: SweepRun, ticket: Ticket, decision: ClosureDecision,
                        now: datetime) -> None:
    """Rule T8: the director's task for a request unresolved after ten business days, with its marker, once."""
    event = TicketEvent(EventKind.DIRECTOR_REVIEW, now, SWEEP_ACTOR, False,
                        {"rule": "T8", "reached_at": decision.at.isoformat()})
    task = FollowUpTask("director_review", ticket.number, "director", context.calendar.add_business_days(now, 1), now)
    if write_once(context, run, ticket, [event], "T8", [task]):
        run.fire(ticket.number, "T8", "director_review")
