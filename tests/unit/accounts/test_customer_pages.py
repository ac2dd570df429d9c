"""The customer's pages: home, contract status, products, contact, the public lifecycle page, the account."""

import pytest

from tests.builders import seeded_app, signed_in_client

PREMIUM = "owner@customer1.example"  # demo-1: premium tier, designated contacts trained
STANDARD = "owner@customer2.example"  # demo-2: standard tier, the deputy has not followed the training (P2)


@pytest.fixture
def app(moto_storage, tmp_path):
    return seeded_app(moto_storage, tmp_path)


def page(client, path, language="en"):
    """A page in a language chosen with ?lang= (a signed-in contact's own language wins over the browser's)."""
    separator = "&" if "?" in path else "?"
    response = client.get(f"{path}{separator}lang={language}")
    return response.status_code, response.get_data(as_text=True).replace("&#39;", "'")


def test_pages_for_contacts_send_anonymous_visitors_to_the_login(app):
    client = app.test_client()
    for path in ("/contract", "/products", "/account"):
        response = client.get(path)
        assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_home_shows_the_companys_contract_and_todays_hours(app):
    status, body = page(signed_in_client(app, PREMIUM), "/")
    assert status == 200
    assert "Demo Customer 1" in body and "Premium" in body
    assert "No open requests." in body
    assert "Support is open now." in body or "Support is closed now." in body


def test_home_names_the_state_of_each_open_request_in_the_contacts_language(app, moto_storage):
    from tests.unit.staff.staff_builders import store_ticket

    charter = app.extensions["portal"].charter
    store_ticket(moto_storage.tickets, charter, company_id="demo-1", contact_id="demo-1-owner", status="in_progress")
    _, body = page(signed_in_client(app, PREMIUM), "/", "fr")
    assert "Export crashes" in body and "<td>en cours</td>" in body and "in_progress" not in body


def test_the_contract_page_shows_tier_channels_remote_support_and_the_last_day_to_cancel(app):
    """Rules P1, E5, E7, E11."""
    status, body = page(signed_in_client(app, PREMIUM), "/contract")
    assert status == 200
    assert "in force" in body and "Renews automatically on" in body and "You can cancel until" in body
    assert "this portal, e-mail, phone, remote session" in body
    assert "Allowed" in body
    assert "Professional Services hours left" in body


def test_without_trained_designated_contacts_the_contract_page_says_requests_are_not_yet_possible(app):
    """Rule P2."""
    _, body = page(signed_in_client(app, STANDARD), "/contract", "nl")
    assert "Aanvragen zijn nog niet mogelijk" in body
    assert "nog niet" in body


def test_the_products_page_shows_each_versions_support_and_what_to_move_to(app):
    """Rules T9, T11: the example charter supports the previous version six months after its successor."""
    status, body = page(signed_in_client(app, PREMIUM), "/products")
    assert status == 200
    assert "Alpha CAM 2025.1" in body and "Alpha CAM 2026.1" in body
    assert "not supported since" in body  # 2025.1's six months after 2026.1 (2026-03-09) are over
    assert "Supported versions to move to: 2026.1" in body
    assert "<svg" in body and "tl-current" in body


def test_the_public_lifecycle_page_needs_no_login(app):
    status, body = page(app.test_client(), "/lifecycle", "fr")
    assert status == 200
    assert "Alpha CAM" in body and "NetEdge Firewall" in body
    assert "supporté" in body or "support" in body


def test_the_contact_page_lists_hours_with_lunch_breaks_and_the_next_opening(app):
    status, body = page(app.test_client(), "/contact")
    assert status == 200
    assert "Monday" in body and "Opening hours" in body
    assert "Europe/" in body


def test_a_signed_in_contact_sees_only_the_channels_of_their_tier(app):
    """Rules E5, T5: the basic tier has no phone."""
    _, body = page(signed_in_client(app, "owner@customer3.example"), "/contact")
    assert "tel:" not in body


