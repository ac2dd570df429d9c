"""A request on the console: its whole history (internal notes included) and the actions its state allows."""

from datetime import UTC, datetime

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.domain.errors import ConcurrentUpdate, NotFound
from portal.domain.staff import WORKERS, may
from portal.domain.workflow import ActionNotAllowed, allowed_actions
from portal.services import console
from portal.services.lead import queue_key_for
from portal.web.app import portal_context
from portal.web.labels import status_label
from portal.web.staff import bp
from portal.web.staff.audit import record_contacts_shown
from portal.web.staff.forms import ActionForm
from portal.web.staff.queue import business_duration
from portal.web.staff.session import staff_required

PROBLEMS = {
    "text_required": _l("Write the message first."),
    "bad_form": _l("This form has expired. Please reload the page and try again."),
    "text_too_long": _l("The message is too long."),
    "unknown_outcome": _l("Choose how the call went."),
    "unknown_target": _l("Choose where to escalate."),
    "reference_required": _l("The publisher's reference is needed."),
    "reference_too_long": _l("The reference is too long."),
    "unknown_colleague": _l("No colleague who works requests has this e-mail address."),
    "senior_not_in_contract": _l("Senior staff is not part of this customer's contract (rule T6)."),
}
VOICEMAIL = {
    "message_left": _l("The customer's working hours: leave a message; the history records “message left” (S5)."),
    "call_back_next_business_day": _l("Outside the customer's working hours: say that support calls back on the "
                                      "next business day (S6)."),
}
OUTCOME_LABELS = {"reached": _l("reached"), "voicemail": _l("voicemail"), "no_answer": _l("no answer")}
TARGET_LABELS = {"senior": _l("a senior colleague (T6)"), "rnd": _l("R&D"),
                 "publisher": _l("the publisher's level 2")}
DONE = {
    "claim": _l("You own this request now."),
    "reassign": _l("The request has a new owner."),
    "reply": _l("Your answer is sent to the customer."),
    "note": _l("Internal note added."),
    "contact": _l("Contact attempt recorded."),
    "ask_information": _l("The customer is asked for information."),
    "ask_files": _l("The customer is asked for files; the request is closed until they arrive."),
    "ask_files_keeping_open": _l("The customer is asked for files; the request stays open, waiting for them."),
    "escalate": _l("The request is escalated and stays open."),
    "resolve": _l("The request is resolved."),
    "reopen": _l("The request is open again."),
}
# The console's action (route) -> the state machine's action it needs.
STATE_ACTIONS = {"claim": "claim", "reassign": "reassign", "reply": "reply", "note": "internal_note",
                 "contact": "contact_attempt", "ask_information": "ask_information", "ask_files": "ask_files",
                 "escalate": "escalate", "resolve": "resolve", "reopen": "reopen"}
# The console's action -> the permission it needs (portal/domain/staff.py).
PERMISSIONS = {"claim": "claim", "reassign": "reassign", "reply": "reply", "note": "note", "contact": "log_contact",
               "ask_information": "ask_information", "ask_files": "ask_files", "escalate": "escalate",
               "resolve": "resolve", "reopen": "reopen"}


def _desk(portal) -> console.Desk:
    return console.Desk(portal.storage.tickets, portal.storage.accounts, portal.storage.staff, portal.charter,
                        portal.mailer, queue_key_for(portal.charter),
                        lambda number: url_for("requests.detail", number=number, _external=True))


def offered_actions(member, ticket) -> list[str]:
    """The console actions this staff member may do on the request in its state (the page shows only these)."""
    allowed = set(allowed_actions(ticket.status))
    if ticket.status == "awaiting_files":
        allowed.add("reopen")
    return [action for action, state_action in STATE_ACTIONS.items()
            if state_action in allowed and may(member.role, PERMISSIONS[action])
            and not (action == "claim" and ticket.owner_id == member.staff_id and ticket.status != "new")]


