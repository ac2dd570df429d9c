"""Administration: companies (customers, resellers and their end customers, E4), contacts and their invitations,
designated contacts and their training (P2), contracts and Professional Services credit (E11), the product
catalog, remote-support tool files (G10, E7)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from portal.domain.accounts import CONTACT_ROLES, Company, Contact, Contract
from portal.domain.errors import ConcurrentUpdate, NotFound

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
KINDS = ("customer", "reseller")
LANGUAGES = ("fr", "nl", "en")
PS_BLOCKS = (1, 5, 10, 20)  # rule E11: Professional Services time is bought in blocks of 1, 5, 10 or 20 hours


class AdminRefused(ValueError):
    """What an administrator sent breaks a rule; `code` says which (the page words it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class CompanyPage:
    file: object  # CompanyFile
    end_customers: tuple[str, ...]  # a reseller's end customers (E4)
    reseller: Company | None  # an end customer's reseller


def companies(admin) -> list[Company]:
    """Every company, by id."""
    return admin.companies()


def company_page(accounts, company_id: str) -> CompanyPage:
    """A company with its contacts, contracts, installations and reseller links. :raise NotFound: no such one."""
    file = accounts.company_file(company_id) if ID_PATTERN.match(company_id or "") else None
    if file is None:
        raise NotFound(company_id)
    ends = tuple(accounts.end_customers_of(company_id)) if file.company.kind == "reseller" else ()
    reseller = accounts.company(file.company.reseller_id) if file.company.reseller_id else None
    return CompanyPage(file, ends, reseller)


def create_company(accounts, admin, company_id: str, name: str, kind: str, language: str,
                   reseller_id: str = "") -> Company:
    """A customer or a reseller; an end customer names the reseller that serves it (rule E4).

    :raise AdminRefused: `bad_id`, `name_required`, `bad_kind`, `bad_language`, `unknown_reseller`,
        `reseller_of_reseller`, `id_taken`.
    """
    company_id, name, reseller_id = company_id.strip().lower(), name.strip(), reseller_id.strip().lower()
    if not ID_PATTERN.match(company_id):
        raise AdminRefused("bad_id")
    if not name or len(name) > 200:
        raise AdminRefused("name_required")
    if kind not in KINDS:
        raise AdminRefused("bad_kind")
    if language not in LANGUAGES:
        raise AdminRefused("bad_language")
    if reseller_id:
        if kind == "reseller":
            raise AdminRefused("reseller_of_reseller")
        reseller = accounts.company(reseller_id) if ID_PATTERN.match(reseller_id) else None
        if reseller is None or reseller.kind != "reseller":
            raise AdminRefused("unknown_reseller")
    company = Company(company_id, name, kind, reseller_id or None, language)
    try:
        admin.create_company(company)
    except ConcurrentUpdate as error:
        raise AdminRefused("id_taken") from error
    return company


def _roles(roles) -> tuple[str, ...]:
    chosen = tuple(role for role in CONTACT_ROLES if role in set(roles))
    if len(chosen) != len(set(roles)):
        raise AdminRefused("bad_role")
    return chosen


def checked_person(email: str, name: str, language: str) -> tuple[str, str]:
    """A new contact's or staff member's address (lower case) and name, trimmed and checked.

    :raise AdminRefused: `bad_email`, `name_required`, `bad_language`.
    """
    email, name = email.strip().lower(), name.strip()
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise AdminRefused("bad_email")
    if not name or len(name) > 200:
        raise AdminRefused("name_required")
    if language not in LANGUAGES:
        raise AdminRefused("bad_language")
    return email, name


def id_stem(email: str, fallback: str) -> str:
    """The readable part of a new id: the address's local part in lower-case letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", email.split("@")[0]).strip("-")[:20] or fallback


def add_contact(accounts, company_id: str, email: str, name: str, language: str, roles=(),
                training_done: bool = False) -> Contact:
    """A new contact of a company, without a password until they follow their invitation.

    :raise NotFound: no such company. :raise AdminRefused: `bad_email`, `email_taken`, `name_required`,
        `bad_language`, `bad_role`.
    """
    if accounts.company(company_id) is None:
        raise NotFound(company_id)
    email, name = checked_person(email, name, language)
    if accounts.contact_by_email(email) is not None:
        raise AdminRefused("email_taken")
    contact = Contact(f"{company_id}-{id_stem(email, 'contact')}", company_id, email, name, language, None,
                      _roles(roles), training_done)
    try:
        accounts.save_contact(contact)
    except ConcurrentUpdate as error:
        raise AdminRefused("email_taken") from error
    return contact


def designate(admin, company_id: str, contact_id: str, roles, training_done: bool) -> tuple[str, ...]:
    """Rule P2: name a contact system owner or deputy, and record that they followed the product training; returns
    the roles stored.

    :raise NotFound: no such contact. :raise AdminRefused: `bad_role`.
    """
    chosen = _roles(roles)
    admin.set_designation(company_id, contact_id, chosen, training_done)
    return chosen


def add_contract(accounts, admin, charter, company_id: str, contract_id: str, tier: str, starts: date, ends: date,
                 products, auto_renew: bool, hours: float = 0) -> Contract:
    """A contract on one of the charter's tiers for some products.

    :raise NotFound: no such company. :raise AdminRefused: `bad_id`, `unknown_tier`, `ends_before_start`,
        `unknown_product`, `bad_block` (E11), `id_taken`.
    """
    contract_id = contract_id.strip()
    if accounts.company(company_id) is None:
        raise NotFound(company_id)
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$", contract_id):
        raise AdminRefused("bad_id")
    if tier not in {t.id for t in charter.tiers}:
        raise AdminRefused("unknown_tier")
    if ends < starts:
        raise AdminRefused("ends_before_start")
    if hours and hours not in PS_BLOCKS:
        raise AdminRefused("bad_block")
    contract = Contract(company_id, contract_id, tier, starts, ends, tuple(products), auto_renew, float(hours))
    try:
        admin.add_contract(contract)
    except ConcurrentUpdate as error:
        raise AdminRefused("id_taken") from error
    return contract


def buy_credit(admin, company_id: str, contract_id: str, block: int) -> float:
    """Rule E11: Professional Services time is bought in blocks of 1, 5, 10 or 20 hours; returns the balance.

    :raise NotFound: no such contract. :raise AdminRefused: `bad_block`.
    """
    if block not in PS_BLOCKS:
        raise AdminRefused("bad_block")
    return admin.change_credit(company_id, contract_id, float(block))


def record_cancellation(admin, company_id: str, contract_id: str, on: date | None) -> None:
    """Rule P1: the customer's cancellation came in on `on` (None: withdrawn); by the last day to cancel it stops
    the next automatic renewal, later it stops the one after.

    :raise NotFound: no such contract.
    """
    admin.record_cancellation(company_id, contract_id, on)


def use_credit(admin, company_id: str, contract_id: str, hours: float) -> float:
    """Rule E11: hours of Professional Services used, taken from the credit (never below zero).

    :raise NotFound: no such contract. :raise AdminRefused: `bad_hours`, `not_enough_credit`.
    """
    if not 0 < hours <= 1_000:
        raise AdminRefused("bad_hours")
    try:
        return admin.change_credit(company_id, contract_id, -float(hours))
    except ValueError as error:
        raise AdminRefused("not_enough_credit") from error


def invite(accounts, mailer, signer, company_id: str, contact_id: str, now: datetime, link_for) -> Contact:
    """E-mail the contact a single-use link to set their password (72 hours). :raise NotFound: no such contact."""
    from portal.services.auth import invite_contact

    return invite_contact(accounts, mailer, signer, company_id, contact_id, now, link_for)


def import_catalog(catalog_repository, document) -> object:
    """Check a catalog document (products and releases, the format of portal/catalog/*.json) and store it; saving
    it twice changes nothing. :raise CatalogError: a document the catalog format refuses (nothing is stored)."""
    from portal.domain.catalog import parse_catalog

    catalog = parse_catalog(document, "upload")
    catalog_repository.save(catalog)
    return catalog
