"""The staff login: apart from the customers' (its own accounts, its own session), throttled the same way."""

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.services import staff_auth
from portal.web.app import portal_context
from portal.web.auth.routes import _wait_message
from portal.web.session import safe_next
from portal.web.staff import bp
from portal.web.staff.forms import StaffLoginForm
from portal.web.staff.session import current_staff, sign_in_staff, sign_out_staff, staff_required


def home_for(role: str) -> str:
    """Where a staff member lands after signing in: the queue for those who work requests."""
    from portal.domain.staff import may

    if may(role, "see_queue") and "staff.queue" in _endpoints():
        return url_for("staff.queue")
    return url_for("staff.home")


def _endpoints():
    from flask import current_app

    return current_app.view_functions


def staff_next(target: str | None) -> str | None:
    """A console path to go back to after login; anything outside /staff/ is dropped."""
    target = safe_next(target)
    return target if target and target.startswith("/staff/") else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Staff sign in with e-mail and password; one message for an unknown e-mail and a wrong password."""
    form = StaffLoginForm()
    error = None
    if form.validate_on_submit():
        portal = portal_context()
        now = datetime.now(UTC)
        try:
            member = staff_auth.log_in_staff(portal.storage.staff, portal.storage.throttles, portal.passwords,
                                             form.email.data, form.password.data,
                                             request.remote_addr or "unknown", now)
        except staff_auth.LoginThrottled as throttled:
            error = _wait_message(throttled.wait)
        except staff_auth.LoginRefused:
            error = _("The e-mail address or the password is not right.")
        else:
            sign_in_staff(member, now)
            return redirect(staff_next(request.args.get("next")) or home_for(member.role))
    return render_template("staff/login.html", form=form, error=error), 200 if error is None else 401


@bp.post("/logout")
def logout():
    message = _("You are signed out.")  # in the session's language, before the session ends
    sign_out_staff()
    flash(message)
    return redirect(url_for("staff.login"))


@bp.get("/")
@staff_required
def home():
    """The console's front page: where each role goes from here."""
    return render_template("staff/home.html", member=current_staff())
