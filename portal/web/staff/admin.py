"""Administration pages (role admin): companies, contacts and their invitations, designated contacts and their
training (P2), contracts and Professional Services credit (E11), the product catalog, remote-support tools."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.domain.catalog import CatalogError
from portal.domain.errors import NotFound
from portal.domain.staff import ADMIN, PERMISSIONS
from portal.services import admin as service
from portal.web.app import portal_context
from portal.web.formatting import decimal_label
from portal.web.staff import NAV, bp
from portal.web.staff.audit import contact_ref, record, record_contacts_shown
from portal.web.staff.session import staff_required

PERMISSIONS.setdefault("administer", (ADMIN,))
NAV.extend([
    ("staff.admin_companies", _l("Companies"), "administer"),
    ("staff.admin_catalog", _l("Catalog"), "administer"),
    ("staff.admin_tools", _l("Remote-support tools"), "administer"),
])
MAX_CATALOG_BYTES = 2 * 1024 * 1024
MAX_TOOL_BYTES = 50 * 1024 * 1024  # the app's request limit; larger tools go through `portal tools add`

LANGUAGE_CHOICES = [SelectChoice("fr", "Français"), SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]
REFUSALS = {
    "bad_id": _l("Use 2 to 40 lower-case letters, digits or hyphens."),
    "name_required": _l("Give a name (at most 200 characters)."),
    "bad_kind": _l("Choose customer or reseller."),
    "bad_language": _l("Choose French, Dutch or English."),
    "unknown_reseller": _l("There is no reseller with this id."),
    "reseller_of_reseller": _l("A reseller is not served by another reseller."),
    "id_taken": _l("This id is taken already."),
    "bad_email": _l("This e-mail address is not valid."),
    "email_taken": _l("A contact with this e-mail address exists already."),
    "bad_role": _l("Unknown role."),
    "unknown_tier": _l("Choose one of the charter's tiers."),
    "ends_before_start": _l("The contract cannot end before it starts."),
    "bad_block": _l("Professional Services time is sold in blocks of 1, 5, 10 or 20 hours (rule E11)."),
    "bad_hours": _l("Give the hours used (more than 0)."),
    "not_enough_credit": _l("Not enough Professional Services credit left."),
}


def _refused(code: str) -> str:
    return str(REFUSALS.get(code, code))


class CompanyForm(FlaskForm):
    company_id = StringField(_l("Id"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice("customer", _l("customer")),
                                         SelectChoice("reseller", _l("reseller"))])
    reseller = StringField(_l("Served by the reseller (id, end customers only)"), validators=[Optional(),
                                                                                             Length(max=40)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


ROLE_CHOICES = [SelectChoice("system_owner", _l("system owner")), SelectChoice("deputy", _l("deputy"))]


class ContactForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    roles = SelectMultipleField(_l("Designated contact (rule P2)"), choices=ROLE_CHOICES, validators=[Optional()])
    training_done = BooleanField(_l("Followed the product training"))


class DesignationForm(FlaskForm):
    roles = SelectMultipleField(_l("Designated contact (rule P2)"), choices=ROLE_CHOICES, validators=[Optional()])
    training_done = BooleanField(_l("Followed the product training"))


class ContractForm(FlaskForm):
    contract_id = StringField(_l("Contract number"), validators=[DataRequired(), Length(max=40)])
    tier = SelectField(_l("Tier"), validators=[DataRequired()])
    starts = DateField(_l("Starts"), validators=[DataRequired()])
    ends = DateField(_l("Ends"), validators=[DataRequired()])
    products = SelectMultipleField(_l("Products"), validators=[Optional()])
    auto_renew = BooleanField(_l("Renews automatically (rule P1)"))


class CancellationForm(FlaskForm):
    on = DateField(_l("Cancellation received on (rule P1)"), validators=[Optional()])
    withdraw = BooleanField(_l("Withdraw the cancellation"))


class CreditForm(FlaskForm):
    block = SelectField(_l("Block of hours (rule E11)"), choices=[SelectChoice(str(b), str(b))
                                                                          for b in service.PS_BLOCKS])


class UseCreditForm(FlaskForm):
    hours = DecimalField(_l("Hours used"), places=2, validators=[DataRequired(), NumberRange(min=0.25, max=1000)])


class UploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired()])


class ToolForm(UploadForm):
    tool = SelectField(_l("Tool"), validators=[DataRequired()])
    version = StringField(_l("Version"), validators=[Optional(), Length(max=50)])


class ButtonForm(FlaskForm):
    """A button: only the CSRF token."""


def _now() -> datetime:
    return datetime.now(UTC)


# --- companies, contacts, contracts -----------------------------------------------------------------------


@bp.route("/admin/companies", methods=["GET", "POST"])
@staff_required(ADMIN)
def admin_companies():
    storage = portal_context().storage
    form = CompanyForm()
    if form.validate_on_submit():
        try:
            company = service.create_company(storage.accounts, storage.admin, form.company_id.data, form.name.data,
                                             form.kind.data, form.language.data, form.reseller.data or "")
        except service.AdminRefused as refused:
            field = form.reseller if refused.code in ("unknown_reseller", "reseller_of_reseller") else (
                form.name if refused.code == "name_required" else form.company_id)
            field.errors = [*field.errors, _refused(refused.code)]
        else:
            flash(_("Company %(name)s created.", name=company.name))
            return redirect(url_for("staff.admin_company", company_id=company.company_id))
    return render_template("staff/admin/companies.html", form=form,
                           companies=service.companies(storage.admin)), 200 if not form.errors else 400


def _company_forms(charter, catalog):
    contract = ContractForm(prefix="contract")
    language = str(get_locale())
    contract.tier.choices = [SelectChoice(tier.id, tier.label.get(language)) for tier in charter.tiers]
    contract.products.choices = [SelectChoice(product.id, product.name) for product in catalog.products]
    return {"contact_form": ContactForm(prefix="contact"), "contract_form": contract,
            "designation": DesignationForm, "credit_form": CreditForm(prefix="credit"),
            "use_form": UseCreditForm(prefix="use"), "cancel_form": CancellationForm(prefix="cancel"),
            "button": ButtonForm()}


def _company_page(company_id: str, status: int = 200, **forms):
    portal = portal_context()
    try:
        page = service.company_page(portal.storage.accounts, company_id[:40])
    except NotFound:
        abort(404)
    values = _company_forms(portal.charter, portal.storage.catalog.catalog())
    values.update(forms)
    company_id = page.file.company.company_id
    record_contacts_shown(f"company:{company_id}", company_id, [c.contact_id for c in page.file.contacts])
    return render_template("staff/admin/company.html", page=page, **values), status


@bp.get("/admin/companies/<company_id>")
@staff_required(ADMIN)
def admin_company(company_id: str):
    return _company_page(company_id)


@bp.post("/admin/companies/<company_id>/contacts")
@staff_required(ADMIN)
def admin_add_contact(company_id: str):
    form = ContactForm(prefix="contact")
    if form.validate_on_submit():
        try:
            contact = service.add_contact(portal_context().storage.accounts, company_id[:40], form.email.data,
                                          form.name.data, form.language.data, form.roles.data or (),
                                          form.training_done.data)
        except NotFound:
            abort(404)
        except service.AdminRefused as refused:
            form.email.errors = [*form.email.errors, _refused(refused.code)]
        else:
            record("contact_added", contact_ref(contact.contact_id, contact.company_id), contact.company_id)
            flash(_("Contact %(name)s added: send the invitation when ready.", name=contact.name))
            return redirect(url_for("staff.admin_company", company_id=company_id[:40]))
    return _company_page(company_id, 400, contact_form=form)


@bp.post("/admin/companies/<company_id>/contacts/<contact_id>/designation")
@staff_required(ADMIN)
def admin_designate(company_id: str, contact_id: str):
    form = DesignationForm()
    company_id, contact_id = company_id[:40], contact_id[:80]
    if form.validate_on_submit():
        try:
            roles = service.designate(portal_context().storage.admin, company_id, contact_id, form.roles.data or (),
                                      form.training_done.data)
        except NotFound:
            abort(404)
        except service.AdminRefused as refused:
            flash(_refused(refused.code))
        else:
            record("designation_changed", contact_ref(contact_id, company_id), company_id,
                   {"roles": " ".join(roles) or "-", "training_done": "yes" if form.training_done.data else "no"})
            flash(_("Designation saved."))
    else:
        flash(_refused("bad_role"))
    return redirect(url_for("staff.admin_company", company_id=company_id))


@bp.post("/admin/companies/<company_id>/contacts/<contact_id>/invitation")
@staff_required(ADMIN)
def admin_invite(company_id: str, contact_id: str):
    portal = portal_context()
    if ButtonForm().validate_on_submit():
        try:
            contact = service.invite(portal.storage.accounts, portal.mailer, portal.link_signer, company_id[:40],
                                     contact_id[:80], _now(),
                                     lambda token: url_for("auth.set_password", token=token, _external=True))
        except NotFound:
            abort(404)
        flash(_("Invitation sent to %(email)s.", email=contact.email))
    return redirect(url_for("staff.admin_company", company_id=company_id[:40]))


@bp.post("/admin/companies/<company_id>/contracts")
@staff_required(ADMIN)
def admin_add_contract(company_id: str):
    portal = portal_context()
    forms = _company_forms(portal.charter, portal.storage.catalog.catalog())
    form = forms["contract_form"]
    if form.validate_on_submit():
        try:
            service.add_contract(portal.storage.accounts, portal.storage.admin, portal.charter, company_id[:40],
                                 form.contract_id.data, form.tier.data, form.starts.data, form.ends.data,
                                 form.products.data or (), form.auto_renew.data)
        except NotFound:
            abort(404)
        except service.AdminRefused as refused:
            field = form.ends if refused.code == "ends_before_start" else (
                form.tier if refused.code == "unknown_tier" else form.contract_id)
            field.errors = [*field.errors, _refused(refused.code)]
        else:
            flash(_("Contract added."))
            return redirect(url_for("staff.admin_company", company_id=company_id[:40]))
    return _company_page(company_id, 400, contract_form=form)


@bp.post("/admin/companies/<company_id>/contracts/<contract_id>/credit")
@staff_required(ADMIN)
def admin_buy_credit(company_id: str, contract_id: str):
    form = CreditForm(prefix="credit")
    if form.validate_on_submit():
        try:
            balance = service.buy_credit(portal_context().storage.admin, company_id[:40], contract_id[:40],
                                         int(form.block.data))
        except NotFound:
            abort(404)
        except service.AdminRefused as refused:
            flash(_refused(refused.code))
        else:
            flash(_("Professional Services credit: %(hours)s hours.", hours=decimal_label(balance)))
    else:
        flash(_refused("bad_block"))
    return redirect(url_for("staff.admin_company", company_id=company_id[:40]))


@bp.post("/admin/companies/<company_id>/contracts/<contract_id>/cancellation")
@staff_required(ADMIN)
def admin_record_cancellation(company_id: str, contract_id: str):
    """Rule P1: record the day the customer's cancellation came in, or withdraw it."""
    form = CancellationForm(prefix="cancel")
    if form.validate_on_submit() and (form.withdraw.data or form.on.data):
        try:
            service.record_cancellation(portal_context().storage.admin, company_id[:40], contract_id[:40],
                                        None if form.withdraw.data else form.on.data)
        except NotFound:
            abort(404)
        flash(_("Cancellation withdrawn.") if form.withdraw.data else _("Cancellation recorded."))
    else:
        flash(_("Give the day the cancellation came in."))
    return redirect(url_for("staff.admin_company", company_id=company_id[:40]))


