"""Every refusal of the ticket API is a JSON error with a code: bad shape 400, charter rules 422, not yours 404,
state and concurrency 409; nothing is ever half-written."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.unit.api_tickets.api_builders import (
    OTHER_COMPANY,
    accepted_upload,
    close_request,
    file_ticket,
    ticket_api_app,
    ticket_body,
    token_headers,
)

TICKET_ENDPOINTS = [("get", ""), ("post", "/messages"), ("post", "/solved"), ("post", "/reopen"),
                    ("post", "/survey")]
VALID_BODIES = {"/messages": {"text": "More."}, "/survey": {"score": 4}}


@pytest.fixture
def app(moto_storage, tmp_path):
    return ticket_api_app(moto_storage, tmp_path)


def filed_requests(app, company_id="demo-1"):
    return app.extensions["portal"].storage.tickets.of_company(company_id)


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    return response.get_json()["error"]


@pytest.mark.parametrize("method, path", [("post", "/tickets"), ("get", "/tickets"), ("get", "/tickets/2026-000001"),
                                          *[("post", f"/tickets/2026-000001{suffix}") for _, suffix in
                                            TICKET_ENDPOINTS if suffix]])
def test_every_ticket_endpoint_without_a_token_answers_401(app, method, path):
    response = getattr(app.test_client(), method)(f"/api/v1{path}", json={})
    assert error_of(response, 401)["code"] == "unauthenticated"


def test_a_body_that_is_not_json_answers_400_malformed_json(app):
    response = app.test_client().post("/api/v1/tickets", data="{not json", content_type="application/json",
                                      headers=token_headers(app))
    assert error_of(response, 400)["code"] == "malformed_json"
    listed = app.test_client().post("/api/v1/tickets", json=["a", "list"], headers=token_headers(app))
    assert error_of(listed, 400)["code"] == "malformed_json"
    assert filed_requests(app) == []


@pytest.mark.parametrize("overrides, field", [
    ({"severity": "2"}, "severity"), ({"severity": 5}, "severity"), ({"severity": 0}, "severity"),
    ({"severity": True}, "severity"), ({"subject": "x" * 201}, "subject"), ({"subject": "  "}, "subject"),
    ({"subject": None}, "subject"), ({"category": 3}, "category"), ({"version": "9" * 51}, "version"),
    ({"facts": ["description"]}, "facts"), ({"facts": {"description": 12}}, "facts"),
    ({"attachments": "upload-1"}, "attachments"), ({"attachments": [1]}, "attachments"),
    ({"topic": 7}, "topic"), ({"priority": 1}, "priority"),
])
def test_a_field_of_the_wrong_shape_answers_400_naming_it(app, overrides, field):
    response = app.test_client().post("/api/v1/tickets", json=ticket_body(**overrides), headers=token_headers(app))
    error = error_of(response, 400)
    assert error["code"] == "invalid_fields" and field in error["fields"]
    assert filed_requests(app) == []


def test_a_missing_field_answers_400_naming_it(app):
    body = ticket_body()
    del body["product"]
    error = error_of(app.test_client().post("/api/v1/tickets", json=body, headers=token_headers(app)), 400)
    assert error["fields"] == {"product": "must be a string"}


def test_an_over_long_idempotency_key_answers_400(app):
    response = app.test_client().post("/api/v1/tickets", json=ticket_body(),
                                      headers=token_headers(app, **{"Idempotency-Key": "k" * 101}))
    assert "Idempotency-Key" in error_of(response, 400)["fields"]


def test_a_contact_who_may_not_file_gets_422_not_eligible_with_translated_reasons(app):
    """Rule P2: untrained designated contacts; the reason in the caller's language."""
    response = app.test_client().post("/api/v1/tickets", json=ticket_body(),
                                      headers=token_headers(app, ("demo-2-owner", "demo-2"), language="fr"))
    error = error_of(response, 422)
    assert error["code"] == "not_eligible"
    [reason] = error["reasons"]
    assert reason["code"] == "designated_contacts_untrained" and "formation" in reason["message"]
    assert filed_requests(app, "demo-2") == []


