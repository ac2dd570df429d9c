"""Every contact × every other company's pages, API endpoints and tokens: nothing leaks, and it says 404.

A contact sees their own company; a reseller also sees the end customers it serves (rule E4).
"""

from datetime import UTC, datetime

import pytest

from portal.services.api_tokens import create_token
from tests.builders import make_contact, seeded_app, signed_in_client

# (e-mail, contact id, own company): the demo's contacts under the example charter.
CONTACTS = [
    ("owner@customer1.example", "demo-1-owner", "demo-1"),
    ("owner@customer2.example", "demo-2-owner", "demo-2"),
    ("owner@customer3.example", "demo-3-owner", "demo-3"),
    ("owner@reseller.example", "demo-reseller-owner", "demo-reseller"),
    ("owner@endcustomer.example", "demo-end-customer-owner", "demo-end-customer"),
]
COMPANIES = ["demo-1", "demo-2", "demo-3", "demo-reseller", "demo-end-customer", "no-such-company"]
SERVED = {"demo-reseller": {"demo-end-customer"}}
PAGES = ["/contract", "/products"]
ENDPOINTS = ["/api/v1/me", "/api/v1/me/contracts", "/api/v1/me/products",
             "/api/v1/eligibility?product=alpha-cam&version=2026.1"]


@pytest.fixture(scope="module")
def matrix_app(tmp_path_factory):
    """One seeded app for the whole matrix (read-only tests), on its own moto database."""
    import os

    from moto import mock_aws

    from portal.adapters.dynamo.storage import DynamoStorage
    from tests.builders import FAKE_AWS, make_settings

    saved = {name: os.environ.get(name) for name in FAKE_AWS}
    os.environ.update(FAKE_AWS)
    with mock_aws():
        storage = DynamoStorage(make_settings())
        storage.create_missing_tables()
        yield seeded_app(storage, tmp_path_factory.mktemp("matrix"))
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def may_see(own: str, target: str) -> bool:
    return target == own or target in SERVED.get(own, set())


def cases():
    for email, contact_id, own in CONTACTS:
        for target in COMPANIES:
            yield pytest.param(email, contact_id, own, target, id=f"{contact_id}->{target}")


@pytest.mark.parametrize("email, contact_id, own, target", list(cases()))
def test_pages_show_a_company_only_to_its_contacts_and_its_reseller(matrix_app, email, contact_id, own, target):
    client = signed_in_client(matrix_app, email)
    for path in PAGES:
        response = client.get(f"{path}?company={target}")
        expected = 200 if may_see(own, target) else 404
        assert response.status_code == expected, f"{email} {path}?company={target}"
        if expected == 404:
            assert target not in response.get_data(as_text=True) or target == "no-such-company"


@pytest.mark.parametrize("email, contact_id, own, target", list(cases()))
def test_the_api_shows_a_company_only_to_its_contacts_and_its_reseller(matrix_app, email, contact_id, own, target):
    clear, _ = create_token(matrix_app.extensions["portal"].storage.api_tokens,
                            make_contact(contact_id=contact_id, company_id=own), "matrix", datetime.now(UTC))
    client = matrix_app.test_client()
    for path in ENDPOINTS:
        separator = "&" if "?" in path else "?"
        response = client.get(f"{path}{separator}company={target}", headers={"Authorization": f"Bearer {clear}"})
        expected = 200 if may_see(own, target) else 404
        assert response.status_code == expected, f"{contact_id} {path} company={target}"
        if expected == 200:
            body = response.get_json()
            assert body.get("company_id", body.get("company", {}).get("id", target)) == target


def test_a_contact_cannot_revoke_another_contacts_token(matrix_app):
    tokens = matrix_app.extensions["portal"].storage.api_tokens
    _, token = create_token(tokens, make_contact(contact_id="demo-1-owner", company_id="demo-1"), "theirs",
                            datetime.now(UTC))
    intruder = signed_in_client(matrix_app, "owner@customer2.example")
    assert intruder.post(f"/account/tokens/{token.token_id}/revoke").status_code == 404
    assert not tokens.get(token.token_id)[0].revoked


def test_the_account_page_lists_only_the_contacts_own_tokens(matrix_app):
    tokens = matrix_app.extensions["portal"].storage.api_tokens
    create_token(tokens, make_contact(contact_id="demo-1-owner", company_id="demo-1"), "secret-name-of-one",
                 datetime.now(UTC))
    page = signed_in_client(matrix_app, "owner@customer2.example").get("/account").get_data(as_text=True)
    assert "secret-name-of-one" not in page
