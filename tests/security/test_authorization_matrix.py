"""Authorization matrix (proof issue): every endpoint of the portal, found in its URL map, against every kind of
visitor. An endpoint added later without its guard fails here, because endpoints are classified by blueprint,
not listed one by one; only the public ones are named."""

import re

import pytest

from tests.builders import demo_portal_on_moto, signed_in_client
from tests.unit.api_tickets.api_builders import token_headers
from tests.unit.intake.test_request_pages import PREMIUM, file_request
from tests.unit.staff.staff_builders import STAFF_PASSWORD, make_staff, staff_client

OTHER_COMPANY = "owner@customer2.example"  # demo-2
OTHER_COMPANY_API = ("demo-2-owner", "demo-2")

PUBLIC = {  # what a visitor who is not signed in may reach
    "main.home", "public.contact", "public.lifecycle", "public.remote_support", "health.healthz", "static",
    "kb.search_page", "kb.article", "kb.suggestions", "kb.answered", "kb.helpful",
    "auth.login", "auth.logout", "auth.forgot_password", "auth.set_password", "staff.login", "staff.logout",
    "staff.set_password",
    "api.openapi", "api.lifecycle", "api.eligibility", "api.kb_search",
}
ARGUMENTS = {"problem_id": "problem-1", "kind": "survey", "action": "claim", "company_id": "demo-1",
             "contact_id": "demo-1-owner", "contract_id": "c-1", "token_id": "t-1", "upload_id": "u-1",
             "key": "uploads/demo-1/u-1/screen.png", "sha256": "0" * 64, "tool_id": "teamviewer",
             "article_id": "severity-guide", "token": "not-a-token", "filename": "css/portal.css",
             "staff_id": "tech-tom"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One portal for the whole matrix (company A's request filed once), on moto."""
    with demo_portal_on_moto(tmp_path_factory.mktemp("matrix")) as app:
        storage = app.extensions["portal"].storage
        for member in (make_staff(), make_staff(staff_id="adm-ada", email="ada@vendor.example", name="Ada",
                                                role="admin")):
            storage.staff.save(member)
        file_request(signed_in_client(app, PREMIUM))
        yield app


def company_a_number(app):
    [summary] = app.extensions["portal"].storage.tickets.of_company("demo-1")
    return summary.number


def calls(app):
    """(endpoint, method, url) for every route, its arguments filled with company A's request and sample ids."""
    values = {**ARGUMENTS, "number": company_a_number(app)}
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            url = rule.rule
            for name in rule.arguments:
                url = re.sub(rf"<(?:[a-z]+:)?{name}>", values[name], url)
            yield rule.endpoint, method, url


def kind_of(endpoint: str) -> str:
    if endpoint in PUBLIC:
        return "public"
    if endpoint.startswith("api.staff_"):
        return "staff_api"
    if endpoint.startswith("api."):
        return "customer_api"
    if endpoint.startswith("staff."):
        return "staff"
    return "customer"


def send(client, method, url, **kwargs):
    response = client.open(url, method=method, **kwargs)
    response.close()
    return response


def test_every_endpoint_is_classified_and_the_public_list_names_only_real_endpoints(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints >= PUBLIC
    assert {kind_of(e) for e in endpoints} == {"public", "staff_api", "customer_api", "staff", "customer"}


def test_a_visitor_who_is_not_signed_in_reaches_only_the_public_endpoints(app):
    client = app.test_client()
    for endpoint, method, url in calls(app):
        kind = kind_of(endpoint)
        if kind == "public":
            continue
        response = send(client, method, url)
        where = f"{method} {url} ({endpoint})"
        if kind in ("customer_api", "staff_api"):
            assert response.status_code == 401, where
            assert response.get_json()["error"]["code"], where
        else:
            login = "/staff/login" if kind == "staff" else "/login"
            assert response.status_code == 302 and response.headers["Location"].startswith(login), where


def test_a_customer_never_reaches_the_support_teams_pages_or_api(app):
    client = signed_in_client(app, PREMIUM)
    headers = token_headers(app)
    for endpoint, method, url in calls(app):
        kind = kind_of(endpoint)
        where = f"{method} {url} ({endpoint})"
        if kind == "staff":
            response = send(client, method, url)
            assert response.status_code in (302, 403), where
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/staff/login"), where
        elif kind == "staff_api":
            assert send(app.test_client(), method, url, headers=headers).status_code in (401, 403), where


def test_a_staff_session_is_not_a_customer_session(app):
    client = staff_client(app)
    for endpoint, method, url in calls(app):
        if kind_of(endpoint) == "customer":
            response = send(client, method, url)
            where = f"{method} {url} ({endpoint})"
            assert response.status_code == 302 and response.headers["Location"].startswith("/login"), where


def test_a_technician_is_refused_every_administration_page(app):
    client = staff_client(app)
    admin = staff_client(app, "ada@vendor.example", STAFF_PASSWORD)
    for endpoint, method, url in calls(app):
        if endpoint.startswith("staff.admin_"):
            assert send(client, method, url).status_code == 403, f"{method} {url}"
            if method == "GET" and "<" not in url:
                assert send(admin, method, url).status_code == 200, f"{method} {url}"


def test_another_companys_contact_gets_not_found_for_each_of_its_requests_pages_and_changes_nothing(app):
    tickets = app.extensions["portal"].storage.tickets
    number = company_a_number(app)
    before = tickets.ticket_with_history(number)
    client = signed_in_client(app, OTHER_COMPANY)
    for endpoint, method, url in calls(app):
        if kind_of(endpoint) == "customer" and f"/requests/{number}" in url:
            data = {"text": "hijack", "score": "1"} if method == "POST" else None
            assert send(client, method, url, data=data).status_code == 404, f"{method} {url}"
    assert tickets.ticket_with_history(number) == before


def test_another_companys_token_gets_not_found_for_each_of_its_requests_endpoints_and_changes_nothing(app):
    tickets = app.extensions["portal"].storage.tickets
    number = company_a_number(app)
    before = tickets.ticket_with_history(number)
    headers = token_headers(app, OTHER_COMPANY_API)
    client = app.test_client()
    for endpoint, method, url in calls(app):
        if kind_of(endpoint) == "customer_api" and f"/tickets/{number}" in url:
            body = {"messages": {"text": "hijack"}, "survey": {"score": 1}}.get(url.rsplit("/", 1)[1])
            response = send(client, method, url, headers=headers, json=body)
            assert response.status_code == 404, f"{method} {url}: {response.status_code}"
    assert tickets.ticket_with_history(number) == before
