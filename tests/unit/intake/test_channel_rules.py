"""Rule E5 (Exer): manufacturer maintenance gives e-mail only, Premium the web platform, e-mail and phone. A
request filed on the portal (its pages or its JSON API, both the "web" channel) by a customer whose tier does not
give that channel is refused before anything is stored, and told where to write instead; e-mail is unchanged."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from portal.domain.charter import load_charter
from portal.domain.eligibility import Refusal
from portal.services.mail_intake import receive_mail
from portal.services.refusals import refusal_message
from tests.builders import seeded_app, signed_in_client
from tests.unit.mail_intake.mail_builders import make_desk

PREMIUM = "owner@customer1.example"  # demo-1, Exer Premium, reads French
MANUFACTURER_MAINTENANCE = "owner@customer2.example"  # demo-2, Exer "standard", reads Dutch
EXER_ADDRESS = "support@exer.fr"
MONDAY_10 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00 in Paris


@pytest.fixture
def app(moto_storage, tmp_path):
    return seeded_app(moto_storage, tmp_path, "exer")


def incident(**overrides):
    values = {"category": "incident", "product": "alpha-cam", "version": "2026.1", "severity": "2", "topic": "",
              "subject": "Le pare-feu redémarre", "fact_description": "Il redémarre toutes les heures.",
              "idempotency_key": "e5-key-1"}
    values.update(overrides)
    return values


def filed(app, company_id):
    return app.extensions["portal"].storage.tickets.of_company(company_id)


def test_rule_e5_a_manufacturer_maintenance_customer_filing_on_the_web_form_is_refused_and_nothing_is_stored(app):
    client = signed_in_client(app, MANUFACTURER_MAINTENANCE)
    response = client.post("/requests/new?lang=en", data=incident())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Your request cannot be filed" in page and "Nothing was stored." in page
    assert "does not include requests through this portal. The channels it gives you: e-mail." in page
    assert f"Write to {EXER_ADDRESS}" in page
    assert filed(app, "demo-2") == []
    assert app.extensions["portal"].mailer.messages() == []


def test_rule_e5_the_request_form_tells_a_manufacturer_maintenance_customer_up_front_to_write_instead(app):
    page = signed_in_client(app, MANUFACTURER_MAINTENANCE).get("/requests/new?lang=nl").get_data(as_text=True)
    assert "Aanvragen kunnen niet via dit portaal worden ingediend" in page
    assert "omvat geen aanvragen via dit portaal" in page and f"Schrijf naar {EXER_ADDRESS}" in page
    assert 'id="request-form"' not in page


def test_rule_e5_a_premium_customer_still_gets_the_form_and_files_on_the_web(app):
    client = signed_in_client(app, PREMIUM)
    assert 'id="request-form"' in client.get("/requests/new?lang=fr").get_data(as_text=True)
    response = client.post("/requests/new?lang=en", data=incident())
    assert response.status_code == 302
    [ticket] = filed(app, "demo-1")
    assert ticket.category == "incident"


def test_rule_e5_a_manufacturer_maintenance_customer_still_opens_a_request_by_e_mail(moto_storage, tmp_path):
    desk = make_desk(moto_storage, tmp_path, "exer")
    raw = (b"From: Owner 2 <owner@customer2.example>\r\nTo: Exer support <support@exer.fr>\r\n"
           b"Subject: NetEdge firewall restarts\r\nDate: Mon, 23 Nov 2026 10:00:00 +0100\r\n"
           b"Message-ID: <e5.mail.1@customer2.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           b"Hello, the firewall restarts every hour.\r\n")
    outcome = receive_mail(desk, raw, MONDAY_10)
    assert outcome.action == "opened"
    ticket, _events = desk.tickets.ticket_with_history(outcome.number)
    assert (ticket.company_id, ticket.tier, ticket.channel) == ("demo-2", "standard", "email")


@pytest.mark.parametrize("language, gives, write", [
    ("en", "The channels it gives you: e-mail.", "Write to support@exer.fr to file your request."),
    ("fr", "Les canaux qu'il vous donne : e-mail.", "Écrivez à support@exer.fr pour déposer votre demande."),
    ("nl", "De kanalen die het u geeft: e-mail.", "Schrijf naar support@exer.fr om uw aanvraag in te dienen."),
])
def test_rule_e5_the_channel_refusal_names_the_contracts_channels_and_the_address_in_fr_nl_and_en(language, gives,
                                                                                                    write):
    refusal = Refusal("channel_not_allowed", {"channel": "web", "allowed": ["email"], "email": EXER_ADDRESS})
    message = refusal_message(refusal, language)
    assert gives in message and write in message
    if language != "en":
        assert "this portal" not in message  # translated, not an English copy


def test_rule_e5_no_address_is_offered_when_the_contract_gives_no_e_mail():
    refusal = Refusal("channel_not_allowed", {"channel": "web", "allowed": ["phone"], "email": None})
    assert refusal_message(refusal, "en") == ("Your contract does not include requests through this portal. "
                                              "The channels it gives you: phone.")


def test_rule_e5_the_form_is_closed_only_when_no_contract_in_force_gives_the_web():
    from portal.services.intake import portal_closed

    charter = load_charter("exer")
    today = date(2026, 11, 23)

    def company(*tiers, reseller=None):
        from portal.domain.accounts import Company, CompanyFile, Contract

        contracts = tuple(Contract("c", f"C-{index}", tier, date(2026, 1, 1), date(2026, 12, 31))
                          for index, tier in enumerate(tiers))
        return CompanyFile(Company("c", "C", reseller_id=reseller), (), contracts, ())

    assert portal_closed(charter, company("standard"), today).params == {"channel": "web", "allowed": ["email"],
                                                                        "email": EXER_ADDRESS}
    assert portal_closed(charter, company("standard", "premium"), today) is None  # Premium for some products
    assert portal_closed(charter, company(), today) is None  # no contract: filing says why (E1)
    assert portal_closed(charter, company("standard", reseller="r"), today) is None  # E4: the reseller, on filing
    no_vendor = replace(charter, vendor=None)
    assert portal_closed(no_vendor, company("standard"), today).params["email"] is None
