"""The managers', director's and technicians' oversight pages: problem records (S9, P8, T8), the weekly meeting
(S8) with its CSV, the director's review (T8) and the follow-up tasks (G3, T8)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.domain.errors import ConcurrentUpdate, NotFound
from portal.domain.meeting import to_csv
from portal.domain.problems import KINDS, STATUSES, ProblemRefused
from portal.domain.staff import DIRECTOR, MANAGER, OVERSEERS, PERMISSIONS, WORKERS
from portal.domain.workflow import ActionNotAllowed
from portal.services import lead, problems
from portal.web.app import portal_context
from portal.web.labels import status_label
from portal.web.staff import NAV, bp
from portal.web.staff.lead_forms import (
    CAUSE_LABELS,
    CONTACT_LABELS,
    DECISION_LABELS,
    KIND_LABELS,
    NEXT_STEP_LABELS,
    OUTCOME_LABELS,
    REFUSALS,
    SHORT_KIND_LABELS,
    STATUS_LABELS,
    TASK_LABELS,
    AssignForm,
    CloseProblemForm,
    DecisionForm,
    EmptyForm,
    LinkForm,
    NextStepForm,
    ProblemForm,
    TaskDoneForm,
    label,
)
from portal.web.staff.session import staff_required

# What these pages add to the console's permissions and menu.
PERMISSIONS.setdefault("see_problems", WORKERS)
PERMISSIONS.setdefault("follow_up_tasks", OVERSEERS)
PERMISSIONS.setdefault("director_review", (DIRECTOR,))
NAV.extend([
    ("staff.meeting", _l("Weekly meeting"), "oversee"),
    ("staff.review", _l("Director's review"), "director_review"),
    ("staff.tasks", _l("Follow-up tasks"), "follow_up_tasks"),
    ("staff.problem_list", _l("Problem records"), "see_problems"),
])

# Endpoints of the technicians' request page, if the console has one (the first that exists is linked).
REQUEST_ENDPOINTS = ("staff.request", "staff.request_detail", "staff.ticket")


def _now() -> datetime:
    return datetime.now(UTC)


@bp.app_template_global("staff_request_url")
def staff_request_url(number: str) -> str | None:
    """A link to the request on the console, when the console has a request page."""
    for endpoint in REQUEST_ENDPOINTS:
        if endpoint in current_app.view_functions:
            return url_for(endpoint, number=number)
    return None


def _labels() -> dict:
    return {"kind_label": lambda code: label(KIND_LABELS, code), "short_kind": lambda c: label(SHORT_KIND_LABELS, c),
            "problem_status": lambda code: label(STATUS_LABELS, code),
            "cause_label": lambda code: label(CAUSE_LABELS, code),
            "decision_label": lambda code: label(DECISION_LABELS, code),
            "task_label": lambda code: label(TASK_LABELS, code),
            "next_step_label": lambda code: label(NEXT_STEP_LABELS, code),
            "contact_label": lambda code: label(CONTACT_LABELS, code),
            "outcome_label": lambda code: label(OUTCOME_LABELS, code), "status_label": status_label}


def _refused(code: str) -> str:
    return label(REFUSALS, code)


# --- problem records (S9, P8, T8) -------------------------------------------------------------------------


@bp.route("/problems", methods=["GET", "POST"])
@staff_required(*WORKERS)
def problem_list():
    """The problem database and the feature backlog; a new record from the form."""
    portal = portal_context()
    form = ProblemForm()
    if form.validate_on_submit():
        try:
            record = problems.open_problem(portal.storage.problems, form.kind.data, form.title.data,
                                           g.staff.staff_id, _now(), form.product.data, form.version.data,
                                           form.description.data or "")
        except ProblemRefused as refused:
            form.title.errors = [*form.title.errors, _refused(refused.code)]
        else:
            flash(_("Record %(id)s opened.", id=record.problem_id))
            return redirect(url_for("staff.problem", problem_id=record.problem_id))
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else None
    status = request.args.get("status", "open")
    status = status if status in STATUSES else None
    records = problems.list_problems(portal.storage.problems, kind, status)
    return render_template("staff/lead/problems.html", form=form, records=records, kind=kind, status=status,
                           **_labels()), 200 if not form.errors else 400


@bp.get("/problems/<problem_id>")
@staff_required(*WORKERS)
def problem(problem_id: str):
    portal = portal_context()
    try:
        page = problems.problem_page(portal.storage.problems, portal.storage.tickets, problem_id[:32])
    except NotFound:
        abort(404)
    return render_template("staff/lead/problem.html", page=page, link_form=LinkForm(),
                           close_form=CloseProblemForm(), button=EmptyForm(),
                           may_close=g.staff.role in OVERSEERS, **_labels())


@bp.post("/problems/<problem_id>/link")
@staff_required(*WORKERS)
def link_problem(problem_id: str):
    """Link a request to the record (rule S9: only a programming defect joins the problem database)."""
    portal = portal_context()
    form = LinkForm()
    if form.validate_on_submit():
        try:
            problems.link_request(portal.storage.problems, portal.storage.tickets, form.number.data.strip(),
                                  problem_id[:32], form.cause.data or "", g.staff.staff_id, _now())
        except NotFound:
            flash(_refused("not_found"))
        except ProblemRefused as refused:
            flash(_refused(refused.code))
        else:
            flash(_("Request %(number)s linked.", number=form.number.data.strip()))
    else:
        flash(_("Give the request number."))
    return redirect(url_for("staff.problem", problem_id=problem_id[:32]))


@bp.post("/problems/<problem_id>/close")
@staff_required(*OVERSEERS)
def close_problem(problem_id: str):
    form = CloseProblemForm()
    try:
        problems.close_problem(portal_context().storage.problems, problem_id[:32],
                               form.resolution.data or "" if form.validate_on_submit() else "")
    except NotFound:
        abort(404)
    except ProblemRefused as refused:
        flash(_refused(refused.code))
    else:
        flash(_("Record closed."))
    return redirect(url_for("staff.problem", problem_id=problem_id[:32]))


@bp.post("/problems/<problem_id>/reopen")
@staff_required(*OVERSEERS)
def reopen_problem(problem_id: str):
    if EmptyForm().validate_on_submit():
        try:
            problems.reopen_problem(portal_context().storage.problems, problem_id[:32])
        except NotFound:
            abort(404)
        flash(_("Record open again."))
    return redirect(url_for("staff.problem", problem_id=problem_id[:32]))


# --- the weekly meeting (S8) ------------------------------------------------------------------------------


def _meeting_rows():
    portal = portal_context()
    storage = portal.storage
    return lead.meeting_list(storage.oversight, storage.tickets, storage.staff, portal.charter, portal.calendar,
                             _now())


@bp.get("/meeting")
@staff_required(*OVERSEERS)
def meeting():
    """Rule S8: the unresolved requests for the weekly meeting."""
    return render_template("staff/lead/meeting.html", rows=_meeting_rows(), form=NextStepForm(), **_labels())


def _step_text(step) -> str:
    text = step.text if step.code == "written" else label(NEXT_STEP_LABELS, step.code)
    if step.rule:
        text = f"{text} ({step.rule})"
    if step.at and step.code != "written":
        text = f"{text} — {format_datetime(step.at, 'short')}"
    return text


def _contact_text(contact) -> str:
    if contact is None:
        return ""
    what = label(CONTACT_LABELS, contact.kind)
    if contact.outcome:
        what = f"{what} ({label(OUTCOME_LABELS, contact.outcome)})"
    return f"{format_datetime(contact.at, 'short')} {what}"


@bp.get("/meeting.csv")
@staff_required(*OVERSEERS)
def meeting_csv():
    """The meeting list as CSV (cells that look like formulas are kept as text)."""
    header = [_("Request"), _("Subject"), _("Company"), _("Status"), _("Severity"), _("Age (business days)"),
              _("Owner"), _("Last contact with the customer"), _("Next step"), _("Problem record")]
    lines = [[row.ticket.number, row.ticket.subject, row.ticket.company_id, status_label(row.ticket.status),
              row.ticket.severity, row.age_business_days, row.owner_name, _contact_text(row.last_contact),
              _step_text(row.next_step), row.problem_id] for row in _meeting_rows()]
    day = _now().date().isoformat()
    return Response(to_csv(header, lines), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="meeting-{day}.csv"'})


@bp.post("/meeting/<number>/next-step")
@staff_required(*OVERSEERS)
def next_step(number: str):
    portal = portal_context()
    form = NextStepForm()
    if form.validate_on_submit():
        try:
            lead.record_next_step(portal.storage.oversight, portal.storage.tickets, number[:32], form.text.data,
                                  g.staff.staff_id, _now())
        except NotFound:
            abort(404)
        except ValueError:
            flash(_("Write the next step."))
        else:
            flash(_("Next step of %(number)s recorded.", number=number[:32]))
    else:
        flash(_("Write the next step."))
    return redirect(url_for("staff.meeting"))


# --- the director (T8) ------------------------------------------------------------------------------------


@bp.get("/review")
@staff_required(DIRECTOR)
def review():
    """Rule T8: the requests unresolved for ten business days, for the director's decision."""
    portal = portal_context()
    storage = portal.storage
    items = lead.director_list(storage.oversight, storage.tickets, storage.staff, portal.charter, portal.calendar,
                               _now())
    return render_template("staff/lead/review.html", items=items, form=DecisionForm(),
                           has_rule=bool(portal.charter.closure.director_review_business_days), **_labels())


