"""Filing and following requests (the intake issue's pages)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from portal.domain.errors import ConcurrentUpdate, NotFound
from portal.domain.queue import AHEAD_COUNTED_UP_TO, position_is_exact
from portal.domain.ticket_files import files_of, request_files
from portal.domain.workflow import AWAITING_FILES, ActionNotAllowed
from portal.services import attachments, deflection, followup, intake
from portal.services.console import step_mail
from portal.services.notifications import acknowledgement_mail, send_quietly
from portal.services.refusals import refusal_message
from portal.web.app import portal_context
from portal.web.requests import bp
from portal.web.requests.forms import FACT_PREFIX, fact_fields, request_form
from portal.web.session import contact_required, current_contact

ARTICLE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")
FACT_PROBLEMS = {"required": lambda: _("This information is required for this kind of request."),
                 "too_long": lambda: _("This is too long."),
                 "invalid_choice": lambda: _("Choose one of the options.")}


def _language() -> str:
    return str(get_locale())


def _product_choices(file, catalog):
    """The company's installed products first, then the rest of the catalog."""
    installed = {installation.product_id for installation in file.installations}
    products = sorted(catalog.products, key=lambda p: (p.id not in installed, p.name))
    return [(product.id, product.name) for product in products]


@bp.route("/new", methods=["GET", "POST"])
@contact_required
def new():
    """File a request: every charter check runs before anything is stored."""
    portal = portal_context()
    contact = current_contact()
    file = portal.storage.accounts.company_file(contact.company_id)
    if request.method == "GET":
        closed = intake.portal_closed(portal.charter, file, datetime.now(UTC).astimezone(portal.calendar.zone).date())
        if closed is not None:  # rule E5: said before the form is filled in, not after
            return render_template("requests/refused.html", reasons=[refusal_message(closed, _language())],
                                   charter=portal.charter, up_front=True)
    catalog = portal.storage.catalog.catalog()
    form = request_form(portal.charter, _language(), _product_choices(file, catalog),
                        formdata=request.form if request.method == "POST" else None)
    if request.method == "GET" and request.args.get("product"):
        form.product.data = request.args["product"]
        form.version.data = request.args.get("version", "")
    uploads = _accepted_uploads(portal, contact) if form.validate_on_submit() else None
    if uploads is not None:
        draft = intake.RequestDraft(
            category=form.category.data, product_id=form.product.data, version=form.version.data.strip(),
            severity=form.severity.data, subject=form.subject.data, topic=form.topic.data or None,
            facts={fact_id: field.data or "" for fact_id, field in fact_fields(form)},
            attachments=uploads, channel="web", idempotency_key=form.idempotency_key.data or None,
            kb_shown=tuple(a for a in request.form.get("kb_shown", "").split(",") if ARTICLE_ID.match(a)))
        try:
            ack = intake.submit_request(portal.charter, portal.calendar, portal.storage.accounts,
                                        portal.storage.catalog, portal.storage.tickets, contact, draft,
                                        datetime.now(UTC), file=file, catalog=catalog)
        except intake.OutOfScope as out:
            return render_template("requests/out_of_scope.html", topic=out.topic, charter=portal.charter), 422
        except intake.IntakeRefused as refused:
            reasons = [refusal_message(r, _language(), portal.charter) for r in refused.refusals]
            return render_template("requests/refused.html", reasons=reasons, charter=portal.charter), 422
        except intake.IdempotencyKeyTaken:
            flash(_("This form was already used to file a request. Reload the page to file a new one."))
            return render_template("requests/new.html", form=form, facts=fact_fields(form), charter=portal.charter,
                                   uploads=_kept_uploads(portal, contact)), 409
        except intake.MissingFacts as missing:
            for fact_id, problem in missing.problems.items():
                field = form._fields.get(FACT_PREFIX + fact_id)
                if field is not None:
                    field.errors = [*field.errors, FACT_PROBLEMS[problem]()]
        else:
            if not ack.duplicate:
                send_quietly(portal.mailer, acknowledgement_mail(portal.charter, portal.calendar, contact, ack))
                deflection.count_request_filed_anyway(portal.storage.kb_counters, draft.kb_shown)  # T7
            return redirect(url_for("requests.detail", number=ack.ticket.number, filed=1, position=ack.queue_position))
    return render_template("requests/new.html", form=form, facts=fact_fields(form), charter=portal.charter,
                           uploads=_kept_uploads(portal, contact))


def _accepted_uploads(portal, contact):
    """The files the form carries, each accepted by content for the contact's company; None (with a message)
    when one is not: the request is not filed without it."""
    try:
        return attachments.accepted_attachments(portal.files, contact, request.form.getlist("attachments")[:20])
    except attachments.UnknownUploads:
        flash(_("One of the files is no longer available: add it again, then send."))
        return None


def _kept_uploads(portal, contact):
    """Files already accepted when the form comes back with an error, so that the customer need not send them
    again."""
    if request.method != "POST":
        return ()
    kept = []
    for upload_id in dict.fromkeys(request.form.getlist("attachments")[:20]):
        try:
            kept.append(attachments.accepted_attachment(portal.files, contact, upload_id))
        except NotFound:
            continue
    return tuple(kept)


@bp.get("")
@contact_required
def index():
    """My requests, newest first (a system owner sees the whole company's)."""
    tickets = followup.my_requests(portal_context().storage.tickets, current_contact())
    return render_template("requests/index.html", tickets=tickets)


