"""Each page and endpoint of the accounts issue makes at most 3 DynamoDB calls (counted, not timed)."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.services.api_tokens import create_token
from tests.builders import make_contact, seeded_app, signed_in_client
from tests.call_counter import count_dynamodb_calls

PAGES = ["/", "/contract", "/products", "/account", "/contact", "/lifecycle"]
ENDPOINTS = ["/api/v1/lifecycle", "/api/v1/me", "/api/v1/me/contracts", "/api/v1/me/products",
             "/api/v1/eligibility?product=alpha-cam&version=2026.1"]


@pytest.fixture
def app(moto_storage, tmp_path):
    return seeded_app(moto_storage, tmp_path)


@pytest.mark.parametrize("email", ["owner@customer1.example", "owner@reseller.example",
                                   "owner@endcustomer.example"])
@pytest.mark.parametrize("path", PAGES)
def test_a_page_makes_at_most_three_dynamodb_calls(app, email, path):
    client = signed_in_client(app, email)
    with count_dynamodb_calls() as calls:
        assert client.get(path).status_code == 200
    assert sum(calls.values()) <= 3, dict(calls)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_an_endpoint_makes_at_most_three_dynamodb_calls_and_a_tokens_first_call_of_the_day_one_write_more(app, path):
    clear, _ = create_token(app.extensions["portal"].storage.api_tokens,
                            make_contact(contact_id="demo-end-customer-owner", company_id="demo-end-customer"),
                            "count", datetime.now(UTC) - timedelta(days=1))
    client = app.test_client()
    with count_dynamodb_calls() as first:
        assert client.get(path, headers={"Authorization": f"Bearer {clear}"}).status_code == 200
    with count_dynamodb_calls() as calls:
        assert client.get(path, headers={"Authorization": f"Bearer {clear}"}).status_code == 200
    assert sum(calls.values()) <= 3, dict(calls)
    public = path == "/api/v1/lifecycle"  # answers without reading the token
    assert first["UpdateItem"] == (0 if public else 1) and "UpdateItem" not in calls  # the day of use, once


def test_a_public_page_reads_nothing_about_visitors(app):
    with count_dynamodb_calls() as calls:
        assert app.test_client().get("/lifecycle").status_code == 200
    assert calls == {"Query": 1}