@bp.post("/review/<number>")
@staff_required(DIRECTOR)
def decide(number: str):
    portal = portal_context()
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Choose a decision."))
        return redirect(url_for("staff.review"))
    try:
        lead.director_decide(portal.storage.tickets, portal.storage.problems, portal.charter, portal.calendar,
                             number[:32], form.decision.data, g.staff.staff_id, _now(), form.note.data or "",
                             (form.problem.data or "").strip())
    except NotFound:
        flash(_refused("not_found"))
    except lead.NotForReview:
        flash(_("This request is not waiting for your review (decided already, resolved, or not ten business "
                "days old)."))
    except ProblemRefused as refused:
        flash(_refused(refused.code))
    except (ConcurrentUpdate, ActionNotAllowed):
        flash(_("The request changed meanwhile: please look again."))
    else:
        flash(_("Decision on %(number)s recorded; a satisfaction follow-up is in your tasks.", number=number[:32]))
    return redirect(url_for("staff.review"))


# --- follow-up tasks (G3, T8) -----------------------------------------------------------------------------


@bp.get("/tasks")
@staff_required(MANAGER, DIRECTOR)
def tasks():
    """The open follow-up tasks of one's role: a manager's after a dissatisfied answer (G3), the director's."""
    storage = portal_context().storage
    items = lead.task_list(storage.tickets, storage.staff, g.staff.role, _now())
    return render_template("staff/lead/tasks.html", items=items, assign_form=AssignForm(), done_form=TaskDoneForm(),
                           button=EmptyForm(), **_labels())


