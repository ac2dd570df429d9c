"""The staff members page (permission `manage_staff`, administrators): the team with their role and whether they
are active and have set a password; adding a member (who gets a signed single-use link to set their password),
changing a role, deactivating and reactivating. Each change goes to the audit trail. A new member sets their
password on the console's own page."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from portal.domain.errors import NotFound
from portal.domain.staff import PERMISSIONS
from portal.services import staff_team as service
from portal.web.app import portal_context
from portal.web.staff import NAV, bp
from portal.web.staff.admin import LANGUAGE_CHOICES, REFUSALS, ButtonForm
from portal.web.staff.audit import record, staff_ref
from portal.web.staff.labels import ROLE_LABELS
from portal.web.staff.session import staff_required

NAV.append(("staff.admin_staff", _l("Staff members"), "manage_staff"))
MANAGERS = PERMISSIONS["manage_staff"]
MAX_ID = 80
TEAM_REFUSALS = {
    "email_taken": _l("A staff member with this e-mail address exists already."),
    "last_admin": _l("The team needs an active administrator: make someone else administrator first."),
    "inactive": _l("This member is deactivated: reactivate them first."),
}


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(role, label) for role, label in ROLE_LABELS.items()]


class StaffMemberForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    role = SelectField(_l("Role"), choices=_role_choices)


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=_role_choices)


def _team_refused(code: str) -> str:
    return str(TEAM_REFUSALS.get(code) or REFUSALS.get(code, code))


def _link_for(token: str) -> str:
    return url_for("staff.set_password", token=token, _external=True)


def _now() -> datetime:
    return datetime.now(UTC)


def _team_page(form: StaffMemberForm, status: int = 200):
    members = service.team(portal_context().storage.staff)
    return render_template("staff/admin/staff.html", form=form, members=members, button=ButtonForm(),
                           role_labels=ROLE_LABELS), status


@bp.route("/admin/staff", methods=["GET", "POST"])
@staff_required(*MANAGERS)
def admin_staff():
    """The team; a new member is added and sent their invitation at once."""
    portal = portal_context()
    form = StaffMemberForm()
    if not form.validate_on_submit():
        return _team_page(form, 400 if form.errors else 200)
    try:
        member = service.add_member(portal.storage.staff, form.email.data, form.name.data, form.language.data,
                                    form.role.data)
    except service.AdminRefused as refused:
        field = {"name_required": form.name, "bad_language": form.language, "bad_role": form.role}.get(
            refused.code, form.email)
        field.errors = [*field.errors, _team_refused(refused.code)]
        return _team_page(form, 400)
    record("staff_added", staff_ref(member.staff_id), details={"role": member.role})
    service.invite_member(portal.storage.staff, portal.mailer, portal.link_signer, member.staff_id, _now(),
                          _link_for)
    flash(_("%(name)s is on the team; a link to choose a password is sent to %(email)s.", name=member.name,
            email=member.email))
    return redirect(url_for("staff.admin_staff"))


def _change(action):
    """Run one change on a member; a refusal is flashed, an unknown member is a 404."""
    try:
        return action()
    except NotFound:
        abort(404)
    except service.AdminRefused as refused:
        flash(_team_refused(refused.code))
    return None


@bp.post("/admin/staff/<staff_id>/role")
@staff_required(*MANAGERS)
def admin_staff_role(staff_id: str):
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_team_refused("bad_role"))
        return redirect(url_for("staff.admin_staff"))
    changed = _change(lambda: service.change_role(portal_context().storage.staff, staff_id[:MAX_ID], form.role.data))
    if changed:
        before, after = changed
        if before.role != after.role:
            record("role_changed", staff_ref(after.staff_id), details={"from": before.role, "to": after.role})
        if after.staff_id == g.staff.staff_id:
            session["role"] = after.role  # one's own page follows at once
        flash(_("%(name)s is %(role)s now.", name=after.name, role=ROLE_LABELS[after.role]))
    return redirect(url_for("staff.admin_staff"))


def _set_active(staff_id: str, active: bool):
    if ButtonForm().validate_on_submit():
        member = _change(lambda: service.set_active(portal_context().storage.staff, staff_id[:MAX_ID], active,
                                                    _now()))
        if member:
            record("staff_reactivated" if active else "staff_deactivated", staff_ref(member.staff_id))
            flash(_("%(name)s is active again.", name=member.name) if active else
                  _("%(name)s is deactivated: they can no longer sign in or use their API tokens.", name=member.name))
    return redirect(url_for("staff.admin_staff"))


@bp.post("/admin/staff/<staff_id>/deactivation")
@staff_required(*MANAGERS)
def admin_staff_deactivate(staff_id: str):
    return _set_active(staff_id, False)


@bp.post("/admin/staff/<staff_id>/reactivation")
@staff_required(*MANAGERS)
def admin_staff_reactivate(staff_id: str):
    return _set_active(staff_id, True)


@bp.post("/admin/staff/<staff_id>/invitation")
@staff_required(*MANAGERS)
def admin_staff_invite(staff_id: str):
    """Send the member a new link to set their password (the older link stops working)."""
    if ButtonForm().validate_on_submit():
        portal = portal_context()
        member = _change(lambda: service.invite_member(portal.storage.staff, portal.mailer, portal.link_signer,
                                                       staff_id[:MAX_ID], _now(), _link_for))
        if member:
            flash(_("Invitation sent to %(email)s.", email=member.email))
    return redirect(url_for("staff.admin_staff"))


@bp.route("/password/set/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """A staff member chooses their password from their invitation link (72 h, works once)."""
    from portal.web.auth.routes import set_password_page

    portal = portal_context()
    return set_password_page(
        lambda now: service.staff_link_is_usable(portal.storage.staff, portal.link_signer, token, now),
        lambda password, now: service.set_password_from_link(portal.storage.staff, portal.passwords,
                                                             portal.link_signer, token, password, now),
        "staff", "staff.login")