@bp.post("/admin/companies/<company_id>/contracts/<contract_id>/usage")
@staff_required(ADMIN)
def admin_use_credit(company_id: str, contract_id: str):
    form = UseCreditForm(prefix="use")
    if form.validate_on_submit():
        try:
            balance = service.use_credit(portal_context().storage.admin, company_id[:40], contract_id[:40],
                                         float(form.hours.data))
        except NotFound:
            abort(404)
        except service.AdminRefused as refused:
            flash(_refused(refused.code))
        else:
            flash(_("Professional Services credit: %(hours)s hours.", hours=decimal_label(balance)))
    else:
        flash(_refused("bad_hours"))
    return redirect(url_for("staff.admin_company", company_id=company_id[:40]))


# --- the catalog and the remote-support tools -------------------------------------------------------------


@bp.route("/admin/catalog", methods=["GET", "POST"])
@staff_required(ADMIN)
def admin_catalog():
    """The products and releases; a catalog file (the JSON of `portal catalog import`) replaces or adds them."""
    storage = portal_context().storage
    form, problems = UploadForm(), []
    if form.validate_on_submit():
        content = form.file.data.read(MAX_CATALOG_BYTES + 1)
        try:
            if len(content) > MAX_CATALOG_BYTES:
                raise CatalogError([_("The file is larger than 2 MB.")])
            try:
                document = json.loads(content.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise CatalogError([_("The file is not valid JSON.")]) from error
            catalog = service.import_catalog(storage.catalog, document)
        except CatalogError as error:
            problems = error.problems
        else:
            flash(_("Catalog stored: %(count)s products.", count=len(catalog.products)))
            return redirect(url_for("staff.admin_catalog"))
    status = 400 if problems or form.errors else 200
    return render_template("staff/admin/catalog.html", form=form, problems=problems,
                           catalog=storage.catalog.catalog()), status


@bp.route("/admin/tools", methods=["GET", "POST"])
@staff_required(ADMIN)
def admin_tools():
    """The charter's remote-support tools (G10, E7) with their stored file; upload a new file for one."""
    from portal.services.tools import add_tool_file, stored_tool_file

    portal = portal_context()
    form = ToolForm()
    form.tool.choices = [SelectChoice(tool.id, tool.name) for tool in portal.charter.remote_tools]
    if form.validate_on_submit():
        content = form.file.data.read(MAX_TOOL_BYTES + 1)
        if len(content) > MAX_TOOL_BYTES:
            form.file.errors = [_("The file is larger than 50 MB: use portal tools add.")]
        else:
            try:
                described = add_tool_file(portal.charter, portal.files, form.tool.data, content,
                                          form.version.data or None)
            except (NotFound, ValueError) as error:
                form.file.errors = [str(error)]
            else:
                flash(_("Tool stored: %(size)s bytes, SHA-256 %(sha)s.", size=described.size, sha=described.sha256))
                return redirect(url_for("staff.admin_tools"))
    tools = [(tool, stored_tool_file(portal.files, tool)) for tool in portal.charter.remote_tools]
    return render_template("staff/admin/tools.html", form=form, tools=tools), 200 if not form.errors else 400
