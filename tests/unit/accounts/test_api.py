"""The JSON API: the same rules as the pages, JSON errors with a code, the OpenAPI document."""

from datetime import UTC, datetime

import pytest

from portal.services.api_tokens import create_token
from tests.builders import make_contact, seeded_app


@pytest.fixture
def app(moto_storage, tmp_path):
    return seeded_app(moto_storage, tmp_path)


def token_for(app, contact_id="demo-1-owner", company_id="demo-1"):
    clear, _ = create_token(app.extensions["portal"].storage.api_tokens,
                            make_contact(contact_id=contact_id, company_id=company_id), "tests", datetime.now(UTC))
    return {"Authorization": f"Bearer {clear}"}


def test_the_lifecycle_is_public(app):
    response = app.test_client().get("/api/v1/lifecycle")
    assert response.status_code == 200
    releases = response.get_json()["releases"]
    assert {"product": "alpha-cam", "version": "2026.1"}.items() <= next(
        r for r in releases if r["version"] == "2026.1").items()


def test_an_endpoint_without_a_token_answers_401_in_json(app):
    response = app.test_client().get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_does_not_authenticate_the_api(app):
    from tests.builders import signed_in_client

    client = signed_in_client(app, "owner@customer1.example")
    assert client.get("/api/v1/me").status_code == 401


def test_me_describes_the_tokens_contact_and_company(app):
    body = app.test_client().get("/api/v1/me", headers=token_for(app)).get_json()
    assert body["contact"]["id"] == "demo-1-owner" and body["contact"]["roles"] == ["system_owner"]
    assert body["company"] == {"id": "demo-1", "name": "Demo Customer 1 (premium)", "kind": "customer",
                               "reseller_id": None}


def test_my_contracts_say_what_the_tier_allows(app):
    """Rules P1, E5, E7."""
    body = app.test_client().get("/api/v1/me/contracts", headers=token_for(app)).get_json()
    [contract] = body["contracts"]
    assert contract["tier"] == "premium" and contract["state"] == "active"
    assert contract["channels"] == ["web", "email", "phone", "remote"] and contract["remote_support"]
    assert contract["last_day_to_cancel"] is not None
    assert body["can_open_requests"] is True


def test_my_products_carry_their_support_status(app):
    body = app.test_client().get("/api/v1/me/products", headers=token_for(app)).get_json()
    versions = {(p["product"], p["version"]): p for p in body["products"]}
    assert versions[("alpha-cam", "2026.1")]["status"]["supported"] is True
    assert versions[("alpha-cam", "2025.1")]["status"]["supported"] is False
    assert versions[("alpha-cam", "2025.1")]["move_to"] == ["2026.1"]


def test_eligibility_for_a_supported_version(app):
    body = app.test_client().get("/api/v1/eligibility?product=alpha-cam&version=2026.1",
                                 headers=token_for(app)).get_json()
    assert body["eligible"] is True and body["tier"] == "premium" and body["reasons"] == []
    assert "bug" in body["categories"]


def test_an_unsupported_version_may_still_ask_what_the_charter_allows(app):
    """Rule T9 in the example charter: an old version still gets questions answered, not fixes."""
    body = app.test_client().get("/api/v1/eligibility?product=alpha-cam&version=2024.1",
                                 headers=token_for(app)).get_json()
    assert body["eligible"] is True and body["categories"] == ["support"]
    assert body["release"]["supported"] is False


def test_untrained_designated_contacts_make_requests_impossible_with_a_translated_reason(app):
    """Rule P2."""
    body = app.test_client().get("/api/v1/eligibility?product=alpha-cam&version=2026.1",
                                 headers={**token_for(app, "demo-2-owner", "demo-2"),
                                          "Accept-Language": "fr"}).get_json()
    assert body["eligible"] is False
    [reason] = body["reasons"]
    assert reason["code"] == "designated_contacts_untrained"
    assert "formation" in reason["message"]


def test_an_unknown_version_or_product_is_a_reason_not_an_error(app):
    headers = token_for(app)
    client = app.test_client()
    version = client.get("/api/v1/eligibility?product=alpha-cam&version=1999", headers=headers).get_json()
    assert [r["code"] for r in version["reasons"]] == ["unknown_version"]
    product = client.get("/api/v1/eligibility?product=nothing&version=1", headers=headers).get_json()
    assert [r["code"] for r in product["reasons"]] == ["unknown_product"]


@pytest.mark.parametrize("query, code", [("", "missing_parameter"), ("?product=alpha-cam", "missing_parameter"),
                                         ("?product=" + "x" * 101 + "&version=1", "invalid_parameter")])
def test_bad_input_gets_a_400_with_a_code(app, query, code):
    response = app.test_client().get(f"/api/v1/eligibility{query}", headers=token_for(app))
    assert response.status_code == 400 and response.get_json()["error"]["code"] == code


def test_the_openapi_document_describes_every_endpoint(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert {"/lifecycle", "/me", "/me/contracts", "/me/products", "/eligibility"} <= set(document["paths"])


def test_responses_match_the_openapi_schemas(app):
    """Every 200 body validates against its schema in the OpenAPI document."""
    import jsonschema

    document = app.test_client().get("/api/v1/openapi.json").get_json()
    headers = token_for(app)
    for path in ("/lifecycle", "/me", "/me/contracts", "/me/products", "/eligibility?product=alpha-cam&version=2026.1"):
        body = app.test_client().get(f"/api/v1{path}", headers=headers).get_json()
        schema = document["paths"][path.split("?")[0]]["get"]["responses"]["200"]["content"]["application/json"]
        resolver_doc = {**schema["schema"], "components": document["components"]}
        jsonschema.validate(body, resolver_doc, cls=jsonschema.Draft202012Validator)
