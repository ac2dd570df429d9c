from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.services import auth
from portal.services.links import LinkInvalid
from portal.web.app import portal_context
from portal.web.auth import bp
from portal.web.auth.forms import ForgotPasswordForm, LoginForm, SetPasswordForm
from portal.web.session import safe_next, sign_in, sign_out


def _wait_message(wait) -> str:
    seconds = int(wait.total_seconds()) + 1
    if seconds < 60:
        return _("Too many attempts. Please wait %(seconds)d seconds before trying again.", seconds=seconds)
    return _("Too many attempts. Please wait %(minutes)d minutes before trying again.",
             minutes=(seconds + 59) // 60)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with e-mail and password; one message for an unknown e-mail and a wrong password."""
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        portal = portal_context()
        try:
            contact = auth.log_in(portal.storage.accounts, portal.storage.throttles, portal.passwords,
                                  form.email.data, form.password.data, request.remote_addr or "unknown",
                                  datetime.now(UTC))
        except auth.LoginThrottled as throttled:
            error = _wait_message(throttled.wait)
        except auth.LoginRefused:
            error = _("The e-mail address or the password is not right.")
        else:
            sign_in(contact)
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/login.html", form=form, error=error), 200 if error is None else 401


@bp.post("/logout")
def logout():
    message = _("You are signed out.")  # in the session's language, before the session ends
    sign_out()
    flash(message)
    return redirect(url_for("auth.login"))


def _link_for(token: str) -> str:
    return url_for("auth.set_password", token=token, _external=True)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether the address is known or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        portal = portal_context()
        auth.request_password_reset(portal.storage.accounts, portal.mailer, portal.link_signer, form.email.data,
                                    datetime.now(UTC), _link_for)
        flash(_("If this address belongs to an account, a link to choose a new password is on its way. "
                "It works once, for one hour."))
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


PASSWORD_PROBLEMS = {
    "too_short": lambda: _("At least 12 characters."),
    "is_email": lambda: _("Your password cannot be your e-mail address."),
}


def set_password_page(is_usable, set_from_link, templates: str, login_endpoint: str):
    """The page of a set-password link (a customer's or a staff member's): `is_usable(now)` says whether the link
    still works, `set_from_link(password, now)` stores the password; `templates` is the folder holding
    set_password.html and link_invalid.html."""
    now = datetime.now(UTC)
    if not is_usable(now):
        return render_template(f"{templates}/link_invalid.html"), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            set_from_link(form.password.data, now)
        except LinkInvalid:
            return render_template(f"{templates}/link_invalid.html"), 410
        except auth.PasswordTooWeak as weak:
            form.password.errors.append(PASSWORD_PROBLEMS[str(weak)]())
        else:
            flash(_("Your password is set. You can sign in now."))
            return redirect(url_for(login_endpoint))
    return render_template(f"{templates}/set_password.html", form=form)


@bp.route("/password/set/<token>", methods=["GET", "POST"])
def set_password(token):
    """Choose a password from an invitation (72 h) or reset (1 h) link; the link works once."""
    portal = portal_context()
    return set_password_page(
        lambda now: auth.link_is_usable(portal.storage.accounts, portal.link_signer, token, now),
        lambda password, now: auth.set_password_from_link(portal.storage.accounts, portal.passwords,
                                                          portal.link_signer, token, password, now),
        "auth", "auth.login")
