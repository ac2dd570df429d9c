"""A staff member's API tokens for the team's integrations (telephony, CRM): created, shown once, revoked."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal.domain.staff import ANY_STAFF, PERMISSIONS
from portal.services.staff_tokens import TooManyTokens, create_staff_token, revoke_staff_token, staff_tokens_of
from portal.web.app import portal_context
from portal.web.staff import NAV, bp
from portal.web.staff.session import staff_required

PERMISSIONS.setdefault("staff_api_tokens", ANY_STAFF)
NAV.append(("staff.api_tokens", _l("API tokens"), "staff_api_tokens"))


class TokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=80)])


class RevokeForm(FlaskForm):
    """A button: only the CSRF token."""


@bp.route("/api-tokens", methods=["GET", "POST"])
@staff_required
def api_tokens():
    """Create a token (its secret is shown once) and list one's own tokens."""
    tokens = portal_context().storage.api_tokens
    form, clear = TokenForm(), None
    if form.validate_on_submit():
        try:
            clear, _token = create_staff_token(tokens, g.staff, form.name.data, datetime.now(UTC))
        except TooManyTokens:
            form.name.errors = [_("You hold ten active tokens: revoke one first.")]
    return render_template("staff/lead/api_tokens.html", form=form, clear=clear, revoke=RevokeForm(),
                           tokens=staff_tokens_of(tokens, g.staff.staff_id)), 200 if not form.errors else 400


@bp.post("/api-tokens/<token_id>/revoke")
@staff_required
def revoke_api_token(token_id: str):
    if RevokeForm().validate_on_submit() and revoke_staff_token(portal_context().storage.api_tokens,
                                                                g.staff.staff_id, token_id[:40]):
        flash(_("Token revoked."))
    return redirect(url_for("staff.api_tokens"))
