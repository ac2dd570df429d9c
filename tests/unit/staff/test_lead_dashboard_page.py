"""The dashboard page draws its pictures as SVG on the server (no script), for managers and the director; the
API tokens page gives a staff member tokens for the team's integrations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.services.dashboard import Attainment
from portal.web.staff.dashboard import attainment_chart, bar_chart
from tests.unit.staff.lead_builders import make_ticket, store_ticket
from tests.unit.staff.staff_builders import make_staff, staff_app, staff_client

TECH = make_staff()
MANAGER = make_staff(staff_id="mia", email="mia@vendor.example", name="Mia", role="manager")


@pytest.fixture
def app(moto_storage, tmp_path):
    application = staff_app(moto_storage, tmp_path, TECH, MANAGER)
    now = datetime.now(UTC)
    store_ticket(moto_storage.tickets, make_ticket("2026-000001", created_at=now - timedelta(days=2),
                                                   tier="premium", response_due=now - timedelta(days=1)))
    return application


def test_a_chart_escapes_its_texts_and_uses_no_inline_style():
    svg = str(bar_chart("<b>title</b>", [("<script>x</script>", 50, "50 %", "good")], 100))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "style=" not in svg and svg.startswith("<svg") and 'width="150"' in svg


def test_an_attainment_bar_shows_its_rate_and_counts(app):
    with app.test_request_context("/?lang=en"):
        svg = str(attainment_chart([Attainment("premium", 1, 3, 1, 0)]))
    assert "75% (3/4)" in svg and "premium · severity 1" in svg
    with app.test_request_context("/?lang=fr"):
        french = str(attainment_chart([Attainment("premium", 1, 3, 1, 0)]))
    assert "75\u202f% (3/4)" in french or "75\u00a0% (3/4)" in french


def test_managers_see_the_dashboard_with_its_pictures_and_technicians_do_not(app):
    with staff_client(app, MANAGER.email).get("/staff/dashboard?lang=en") as response:
        page = response.get_data(as_text=True)
        assert response.status_code == 200
    assert page.count("<svg") >= 2 and "<script" not in page
    assert "Response commitments met, last 30 days" in page and "0% (0/1)" in page
    with staff_client(app, TECH.email).get("/staff/dashboard") as response:
        assert response.status_code == 403


def test_a_staff_member_creates_a_token_sees_it_once_and_revokes_it(app):
    client = staff_client(app, TECH.email)
    with client.post("/staff/api-tokens", data={"name": "telephony"}) as response:
        page = response.get_data(as_text=True)
    assert "st_staff-" in page and "telephony" in page
    with client.get("/staff/api-tokens") as response:
        assert "st_staff-" not in response.get_data(as_text=True)
        assert "Last used" in response.get_data(as_text=True) and "Never" in response.get_data(as_text=True)
    [token] = app.extensions["portal"].storage.api_tokens.tokens_of("staff#tech-tom")
    with client.post(f"/staff/api-tokens/{token.token_id}/revoke") as response:
        assert response.status_code == 302
    assert app.extensions["portal"].storage.api_tokens.tokens_of("staff#tech-tom")[0].revoked
    with client.post("/staff/api-tokens", data={"name": ""}) as response:
        assert response.status_code == 400


def test_the_deflection_picture_shows_the_overall_rate_and_the_busiest_articles(app):
    from types import SimpleNamespace

    from portal.web.staff.dashboard import deflection_chart

    articles = [SimpleNamespace(article_id="licence-codes", answered=3, filed_anyway=1, deflection_rate=0.75),
                SimpleNamespace(article_id="never-shown", answered=0, filed_anyway=0, deflection_rate=None)]
    summary = SimpleNamespace(articles=articles, deflection_rate=0.6)
    with app.test_request_context("/?lang=en"):
        svg = str(deflection_chart(summary))
    assert "All articles" in svg and "60%" in svg and "licence-codes" in svg and "never-shown" not in svg


def test_the_dashboard_reads_the_knowledge_base_counters_when_they_are_there(app, monkeypatch):
    from types import SimpleNamespace

    import portal.web.kb.routes as kb_routes

    counters = app.extensions["portal"].storage.kb_counters
    counters.add("licence-codes", ("answered",))
    counters.add("licence-codes", ("answered",))
    counters.add_filed_anyway(["licence-codes"])
    monkeypatch.setattr(kb_routes, "knowledge_base", lambda: SimpleNamespace(article_ids=lambda: ["licence-codes"]))
    with staff_client(app, MANAGER.email).get("/staff/dashboard?lang=en") as response:
        page = response.get_data(as_text=True)
    assert "All articles" in page and "67%" in page and "licence-codes" in page


def test_without_a_knowledge_base_index_the_dashboard_still_shows_its_other_pictures(app, monkeypatch):
    import portal.web.kb.routes as kb_routes

    def missing():
        raise FileNotFoundError("no index")

    monkeypatch.setattr(kb_routes, "knowledge_base", missing)
    with staff_client(app, MANAGER.email).get("/staff/dashboard?lang=en") as response:
        page = response.get_data(as_text=True)
        assert response.status_code == 200
    assert "not available yet" in page and page.count("<svg") == 2


@pytest.mark.parametrize("language, one, two", [
    ("en", "1 e-mail refused by the mail service waits", "2 e-mails refused by the mail service wait"),
    ("fr", "1 e-mail refusé par le service de messagerie attend", "2 e-mails refusés par le service de messagerie"),
    ("nl", "1 e-mail die de maildienst weigerde, wacht", "2 e-mails die de maildienst weigerde, wachten")])
def test_the_dashboard_tells_the_managers_how_many_refused_mails_wait_to_be_sent_again(app, moto_storage, language,
                                                                                         one, two):
    from portal.domain.mail import OutgoingMail

    client = staff_client(app, MANAGER.email)
    assert "mail service" not in client.get("/staff/dashboard?lang=en").get_data(as_text=True)
    now = datetime.now(UTC)
    for index in range(2):
        moto_storage.pending_mail.keep(OutgoingMail(to=f"c{index}@customer.example", subject="s", text="t"), now,
                                       now + timedelta(minutes=5))
        page = client.get(f"/staff/dashboard?lang={language}").get_data(as_text=True)
        assert (one if index == 0 else two) in page.replace("&#39;", "'")