@bp.get("/<number>")
@contact_required
def detail(number):
    """One request with its public history; the acknowledgement right after filing."""
    portal = portal_context()
    try:
        view = followup.request_view(portal.storage.tickets, current_contact(), number)
    except NotFound:
        abort(404)
    due = None
    if request.args.get("filed"):
        from portal.domain.sla import response_due

        due = response_due(portal.charter, view.ticket.tier, view.ticket.severity, view.ticket.created_at)
    return render_template("requests/detail.html", view=view, charter=portal.charter, due=due,
                           position=request.args.get("position", type=int), position_is_exact=position_is_exact,
                           ahead_counted_up_to=AHEAD_COUNTED_UP_TO,
                           owner=followup.owner_name(portal.storage.staff, view.ticket))


def _queue_key_for(charter):
    from portal.domain.queue import queue_key
    from portal.domain.tickets import queue_sort_key

    def key(ticket):
        if not ticket.is_open:
            return None
        order = queue_key(charter, ticket.tier, ticket.channel, ticket.created_at)
        return queue_sort_key(order[0], order[1], ticket.created_at, ticket.number)

    return key


def _act(number, action, mail_step=None, read_before=False):
    """Run a customer's action on a request; `mail_step(before, after)` names the e-mail it sends, if any
    (`before`, the request as it was, is read only when `read_before`)."""
    portal = portal_context()
    try:
        before = portal.storage.tickets.ticket_with_history(number) if read_before else None
        written = action(portal, current_contact(), datetime.now(UTC), _queue_key_for(portal.charter))
        step = mail_step(before[0] if before else None, written) if mail_step else None
        if step:
            link = url_for("requests.detail", number=number, _external=True)
            send_quietly(portal.mailer, step_mail(current_contact(), written, step, "", link))
    except NotFound:
        abort(404)
    except ActionNotAllowed:
        flash(_("That is not possible in the request's current state."))
    except ConcurrentUpdate:
        flash(_("The request changed meanwhile: here it is as it is now. Please try again."))
    except followup.ReopenWindowOver:
        flash(_("This request can no longer be reopened: please file a new one."))
    return redirect(url_for("requests.detail", number=number))


@bp.post("/<number>/messages")
@contact_required
def add_message(number):
    """Rule P9: add information; sending requested files reopens the request (rule S13)."""
    text = request.form.get("text", "")
    uploads = _accepted_uploads(portal_context(), current_contact())
    if uploads is None:
        return redirect(url_for("requests.detail", number=number))
    if not text.strip() and not uploads:
        flash(_("Write a message or add a file."))
        return redirect(url_for("requests.detail", number=number))
    return _act(number, lambda portal, contact, now, key: followup.add_information(
        portal.storage.tickets, contact, number, text, uploads, now, key),
        mail_step=_reopened_by_files, read_before=bool(uploads))


def _reopened_by_files(before, after):
    """Rule S13: files that reopen a request closed while awaiting them are confirmed by e-mail."""
    return "reopened" if before is not None and before.status == AWAITING_FILES and after.is_open else None


@bp.get("/<number>/files/<sha256>")
@contact_required
def download(number, sha256):
    """A file of a request the contact may see, through a short-lived link (presigned in production)."""
    portal, contact = portal_context(), current_contact()
    try:
        view = followup.request_view(portal.storage.tickets, contact, number)
    except NotFound:
        abort(404)
    wanted = next((f for f in request_files(view.events) if f.sha256 == sha256), None)
    if wanted is None:
        abort(404)
    try:
        return redirect(attachments.download_url(portal.files, contact, wanted.key))
    except NotFound:
        abort(404)


@bp.post("/<number>/solved")
@contact_required
def solved(number):
    """Rule S14: the customer says the problem is solved."""
    return _act(number, lambda portal, contact, now, key: followup.mark_solved(
        portal.storage.tickets, contact, number, now, key), mail_step=lambda before, after: "resolved")


@bp.post("/<number>/reopen")
@contact_required
def reopen(number):
    def reopen_until(closed_at):
        window = portal_context().charter.closure.confirmation_window_business_days
        return portal_context().calendar.add_business_days(closed_at, window) if window else None

    return _act(number, lambda portal, contact, now, key: followup.reopen(
        portal.storage.tickets, contact, number, now, reopen_until, key), mail_step=lambda before, after: "reopened")


@bp.post("/<number>/survey")
@contact_required
def survey(number):
    """Rule G3: a score and a comment once the request is resolved or closed."""
    portal = portal_context()
    score = request.form.get("score", type=int)
    if score is None:
        flash(_("Choose a score."))
        return redirect(url_for("requests.detail", number=number))
    try:
        followup.answer_survey(portal.storage.tickets, portal.charter, portal.calendar, current_contact(), number,
                               score, request.form.get("comment", ""), datetime.now(UTC))
    except NotFound:
        abort(404)
    except (followup.SurveyNotOpen, ValueError):
        flash(_("The survey cannot be answered for this request."))
    else:
        flash(_("Thank you for your answer."))
    return redirect(url_for("requests.detail", number=number))


@bp.app_context_processor
def ticket_file_helpers():
    """Templates list the files an event brought."""
    return {"files_of": files_of}