@bp.post("/tasks/<number>/<kind>/take")
@staff_required(MANAGER, DIRECTOR)
def take_task(number: str, kind: str):
    if EmptyForm().validate_on_submit():
        try:
            lead.take_task(portal_context().storage.oversight, number[:32], kind[:40], g.staff.staff_id,
                           g.staff.role)
        except NotFound:
            abort(404)
        flash(_("The task is yours."))
    return redirect(url_for("staff.tasks"))


@bp.post("/tasks/<number>/<kind>/assign")
@staff_required(MANAGER, DIRECTOR)
def assign_task(number: str, kind: str):
    storage = portal_context().storage
    form = AssignForm()
    if not form.validate_on_submit():
        flash(_("Give the owner's e-mail address."))
        return redirect(url_for("staff.tasks"))
    try:
        name = lead.assign_task(storage.oversight, storage.staff, number[:32], kind[:40], form.email.data,
                                g.staff.role)
    except NotFound:
        abort(404)
    except ValueError:
        flash(_("No staff member with this address may own this task."))
    else:
        flash(_("The task is now %(name)s's.", name=name))
    return redirect(url_for("staff.tasks"))


@bp.post("/tasks/<number>/<kind>/done")
@staff_required(MANAGER, DIRECTOR)
def finish_task(number: str, kind: str):
    form = TaskDoneForm()
    if not form.validate_on_submit():
        flash(_("Say what was done."))
        return redirect(url_for("staff.tasks"))
    try:
        lead.finish_task(portal_context().storage.oversight, number[:32], kind[:40], form.note.data,
                         g.staff.staff_id, g.staff.role, _now())
    except NotFound:
        abort(404)
    except ValueError:
        flash(_("Say what was done."))
    else:
        flash(_("Task done."))
    return redirect(url_for("staff.tasks"))


# The console's other pages of this part: the dashboard and the staff API tokens.
from portal.web.staff import admin, api_tokens, dashboard  # noqa: E402,F401
