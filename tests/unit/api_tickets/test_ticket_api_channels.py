"""Rule E5 (Exer) through the JSON API: the API is the web platform ("web" channel), so a manufacturer
maintenance customer (e-mail only) is refused with a JSON error and nothing is stored; Premium files as before."""

import pytest

from tests.unit.api_tickets.api_builders import file_ticket, ticket_api_app, token_headers
from tests.unit.api_tickets.test_ticket_api_contract import assert_matches_the_document

PREMIUM = ("demo-1-owner", "demo-1")
MANUFACTURER_MAINTENANCE = ("demo-2-owner", "demo-2")


@pytest.fixture
def app(moto_storage, tmp_path):
    return ticket_api_app(moto_storage, tmp_path, "exer")


def incident(**overrides) -> dict:
    body = {"category": "incident", "product": "alpha-cam", "version": "2026.1", "severity": 2,
            "subject": "Le pare-feu redémarre", "facts": {"description": "Il redémarre toutes les heures."}}
    body.update(overrides)
    return body


def test_rule_e5_the_api_refuses_a_manufacturer_maintenance_customer_with_the_channel_not_allowed_code(app):
    client = app.test_client()
    response = client.post("/api/v1/tickets", json=incident(),
                           headers=token_headers(app, MANUFACTURER_MAINTENANCE, language="fr"))
    assert response.status_code == 422 and response.is_json
    error = response.get_json()["error"]
    assert error["code"] == "not_eligible"
    [reason] = error["reasons"]
    assert reason["code"] == "channel_not_allowed"
    assert (reason["channel"], reason["allowed"], reason["email"]) == ("web", ["email"], "support@exer.fr")
    assert "ce portail" in reason["message"] and "Écrivez à support@exer.fr" in reason["message"]
    assert_matches_the_document(client.get("/api/v1/openapi.json").get_json(), "/tickets", "post", response)
    assert app.extensions["portal"].storage.tickets.of_company("demo-2") == []
    assert app.extensions["portal"].mailer.messages() == []


def test_rule_e5_a_premium_customer_still_files_through_the_api_on_the_web_channel(app):
    number = file_ticket(app.test_client(), token_headers(app, PREMIUM), **incident())
    ticket, events = app.extensions["portal"].storage.tickets.ticket_with_history(number)
    assert (ticket.tier, ticket.channel, events[0].data["channel"]) == ("premium", "web", "web")