def test_an_out_of_scope_topic_gets_422_with_the_charters_explanation_and_alternative(app):
    """Rules S3, G8, E11."""
    response = app.test_client().post("/api/v1/tickets", json=ticket_body(topic="installation"),
                                      headers=token_headers(app))
    error = error_of(response, 422)
    assert error["code"] == "out_of_scope" and error["topic"]["id"] == "installation"
    assert error["topic"]["explanation"] and error["topic"]["alternative"] == "professional_services"
    assert filed_requests(app) == []


def test_a_missing_required_fact_gets_422_naming_the_fact(app):
    """Rules P4, G5, E6: the example charter requires how to reproduce a bug."""
    response = app.test_client().post("/api/v1/tickets", json=ticket_body(facts={"description": "Crash."}),
                                      headers=token_headers(app))
    error = error_of(response, 422)
    assert error["code"] == "missing_facts" and error["fields"] == {"steps": "required"}
    assert filed_requests(app) == []


def test_a_bug_report_on_an_unsupported_version_gets_422_category_not_allowed(app):
    """Rule T9 in the example charter: an old version still gets questions answered, not bug fixes."""
    response = app.test_client().post("/api/v1/tickets", json=ticket_body(version="2024.1"),
                                      headers=token_headers(app))
    error = error_of(response, 422)
    assert error["code"] == "category_not_allowed" and error["allowed"] == ["support"]
    assert filed_requests(app) == []


@pytest.mark.parametrize("method, suffix", TICKET_ENDPOINTS)
def test_another_companys_request_is_not_found_on_every_endpoint(app, method, suffix):
    number = file_ticket(app.test_client(), token_headers(app))
    response = getattr(app.test_client(), method)(f"/api/v1/tickets/{number}{suffix}",
                                                  json=VALID_BODIES.get(suffix, {}),
                                                  headers=token_headers(app, OTHER_COMPANY))
    assert error_of(response, 404)["code"] == "not_found"
    [ticket] = filed_requests(app)
    assert ticket.status == "new"


@pytest.mark.parametrize("number", ["2026-999999", "9" * 200])
def test_an_unknown_request_number_is_not_found(app, number):
    response = app.test_client().get(f"/api/v1/tickets/{number}", headers=token_headers(app))
    assert error_of(response, 404)["code"] == "not_found"


@pytest.mark.parametrize("body, field", [({}, "text"), ({"text": "   "}, "text"), ({"text": 5}, "text"),
                                         ({"text": "x" * 20_001}, "text"), ({"attachments": "f"}, "attachments"),
                                         ({"text": "Hi", "priority": 1}, "priority")])
def test_a_message_of_the_wrong_shape_answers_400(app, body, field):
    client, headers = app.test_client(), token_headers(app)
    number = file_ticket(client, headers)
    error = error_of(client.post(f"/api/v1/tickets/{number}/messages", json=body, headers=headers), 400)
    assert error["code"] == "invalid_fields" and field in error["fields"]


def test_saying_solved_twice_answers_409_not_allowed(app):
    client, headers = app.test_client(), token_headers(app)
    number = file_ticket(client, headers)
    client.post(f"/api/v1/tickets/{number}/solved", headers=headers)
    error = error_of(client.post(f"/api/v1/tickets/{number}/solved", headers=headers), 409)
    assert error["code"] == "not_allowed" and error["state"] == "resolved"


def test_a_message_on_a_closed_request_answers_409_not_allowed(app):
    client, headers = app.test_client(), token_headers(app)
    number = file_ticket(client, headers)
    close_request(app, number)
    response = client.post(f"/api/v1/tickets/{number}/messages", json={"text": "Hello?"}, headers=headers)
    assert error_of(response, 409)["code"] == "not_allowed"


