"""Personal data under /staff (role admin): find a contact, download their archive, erase them on request; the
audit trail of these actions, read by month and exported as CSV. Every action here is recorded in the trail."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField
from wtforms.validators import DataRequired, Length

from portal.domain.errors import NotFound
from portal.domain.staff import ADMIN, PERMISSIONS
from portal.web.app import portal_context
from portal.web.personal_data import archive_response, personal_data
from portal.web.staff import NAV, bp
from portal.web.staff.audit import contact_ref
from portal.web.staff.audit import record as _audit
from portal.web.staff.session import staff_required

PERMISSIONS.setdefault("steward_personal_data", (ADMIN,))
NAV.extend([
    ("staff.privacy", _l("Personal data"), "steward_personal_data"),
    ("staff.audit_trail", _l("Audit trail"), "steward_personal_data"),
])
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ACTION_LABELS = {
    "contact_viewed": _l("Contact viewed"),
    "contacts_shown": _l("Contacts' details shown"),
    "contact_added": _l("Contact added"),
    "designation_changed": _l("Designated contacts changed"),
    "contact_exported": _l("Personal data archive downloaded"),
    "contact_erased": _l("Contact erased"),
    "staff_added": _l("Staff member added"),
    "role_changed": _l("Role changed"),
    "staff_deactivated": _l("Staff member deactivated"),
    "staff_reactivated": _l("Staff member reactivated"),
    "audit_exported": _l("Audit trail exported"),
}


class FindContactForm(FlaskForm):
    email = EmailField(_l("Contact's e-mail address"), validators=[DataRequired(), Length(max=254)])


class ArchiveForm(FlaskForm):
    """Only the CSRF token: the contact is in the address."""


class EraseForm(FlaskForm):
    confirm_email = EmailField(_l("Type the contact's e-mail address to confirm"),
                               validators=[DataRequired(), Length(max=254)])
    keep_files = BooleanField(_l("The company keeps the files this contact sent"))


def _personal():
    return personal_data()


def _contact_or_404(company_id: str, contact_id: str) -> dict:
    contact = _personal().contact(company_id, contact_id)
    if contact is None:
        abort(404)
    return contact


@bp.route("/privacy", methods=["GET", "POST"])
@staff_required(ADMIN)
def privacy():
    """Find a contact by e-mail address, to download or erase their personal data."""
    form = FindContactForm()
    if form.validate_on_submit():
        found = portal_context().storage.accounts.contact_by_email(form.email.data.strip())
        if found is None:
            form.email.errors.append(_("No contact has this e-mail address."))
        else:
            return redirect(url_for("staff.privacy_contact", company_id=found.company_id,
                                    contact_id=found.contact_id))
    return render_template("staff/privacy/find.html", form=form)


@bp.get("/privacy/<company_id>/<contact_id>")
@staff_required(ADMIN)
def privacy_contact(company_id, contact_id):
    """One contact's personal data at a glance; viewing it is recorded."""
    contact = _contact_or_404(company_id, contact_id)
    requests = _personal().requests_of(company_id, contact_id)
    _audit("contact_viewed", contact_ref(contact_id, company_id), company_id)
    return render_template("staff/privacy/contact.html", contact=contact, company_id=company_id,
                           contact_id=contact_id, request_count=len(requests), archive_form=ArchiveForm(),
                           erase_form=EraseForm())


@bp.post("/privacy/<company_id>/<contact_id>/archive")
@staff_required(ADMIN)
def privacy_archive(company_id, contact_id):
    """The contact's archive (zip), for them; the download is recorded."""
    if not ArchiveForm().validate_on_submit():
        abort(400)
    try:
        response = archive_response(company_id, contact_id)
    except NotFound:
        abort(404)
    _audit("contact_exported", contact_ref(contact_id, company_id), company_id)
    return response


@bp.post("/privacy/<company_id>/<contact_id>/erase")
@staff_required(ADMIN)
def privacy_erase(company_id, contact_id):
    """Erase the contact on their request; the trail records it under the new pseudonym only."""
    from portal.services.auth import normalize_email
    from portal.services.privacy import erase_contact

    contact = _contact_or_404(company_id, contact_id)
    form = EraseForm()
    if not form.validate_on_submit() or normalize_email(form.confirm_email.data) != normalize_email(
            contact.get("email") or ""):
        if not form.errors:
            form.confirm_email.errors.append(_("This is not the contact's e-mail address: nothing was erased."))
        return render_template("staff/privacy/contact.html", contact=contact, company_id=company_id,
                               contact_id=contact_id, request_count=None, archive_form=ArchiveForm(),
                               erase_form=form), 400
    portal = portal_context()
    report = erase_contact(_personal(), portal.files, portal.charter, company_id, contact_id,
                           keep_files=form.keep_files.data,
                           audit=portal.storage.audit, actor=g.staff.staff_id, now=datetime.now(UTC),
                           sent_mail=portal.mailer if hasattr(portal.mailer, "forget") else None)
    flash(_("The contact is erased. Their requests now belong to %(pseudonym)s.", pseudonym=report.pseudonym))
    return redirect(url_for("staff.privacy"))


def _month_asked() -> str:
    month = request.args.get("month") or datetime.now(UTC).strftime("%Y-%m")
    if not MONTH.match(month):
        abort(400)
    return month


@bp.get("/audit")
@staff_required(ADMIN)
def audit_trail():
    """The audit trail of one month, newest first."""
    month = _month_asked()
    entries = portal_context().storage.audit.of_month(month)
    return render_template("staff/privacy/audit.html", month=month, entries=entries, labels=ACTION_LABELS)


@bp.get("/audit.csv")
@staff_required(ADMIN)
def audit_trail_csv():
    """One month of the audit trail as CSV; the export itself is recorded."""
    month = _month_asked()
    entries = portal_context().storage.audit.of_month(month)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "actor", "action", "subject", "company", "details"])
    for entry in entries:
        writer.writerow([_cell(value) for value in (entry.at.isoformat(), entry.actor, entry.action, entry.subject,
                                                     entry.company_id, "; ".join(f"{key}={value}" for key, value
                                                                                 in sorted(entry.details.items())))])
    _audit("audit_exported", month)
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="audit-{month}.csv"'})


def _cell(value: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
