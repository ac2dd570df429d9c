from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.domain.errors import NotFound
from portal.services import api_tokens, customer
from portal.web.app import portal_context
from portal.web.customer import bp
from portal.web.customer.forms import NewTokenForm, RevokeTokenForm
from portal.web.session import contact_checked_now, contact_required, current_contact


def _today():
    return portal_context().today(datetime.now(UTC))


def _visible_file():
    """The company file the signed-in contact may see (own, or a served end customer: rule E4); else 404."""
    try:
        return customer.visible_company_file(portal_context().storage.accounts, current_contact().company_id,
                                             request.args.get("company"))
    except NotFound:
        abort(404)


@bp.get("/contract")
@contact_required
def contract():
    """Contract status: tier, covered products, dates, renewal and notice (P1), channels (E5, T5), remote (E7)."""
    portal = portal_context()
    file = _visible_file()
    status = customer.contract_status(portal.charter, file, portal.storage.catalog.catalog(), _today())
    return render_template("customer/contract.html", status=status, charter=portal.charter, today=_today())


@bp.get("/products")
@contact_required
def products():
    """Installed products and versions with their support status and the versions to move to (G6, T9)."""
    portal = portal_context()
    file = _visible_file()
    items = customer.installed_products(portal.charter, file, portal.storage.catalog.catalog(), _today())
    return render_template("customer/products.html", file=file, items=items, today=_today())


@bp.route("/account", methods=["GET", "POST"])
@contact_required
def account():
    """The contact's account: personal API tokens, created (shown once) and revoked here."""
    portal = portal_context()
    contact = current_contact()
    form = NewTokenForm()
    created = None
    if form.validate_on_submit():
        contact = contact_checked_now()
        if contact is None:  # erased, or its password changed, since the last check
            return redirect(url_for("auth.login"))
        try:
            created, _token = api_tokens.create_token(portal.storage.api_tokens, contact, form.name.data,
                                                      datetime.now(UTC))
        except api_tokens.TooManyTokens:
            form.name.errors.append(_("You hold the maximum number of tokens: revoke one first."))
    tokens = [token for token in portal.storage.api_tokens.tokens_of(contact.contact_id) if not token.revoked]
    return render_template("customer/account.html", contact=contact, form=form, created=created, tokens=tokens,
                           revoke_form=RevokeTokenForm())


@bp.post("/account/personal-data")
@contact_required
def personal_data_archive():
    """Everything the portal holds about the signed-in contact, as one zip (GDPR art. 15 and 20, Law 25)."""
    from portal.web.personal_data import archive_response

    if not RevokeTokenForm().validate_on_submit():  # a form of the CSRF token alone
        abort(400)
    contact = current_contact()
    try:
        return archive_response(contact.company_id, contact.contact_id)
    except NotFound:
        abort(404)


@bp.post("/account/tokens/<token_id>/revoke")
@contact_required
def revoke_token(token_id):
    if not RevokeTokenForm().validate_on_submit():
        abort(400)
    if not api_tokens.revoke_token(portal_context().storage.api_tokens, current_contact(), token_id):
        abort(404)
    flash(_("The token is revoked: programs using it are refused from now on."))
    return redirect(url_for("customer.account"))