def test_a_request_changed_meanwhile_answers_409_conflict_and_writes_nothing(app, monkeypatch):
    from portal.domain.errors import ConcurrentUpdate

    client, headers = app.test_client(), token_headers(app)
    number = file_ticket(client, headers)

    def changed_meanwhile(updated, *args, **kwargs):
        raise ConcurrentUpdate(updated.number)

    monkeypatch.setattr(app.extensions["portal"].storage.tickets, "apply", changed_meanwhile)
    response = client.post(f"/api/v1/tickets/{number}/messages", json={"text": "More."}, headers=headers)
    assert error_of(response, 409)["code"] == "conflict"
    assert error_of(client.post(f"/api/v1/tickets/{number}/solved", headers=headers), 409)["code"] == "conflict"
    monkeypatch.undo()
    assert [e.kind for e in app.extensions["portal"].storage.tickets.ticket_with_history(number)[1]] == ["received"]


def test_a_request_closed_longer_than_the_window_cannot_be_reopened(app):
    """The example charter's confirmation window: five business days; then a new request is filed."""
    client, headers = app.test_client(), token_headers(app)
    number = file_ticket(client, headers)
    close_request(app, number, datetime.now(UTC) - timedelta(days=30))
    assert error_of(client.post(f"/api/v1/tickets/{number}/reopen", headers=headers), 409)["code"] == \
        "reopen_window_over"


def test_a_new_request_cannot_be_reopened(app):
    client, headers = app.test_client(), token_headers(app)
    number = file_ticket(client, headers)
    assert error_of(client.post(f"/api/v1/tickets/{number}/reopen", headers=headers), 409)["code"] == "not_allowed"


def test_the_survey_of_an_open_request_answers_409(app):
    """Rule G3: the survey opens once the request is resolved or closed."""
    client, headers = app.test_client(), token_headers(app)
    number = file_ticket(client, headers)
    response = client.post(f"/api/v1/tickets/{number}/survey", json={"score": 4}, headers=headers)
    assert error_of(response, 409)["code"] == "not_allowed"


def test_the_survey_is_answered_once(app):
    """Rule G3."""
    client, headers = app.test_client(), token_headers(app)
    number = file_ticket(client, headers)
    client.post(f"/api/v1/tickets/{number}/solved", headers=headers)
    assert client.post(f"/api/v1/tickets/{number}/survey", json={"score": 4}, headers=headers).status_code == 201
    again = client.post(f"/api/v1/tickets/{number}/survey", json={"score": 1}, headers=headers)
    assert error_of(again, 409)["code"] == "not_allowed"


@pytest.mark.parametrize("body", [{"score": 9}, {"score": 0}, {"score": "5"}, {"score": True}, {},
                                  {"score": 4, "comment": 3}, {"score": 4, "comment": "x" * 4001}])
def test_a_survey_answer_of_the_wrong_shape_answers_400(app, body):
    client, headers = app.test_client(), token_headers(app)
    number = file_ticket(client, headers)
    client.post(f"/api/v1/tickets/{number}/solved", headers=headers)
    response = client.post(f"/api/v1/tickets/{number}/survey", json=body, headers=headers)
    assert error_of(response, 400)["code"] == "invalid_fields"


@pytest.mark.parametrize("owner", [OTHER_COMPANY, None])
def test_an_upload_of_another_company_or_never_accepted_answers_422_and_files_nothing(app, owner):
    upload_id = accepted_upload(app, owner) if owner else "0123456789abcdef0123456789abcdef"
    client, headers = app.test_client(), token_headers(app)
    response = client.post("/api/v1/tickets", json=ticket_body(attachments=[upload_id]), headers=headers)
    assert error_of(response, 422)["uploads"] == [upload_id]
    assert filed_requests(app) == []
    number = file_ticket(client, headers)
    message = client.post(f"/api/v1/tickets/{number}/messages", json={"attachments": [upload_id]}, headers=headers)
    assert error_of(message, 422)["code"] == "unknown_uploads"


def test_a_topic_the_charter_does_not_know_answers_400_and_the_document_lists_the_topics(app):
    """Rules S3, G8: a topic is one of the charter's, in or out of scope; any other is refused, not ignored."""
    error = error_of(app.test_client().post("/api/v1/tickets", json=ticket_body(topic="free-lunch"),
                                            headers=token_headers(app)), 400)
    assert "topic" in error["fields"]
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    listed = document["components"]["schemas"]["NewTicket"]["properties"]["topic"]["enum"]
    assert "installation" in listed and None in listed and "free-lunch" not in listed
