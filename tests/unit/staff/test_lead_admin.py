"""Administration services: companies, resellers and their end customers (E4), contacts, designated contacts
and their training (P2), contracts and Professional Services credit in blocks (E11), the catalog import."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from portal.adapters.dynamo.admin import AdminRepository
from portal.domain.catalog import CatalogError
from portal.domain.charter import load_charter
from portal.domain.errors import NotFound
from portal.services import admin as service
from portal.services.admin import AdminRefused
from tests.call_counter import count_dynamodb_calls

CHARTER = load_charter("example")
TIER = CHARTER.tiers[0].id


@pytest.fixture
def stores(moto_storage):
    return moto_storage.accounts, AdminRepository()


def test_companies_are_listed_by_id_from_one_index_query(stores):
    accounts, admin = stores
    service.create_company(accounts, admin, "zeta", "Zeta", "customer", "fr")
    service.create_company(accounts, admin, "Acme", "Acme", "reseller", "nl")
    service.add_contact(accounts, "acme", "ann@acme.example", "Ann", "en")
    with count_dynamodb_calls() as calls:
        listed = service.companies(admin)
    assert [c.company_id for c in listed] == ["acme", "zeta"] and calls == {"Query": 1}


def test_an_end_customer_names_a_reseller_that_exists_rule_e4(stores):
    accounts, admin = stores
    service.create_company(accounts, admin, "resell", "Resell", "reseller", "fr")
    service.create_company(accounts, admin, "shop", "Shop", "customer", "fr", "resell")
    page = service.company_page(accounts, "resell")
    assert page.end_customers == ("shop",)
    assert service.company_page(accounts, "shop").reseller.company_id == "resell"
    with pytest.raises(AdminRefused, match="unknown_reseller"):
        service.create_company(accounts, admin, "other", "Other", "customer", "fr", "shop")
    with pytest.raises(AdminRefused, match="reseller_of_reseller"):
        service.create_company(accounts, admin, "sub", "Sub", "reseller", "fr", "resell")


@pytest.mark.parametrize(("company_id", "name", "kind", "language", "code"), [
    ("x", "X", "customer", "fr", "bad_id"), ("ok-id", " ", "customer", "fr", "name_required"),
    ("ok-id", "X", "partner", "fr", "bad_kind"), ("ok-id", "X", "customer", "de", "bad_language"),
])
def test_a_company_with_bad_fields_is_refused_with_a_code(stores, company_id, name, kind, language, code):
    accounts, admin = stores
    with pytest.raises(AdminRefused, match=code):
        service.create_company(accounts, admin, company_id, name, kind, language)


def test_a_company_id_is_taken_once(stores):
    accounts, admin = stores
    service.create_company(accounts, admin, "acme", "Acme", "customer", "fr")
    with pytest.raises(AdminRefused, match="id_taken"):
        service.create_company(accounts, admin, "acme", "Acme again", "customer", "fr")


def test_a_contact_is_added_without_a_password_and_an_address_is_used_once(stores):
    accounts, admin = stores
    service.create_company(accounts, admin, "acme", "Acme", "customer", "fr")
    contact = service.add_contact(accounts, "acme", " Ann@Acme.example ", "Ann", "en", ("system_owner",))
    assert (contact.email, contact.password_hash, contact.roles) == ("ann@acme.example", None, ("system_owner",))
    with pytest.raises(AdminRefused, match="email_taken"):
        service.add_contact(accounts, "acme", "ann@acme.example", "Ann 2", "en")
    with pytest.raises(AdminRefused, match="bad_email"):
        service.add_contact(accounts, "acme", "not-an-address", "Bob", "en")
    with pytest.raises(AdminRefused, match="bad_role"):
        service.add_contact(accounts, "acme", "bob@acme.example", "Bob", "en", ("king",))
    with pytest.raises(NotFound):
        service.add_contact(accounts, "nobody", "bob@acme.example", "Bob", "en")


def test_designated_contacts_and_their_training_are_recorded_rule_p2(stores):
    accounts, admin = stores
    service.create_company(accounts, admin, "acme", "Acme", "customer", "fr")
    contact = service.add_contact(accounts, "acme", "ann@acme.example", "Ann", "en")
    service.designate(admin, "acme", contact.contact_id, ("deputy",), True)
    stored = accounts.contact("acme", contact.contact_id)
    assert stored.roles == ("deputy",) and stored.training_done
    with pytest.raises(NotFound):
        service.designate(admin, "acme", "acme-nobody", ("deputy",), True)


def test_professional_services_credit_is_bought_in_blocks_and_never_goes_below_zero_rule_e11(stores):
    accounts, admin = stores
    service.create_company(accounts, admin, "acme", "Acme", "customer", "fr")
    service.add_contract(accounts, admin, CHARTER, "acme", "C-1", TIER, date(2026, 1, 1), date(2026, 12, 31),
                         ["alpha-cam"], True, 5)
    assert service.buy_credit(admin, "acme", "C-1", 10) == 15
    with pytest.raises(AdminRefused, match="bad_block"):
        service.buy_credit(admin, "acme", "C-1", 3)
    assert service.use_credit(admin, "acme", "C-1", 2.5) == 12.5
    with pytest.raises(AdminRefused, match="not_enough_credit"):
        service.use_credit(admin, "acme", "C-1", 13)
    with pytest.raises(NotFound):
        service.use_credit(admin, "acme", "C-9", 1)
    assert accounts.company_file("acme").contracts[0].professional_services_hours == 12.5


def test_a_contract_needs_a_tier_of_the_charter_and_an_end_after_its_start(stores):
    accounts, admin = stores
    service.create_company(accounts, admin, "acme", "Acme", "customer", "fr")
    with pytest.raises(AdminRefused, match="unknown_tier"):
        service.add_contract(accounts, admin, CHARTER, "acme", "C-1", "gold-plated", date(2026, 1, 1),
                             date(2026, 12, 31), [], False)
    with pytest.raises(AdminRefused, match="ends_before_start"):
        service.add_contract(accounts, admin, CHARTER, "acme", "C-1", TIER, date(2026, 12, 31), date(2026, 1, 1),
                             [], False)
    service.add_contract(accounts, admin, CHARTER, "acme", "C-1", TIER, date(2026, 1, 1), date(2026, 12, 31), [],
                         False)
    with pytest.raises(AdminRefused, match="id_taken"):
        service.add_contract(accounts, admin, CHARTER, "acme", "C-1", TIER, date(2026, 1, 1), date(2026, 12, 31),
                             [], False)


def test_the_catalog_import_stores_a_valid_document_and_refuses_a_broken_one_whole(moto_storage):
    document = json.loads((Path(__file__).resolve().parents[3] / "portal" / "catalog" / "demo.json").read_text())
    catalog = service.import_catalog(moto_storage.catalog, document)
    assert {p.id for p in moto_storage.catalog.catalog().products} == {p.id for p in catalog.products}
    with pytest.raises(CatalogError):
        service.import_catalog(moto_storage.catalog, {"products": [{"id": "x"}]})
