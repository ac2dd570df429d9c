"""Signing in, out, and choosing a password from an e-mailed link, through the pages."""

import re

import pytest

from portal.adapters.mail import OutboxMailer
from portal.domain.charter import load_charter
from portal.web.app import create_app
from tests.builders import fast_passwords, make_contact, make_settings


@pytest.fixture
def portal(moto_storage, tmp_path):
    moto_storage.accounts.save_contact(make_contact())
    mailer = OutboxMailer(tmp_path / "outbox", "support@vendor.example")
    app = create_app(make_settings(), charter=load_charter("example"), storage=moto_storage, mailer=mailer,
                     passwords=fast_passwords())
    app.config["WTF_CSRF_ENABLED"] = False
    return app, mailer


def log_in(client, email="ann@acme.example", password="correct horse battery", **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def test_the_login_form_carries_a_csrf_token(portal):
    app, _ = portal
    app.config["WTF_CSRF_ENABLED"] = True
    page = app.test_client().get("/login?lang=en").get_data(as_text=True)
    assert 'name="csrf_token"' in page


def test_the_right_password_signs_the_contact_in_and_goes_home(portal):
    client = portal[0].test_client()
    response = log_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert session["contact_id"] == "acme-ann" and session["company_id"] == "acme"


def test_an_unknown_email_and_a_wrong_password_get_the_same_answer(portal):
    client = portal[0].test_client()
    wrong = log_in(client, password="wrong password!", headers={"Accept-Language": "en"})
    unknown = log_in(client, email="nobody@acme.example", headers={"Accept-Language": "en"})
    assert wrong.status_code == unknown.status_code == 401
    message = "The e-mail address or the password is not right."
    assert message in wrong.get_data(as_text=True).replace("&#39;", "'")
    assert message in unknown.get_data(as_text=True).replace("&#39;", "'")


def test_repeated_failures_are_slowed_down_with_a_translated_message(portal):
    client = portal[0].test_client()
    for _ in range(4):
        log_in(client, password="wrong password!")
    response = log_in(client, headers={"Accept-Language": "fr"})
    assert "Trop de tentatives" in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "contact_id" not in session


def test_the_session_is_renewed_at_login_and_cleared_at_logout(portal):
    client = portal[0].test_client()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    log_in(client)
    with client.session_transaction() as session:
        assert "planted" not in session
    client.post("/logout")
    with client.session_transaction() as session:
        assert "contact_id" not in session


def test_the_sign_out_message_and_the_next_page_speak_the_language_the_contact_chose(portal):
    """The message is translated before the session (and its language) ends; the language stays."""
    client = portal[0].test_client()
    log_in(client)
    client.get("/?lang=nl")
    page = client.post("/logout", headers={"Accept-Language": "en"}, follow_redirects=True).get_data(as_text=True)
    assert "U bent afgemeld." in page
    with client.session_transaction() as session:
        assert "contact_id" not in session and session["lang"] == "nl"


def test_login_never_sends_the_visitor_to_another_site(portal):
    client = portal[0].test_client()
    assert log_in(client, query_string={"next": "//evil.example/x"}).headers["Location"] == "/"
    assert log_in(client, query_string={"next": "/contract"}).headers["Location"] == "/contract"


@pytest.mark.parametrize("next_in_url", [
    "/%09/evil.example",  # browsers drop tabs and newlines: //evil.example
    "/%0a/evil.example", "/%0d%0a/evil.example", "/%00/evil.example", "/%E2%80%8B/evil.example",
    "/%5Cevil.example", "/%5C/evil.example", "/%5C%5Cevil.example",  # a backslash is read as a slash
    "https://evil.example/", "//evil.example", "%20//evil.example", "javascript:alert(1)",
])
def test_login_never_sends_the_visitor_to_another_site_behind_control_characters_or_backslashes(portal, next_in_url):
    response = portal[0].test_client().post(f"/login?next={next_in_url}",
                                            data={"email": "ann@acme.example", "password": "correct horse battery"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_login_goes_back_to_a_local_page_with_its_query():
    from portal.web.session import safe_next

    assert safe_next("/requests?status=open&q=a%20b") == "/requests?status=open&q=a%20b"
    assert safe_next("/kb/articles/1?next=https://elsewhere.example") == "/kb/articles/1?next=https://elsewhere.example"
    assert safe_next("") is None and safe_next(None) is None and safe_next("contract") is None


def mailed_link(mailer) -> str:
    body = mailer.messages()[-1].get_body(("plain",)).get_content()
    return re.search(r"http://[^\s]+/password/set/[^\s]+", body).group(0).replace("http://localhost", "")


def test_a_reset_link_sets_a_new_password_once(portal):
    app, mailer = portal
    client = app.test_client()
    client.post("/password/forgot", data={"email": "ANN@acme.example"})
    link = mailed_link(mailer)
    assert client.get(link).status_code == 200
    new = {"password": "a much better secret", "confirm": "a much better secret"}
    assert client.post(link, data=new).status_code == 302
    assert log_in(client, password="a much better secret").status_code == 302
    assert client.post(link, data=new).status_code == 410
    assert log_in(client).status_code == 401


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(portal):
    app, mailer = portal
    client = app.test_client()
    known = client.post("/password/forgot", data={"email": "ann@acme.example"}, follow_redirects=True)
    unknown = client.post("/password/forgot", data={"email": "nobody@acme.example"}, follow_redirects=True)
    assert len(mailer.messages()) == 1
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)


def test_a_short_password_is_refused_next_to_the_field(portal):
    app, mailer = portal
    client = app.test_client()
    client.post("/password/forgot", data={"email": "ann@acme.example"})
    response = client.post(mailed_link(mailer), data={"password": "short", "confirm": "short"},
                           headers={"Accept-Language": "nl"})
    assert response.status_code == 200
    assert "Minstens 12 tekens." in response.get_data(as_text=True)


def test_an_altered_link_is_refused(portal):
    client = portal[0].test_client()
    assert client.get("/password/set/not-a-real-token").status_code == 410