def _page(number: str, form: ActionForm | None = None, problem: str | None = None, failed: str | None = None,
          status: int = 200):
    portal = portal_context()
    try:
        ticket, events = console.load(portal.storage.tickets, number)
    except NotFound:
        abort(404)
    contact = portal.storage.accounts.contact(ticket.company_id, ticket.contact_id)
    if contact is not None:  # the page shows the customer's name and address
        record_contacts_shown(f"request:{ticket.number}", ticket.company_id, [contact.contact_id])
    now = datetime.now(UTC)
    left = None
    if ticket.is_open and ticket.answered_at is None and ticket.response_due is not None:
        left = console.business_time_left(portal.calendar, ticket.response_due, now)
    kept = form if form is not None else ActionForm(formdata=None)
    return render_template(
        "staff/request.html", ticket=ticket, events=events, contact=contact, left=left,
        business_duration=business_duration, actions=offered_actions(g.staff, ticket), form=kept, failed=failed,
        problem=problem, voicemail=VOICEMAIL[console.voicemail_proposal(portal.charter, now)],
        outcome_labels=OUTCOME_LABELS, target_labels=TARGET_LABELS, problems=PROBLEMS,
        files_close=console.closes_while_awaiting_files(portal.charter)), status


@bp.get("/requests/<number>")
@staff_required(*WORKERS, "admin")
def request(number):
    """The request with its whole history, internal notes marked, and the actions its state allows."""
    return _page(number[:32])


def _colleague_id(portal, email: str) -> str:
    member = portal.storage.staff.by_email(email) if email and email.strip() else None
    return member.staff_id if member else ""


def _run(action: str, number: str, form: ActionForm, portal, now: datetime):
    desk, member, seen = _desk(portal), g.staff, form.revision.data
    text = form.text.data or ""
    if action == "claim":
        return console.claim(desk, member, number, seen, now)
    if action == "reassign":
        return console.reassign(desk, member, number, seen, _colleague_id(portal, form.colleague.data), now)
    if action == "reply":
        return console.reply(desk, member, number, seen, text, now)
    if action == "note":
        return console.add_note(desk, member, number, seen, text, now)
    if action == "contact":
        return console.log_contact_attempt(desk, member, number, seen, form.outcome.data or "", text, now)
    if action == "ask_information":
        return console.ask_information(desk, member, number, seen, text, now)
    if action == "ask_files":
        return console.ask_files(desk, member, number, seen, text, now)
    if action == "escalate":
        colleague = _colleague_id(portal, form.colleague.data) if form.target.data == "senior" else ""
        if form.target.data == "senior" and not colleague:
            raise console.InvalidInput("unknown_colleague")
        return console.escalate(desk, member, number, seen, form.target.data or "", form.reference.data or "",
                                text, now, colleague_id=colleague)
    if action == "resolve":
        return console.resolve(desk, member, number, seen, text, now)
    return console.reopen(desk, member, number, seen, text, now)


@bp.post("/requests/<number>/<action>")
@staff_required(*WORKERS)
def act(number, action):
    """Do one action; a request changed meanwhile shows its new state with what was typed kept (nothing lost)."""
    if action not in STATE_ACTIONS:
        abort(404)
    number = number[:32]
    form = ActionForm()
    if not form.validate_on_submit():
        return _page(number, form, "text_too_long" if form.text.errors else "bad_form", action, 422)
    portal = portal_context()
    try:
        done = _run(action, number, form, portal, datetime.now(UTC))
    except NotFound:
        abort(404)
    except console.NotPermitted:
        abort(403)
    except console.InvalidInput as invalid:
        return _page(number, form, invalid.problem, action, 422)
    except console.OwnedByColleague:
        flash(_("A colleague owns this request; a manager can reassign it."))
        return _page(number, form, None, action, 409)
    except ActionNotAllowed as refused:
        flash(_("This is not possible while the request is %(state)s.", state=status_label(refused.state)))
        return _page(number, form, None, action, 409)
    except ConcurrentUpdate:
        flash(_("The request changed meanwhile: here it is as it is now. What you typed is kept below; check it "
                "and send it again."))
        return _page(number, form, None, action, 409)
    keeping_open = action == "ask_files" and not console.closes_while_awaiting_files(portal.charter)
    message = str(DONE["ask_files_keeping_open" if keeping_open else action])  # rule S13 or not
    if done.mailed:
        message += " " + _("The customer is e-mailed.")
    flash(message)
    return redirect(url_for("staff.request", number=number))
