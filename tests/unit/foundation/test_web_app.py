"""The app factory, health, error pages in three languages, security headers."""

from __future__ import annotations

import pytest

from portal.domain.charter import load_charter
from portal.domain.errors import BackendUnavailable
from portal.web.app import create_app
from tests.builders import make_settings
from tests.call_counter import count_dynamodb_calls


class FakeStorage:
    """A storage double whose database answers or not."""

    def __init__(self, answers: bool = True):
        self.answers = answers

    def ping(self):
        if not self.answers:
            raise BackendUnavailable("dynamodb", "test")


def make_app(storage=None, **settings):
    return create_app(make_settings(**settings), charter=load_charter("example"), storage=storage or FakeStorage())


def test_health_says_ok_with_the_charter_and_version():
    response = make_app().test_client().get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["dynamodb"] == "ok" and body["charter"] == "example"
    assert body["version"]


def test_health_says_degraded_when_the_database_does_not_answer():
    response = make_app(FakeStorage(answers=False)).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {**response.get_json(), "status": "degraded", "dynamodb": "unavailable"}


def test_health_on_moto_reads_the_database_once(moto_storage):
    client = make_app(moto_storage).test_client()
    with count_dynamodb_calls() as calls:
        assert client.get("/healthz").get_json()["dynamodb"] == "ok"
    assert sum(calls.values()) == 1


@pytest.mark.parametrize("language, text", [("fr", "Cette page n'existe pas"), ("nl", "Deze pagina bestaat niet"),
                                            ("en", "This page does not exist")])
def test_an_unknown_page_gets_a_404_page_in_the_visitors_language(language, text):
    response = make_app().test_client().get("/no-such-page", headers={"Accept-Language": language})
    assert response.status_code == 404
    assert text in response.get_data(as_text=True).replace("&#39;", "'")


def test_an_unknown_api_address_gets_a_json_error_with_a_code():
    response = make_app().test_client().get("/api/v1/nothing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def add_failing_routes(app):
    @app.get("/test/unavailable")
    def unavailable():
        raise BackendUnavailable("dynamodb", "test")

    @app.get("/test/crash")
    def crash():
        raise RuntimeError("boom")

    return app


def test_a_backend_failure_gets_a_503_page_that_says_to_retry():
    client = add_failing_routes(make_app()).test_client()
    response = client.get("/test/unavailable", headers={"Accept-Language": "nl"})
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "probeer het zo meteen opnieuw" in response.get_data(as_text=True)


def test_an_unexpected_error_gets_a_500_page_without_a_traceback():
    client = add_failing_routes(make_app()).test_client()
    response = client.get("/test/crash", headers={"Accept-Language": "fr"})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Traceback" not in page and "boom" not in page
    assert "Une erreur s'est produite" in page.replace("&#39;", "'")


def test_the_language_chosen_with_lang_is_remembered():
    client = make_app().test_client()
    assert 'lang="nl"' in client.get("/?lang=nl").get_data(as_text=True)
    assert 'lang="nl"' in client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)


def test_asking_the_language_already_chosen_sends_no_new_session_cookie():
    client = make_app().test_client()
    assert "Set-Cookie" in client.get("/?lang=nl").headers
    again = client.get("/?lang=nl")
    assert 'lang="nl"' in again.get_data(as_text=True) and "Set-Cookie" not in again.headers
    assert "Set-Cookie" in client.get("/?lang=en").headers


def test_pages_carry_security_headers_and_hsts_only_in_production():
    response = make_app().test_client().get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers
    production = make_app(env="production").test_client().get("/")
    assert "Strict-Transport-Security" in production.headers


def test_only_production_pages_may_send_files_to_the_attachments_bucket():
    """Intake rule 4: in production the browser posts attachments straight to S3, and nowhere else."""
    assert "connect-src" not in make_app().test_client().get("/").headers["Content-Security-Policy"]
    policy = make_app(env="production").test_client().get("/").headers["Content-Security-Policy"]
    connect = next(part for part in policy.split("; ") if part.startswith("connect-src"))
    assert connect.startswith("connect-src 'self' https://") and ".s3." in connect and "*" not in connect


def test_session_cookies_are_http_only_lax_and_secure_in_production():
    app = make_app(env="production")
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_SECURE"]
    assert not make_app().config["SESSION_COOKIE_SECURE"]


def test_a_form_post_without_csrf_token_is_refused():
    app = make_app()
    app.config["WTF_CSRF_ENABLED"] = True

    @app.post("/test/form")
    def form():
        return "accepted"

    response = app.test_client().post("/test/form", data={"x": "1"}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "accepted" not in response.get_data(as_text=True)
    assert "This form has expired" in response.get_data(as_text=True)


def test_the_home_page_says_whether_support_is_open():
    page = make_app().test_client().get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Support is open now." in page or "Support is closed now." in page
