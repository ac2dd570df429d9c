"""The accounts repository on moto: what it writes it reads back, through keys and indexes only."""

from datetime import date

from portal.domain.accounts import Company, Contact, Contract, DemoData, Installation


def make_demo(**overrides) -> DemoData:
    values = dict(
        companies=(Company("acme", "Acme"), Company("end", "End", reseller_id="acme")),
        contacts=(Contact("acme-1", "acme", "Owner@Acme.example", "Owner", roles=("system_owner",)),),
        contracts=(Contract("acme", "C-1", "premium", date(2026, 1, 1), date(2026, 12, 31), ("alpha",)),),
        installations=(Installation("acme", "alpha", "2025.1"),),
    )
    values.update(overrides)
    return DemoData(**values)


def test_saved_demo_data_is_read_back_by_key(moto_storage):
    accounts = moto_storage.accounts
    assert not accounts.demo_loaded()
    accounts.save_demo(make_demo())
    assert accounts.demo_loaded()
    assert accounts.company("end") == Company("end", "End", reseller_id="acme")
    assert accounts.company("nobody") is None
    assert accounts.contracts_of("acme")[0].tier == "premium"
    assert accounts.installations_of("acme") == [Installation("acme", "alpha", "2025.1")]
    assert accounts.end_customers_of("acme") == ["end"]
    assert accounts.end_customers_of("end") == []


def test_a_company_file_is_read_with_one_query(moto_storage):
    from tests.call_counter import count_dynamodb_calls

    moto_storage.accounts.save_demo(make_demo())
    with count_dynamodb_calls() as calls:
        file = moto_storage.accounts.company_file("acme")
    assert calls == {"Query": 1}
    assert file.company.name == "Acme" and len(file.contacts) == 1 and len(file.contracts) == 1
    assert file.installations == (Installation("acme", "alpha", "2025.1"),)
    assert moto_storage.accounts.company_file("nobody") is None


def test_a_contact_is_found_by_email_whatever_its_case(moto_storage):
    moto_storage.accounts.save_demo(make_demo())
    contact = moto_storage.accounts.contact_by_email("  owner@ACME.example ")
    assert contact.contact_id == "acme-1"
    assert contact.roles == ("system_owner",)
    assert moto_storage.accounts.contact_by_email("someone@else.example") is None


def test_a_contract_covers_its_first_and_last_day_only():
    """Rule S1/E1: support only under a contract in force."""
    contract = Contract("acme", "C-1", "premium", date(2026, 1, 1), date(2026, 12, 31))
    assert contract.is_active(date(2026, 1, 1)) and contract.is_active(date(2026, 12, 31))
    assert not contract.is_active(date(2025, 12, 31)) and not contract.is_active(date(2027, 1, 1))