@pytest.mark.parametrize("language, never, last_used", [("en", "Never", "Last used"),
                                                         ("fr", "Jamais", "Dernière utilisation"),
                                                         ("nl", "Nooit", "Laatst gebruikt")])
def test_the_account_page_says_when_each_token_was_last_used(app, language, never, last_used):
    import re
    from datetime import UTC, datetime

    client = signed_in_client(app, PREMIUM)
    clear = re.search(r"pt_[0-9a-f]+\.[A-Za-z0-9_-]+", client.post("/account", data={"name": "CRM"}).get_data(
        as_text=True)).group(0)
    body = client.get(f"/account?lang={language}").get_data(as_text=True)
    assert last_used in body and never in body
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {clear}"}).status_code == 200
    body = client.get(f"/account?lang={language}").get_data(as_text=True)
    assert never not in body
    [token] = app.extensions["portal"].storage.api_tokens.tokens_of("demo-1-owner")
    assert token.last_used == datetime.now(UTC).date()


def test_a_token_is_shown_once_and_can_be_revoked(app):
    client = signed_in_client(app, PREMIUM)
    status, body = page(client, "/account")
    assert status == 200
    response = client.post("/account", data={"name": "CRM export"})
    created = response.get_data(as_text=True)
    assert "Copy this token now" in created and "pt_" in created
    again = client.get("/account").get_data(as_text=True)
    assert "CRM export" in again and "pt_" not in again
    token_id = app.extensions["portal"].storage.api_tokens.tokens_of("demo-1-owner")[0].token_id
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    assert "CRM export" not in client.get("/account").get_data(as_text=True)


def test_the_contract_page_says_until_when_it_renews_and_what_a_cancellation_does_rule_p1(app):
    accounts = app.extensions["portal"].storage.accounts
    [contract] = [c for c in accounts.company_file("demo-1").contracts]
    _status, body = page(signed_in_client(app, PREMIUM), "/contract")
    assert "Renews automatically on" in body and ", until " in body
    app.extensions["portal"].storage.admin.record_cancellation("demo-1", contract.contract_id, contract.starts)
    _status, body = page(signed_in_client(app, PREMIUM), "/contract")
    assert "the contract ends without renewal" in body and "Does not renew automatically." in body
    assert "You can cancel until" not in body


def test_home_counts_a_contract_renewed_by_itself_from_the_first_day_of_its_new_period_rule_p1(app):
    """Rule P1: the day after its end, before the daily check has recorded the renewal, the contract is shown in
    force until the new period's last day."""
    from datetime import date, timedelta

    from babel.dates import format_date

    from portal.domain.accounts import Contract
    from portal.domain.lifecycle import add_months

    today = date.today()
    app.extensions["portal"].storage.admin.add_contract(
        Contract("demo-1", "R-1", "standard", today - timedelta(days=365), today - timedelta(days=1), (), True))
    _status, body = page(signed_in_client(app, PREMIUM), "/")
    renewed_until = add_months(today, 12) - timedelta(days=1)
    assert format_date(renewed_until, "d MMMM y", locale="en") in body


def test_home_tells_a_techtra_customer_without_contract_that_requests_still_go_in_rule_t2(moto_storage, tmp_path):
    """Rule T2: "everyone else" is served at the third priority; the home page does not say support is closed."""
    from dataclasses import replace

    from portal.domain.accounts import Company

    techtra = seeded_app(moto_storage, tmp_path, "techtra")
    accounts = techtra.extensions["portal"].storage.accounts
    owner = accounts.contact_by_email(PREMIUM)
    accounts.save_company(Company("lapsed", "Lapsed Ltd", language="en"))
    accounts.save_contact(replace(owner, contact_id="lapsed-owner", company_id="lapsed",
                                  email="owner@lapsed.example"))
    client = signed_in_client(techtra, "owner@lapsed.example")
    _status, body = page(client, "/")
    assert "handled after those of customers under contract" in body
    assert "support is not available for now" not in body
    _status, body = page(client, "/contract")
    assert "handled after those of customers under contract" in body and "Requests are not possible" not in body
