"""Filing and following a request through the JSON API: the same services, rules and answers as the pages."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.unit.api_tickets.api_builders import (
    DEPUTY,
    accepted_upload,
    close_request,
    file_ticket,
    ticket_api_app,
    ticket_body,
    token_headers,
)


@pytest.fixture
def app(moto_storage, tmp_path):
    return ticket_api_app(moto_storage, tmp_path)


def test_filing_answers_the_number_priority_due_time_explanation_and_queue_place(app):
    """Rules S4, E10: the acknowledgement says when an answer is due, and why, in the caller's language."""
    response = app.test_client().post("/api/v1/tickets", json=ticket_body(),
                                      headers=token_headers(app, language="nl"))
    assert response.status_code == 201
    body = response.get_json()
    assert body["number"].startswith(f"{datetime.now(UTC).year}-") and body["status"] == "new"
    assert body["priority"] == 1 and body["queue_position"] == 1 and body["queue_position_exact"] is True
    assert datetime.fromisoformat(body["response_due"]) > datetime.now(UTC)
    assert body["explanation"][0].startswith("Ontvangen") and body["explanation"][-1].startswith("Uiterlijk")
    assert response.headers["Location"].endswith(f"/api/v1/tickets/{body['number']}")


def test_filing_mails_the_acknowledgement_in_the_contacts_language(app):
    file_ticket(app.test_client(), token_headers(app))
    [mail] = app.extensions["portal"].mailer.messages()
    assert mail["To"] == "owner@customer1.example" and "Échéance" in mail.get_body(("plain",)).get_content()


def test_the_same_idempotency_key_twice_files_one_request_and_answers_it_again(app):
    """A retried API call creates one request, not two; the second answer is 200 with the same request."""
    client, headers = app.test_client(), token_headers(app, **{"Idempotency-Key": "retry-1"})
    first = client.post("/api/v1/tickets", json=ticket_body(), headers=headers)
    second = client.post("/api/v1/tickets", json=ticket_body(), headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json() == second.get_json()
    assert len(app.extensions["portal"].storage.tickets.of_company("demo-1")) == 1
    assert len(app.extensions["portal"].mailer.messages()) == 1


def test_different_idempotency_keys_file_two_requests(app):
    client = app.test_client()
    first = file_ticket(client, token_headers(app, **{"Idempotency-Key": "a"}))
    second = file_ticket(client, token_headers(app, **{"Idempotency-Key": "b"}))
    assert first != second


def test_my_requests_come_newest_first(app):
    client, headers = app.test_client(), token_headers(app)
    older, newer = file_ticket(client, headers, subject="Older"), file_ticket(client, headers, subject="Newer")
    body = client.get("/api/v1/tickets", headers=headers).get_json()
    assert [t["number"] for t in body["tickets"]] == [newer, older]
    assert body["tickets"][0]["subject"] == "Newer" and body["tickets"][0]["status"] == "new"


def test_a_system_owner_lists_the_whole_companys_requests_a_deputy_only_their_own(app):
    """Rule P2: the system owner sees every request of the company."""
    client = app.test_client()
    deputy_headers, owner_headers = token_headers(app, DEPUTY), token_headers(app)
    by_deputy = file_ticket(client, deputy_headers, subject="From the deputy")
    by_owner = file_ticket(client, owner_headers, subject="From the owner")
    owner_sees = [t["number"] for t in client.get("/api/v1/tickets", headers=owner_headers).get_json()["tickets"]]
    deputy_sees = [t["number"] for t in client.get("/api/v1/tickets", headers=deputy_headers).get_json()["tickets"]]
    assert set(owner_sees) == {by_deputy, by_owner} and deputy_sees == [by_deputy]
    assert client.get(f"/api/v1/tickets/{by_owner}", headers=deputy_headers).status_code == 404
    assert client.get(f"/api/v1/tickets/{by_deputy}", headers=owner_headers).status_code == 200


def test_one_request_shows_its_public_history_and_never_an_internal_note(app):
    from portal.domain.history import EventKind, TicketEvent

    client, headers = app.test_client(), token_headers(app)
    number = file_ticket(client, headers)
    tickets = app.extensions["portal"].storage.tickets
    ticket, _ = tickets.ticket_with_history(number)
    tickets.apply(ticket, [TicketEvent(EventKind.MESSAGE, datetime.now(UTC), "staff-technician", False,
                                       {"text": "Customer runs an old driver."})], None)
    body = client.get(f"/api/v1/tickets/{number}", headers=headers).get_json()
    assert body["number"] == number and body["facts"]["steps"] == "Open, export, crash."
    assert [event["kind"] for event in body["history"]] == ["received"]
    assert body["history"][0]["data"]["description"] == "It crashes on export."
    assert "old driver" not in str(body)


def test_the_customer_adds_information_says_it_is_solved_and_answers_the_survey(app):
    """Rules P9, S14, G3."""
    client, headers = app.test_client(), token_headers(app)
    number = file_ticket(client, headers)
    message = client.post(f"/api/v1/tickets/{number}/messages", json={"text": "Also on import."}, headers=headers)
    assert message.status_code == 201 and message.get_json()["status"] == "new"
    solved = client.post(f"/api/v1/tickets/{number}/solved", headers=headers)
    assert solved.status_code == 200 and solved.get_json()["status"] == "resolved"
    survey = client.post(f"/api/v1/tickets/{number}/survey", json={"score": 5, "comment": "Quick."}, headers=headers)
    assert survey.status_code == 201 and survey.get_json() == {"number": number, "score": 5, "comment": "Quick."}
    history = client.get(f"/api/v1/tickets/{number}", headers=headers).get_json()["history"]
    assert [event["kind"] for event in history] == ["received", "customer_replied", "resolved", "survey_answered"]
    assert history[1]["data"]["text"] == "Also on import."


def test_a_dissatisfied_survey_answer_becomes_a_managers_follow_up_task(app):
    """Rule G3."""
    client, headers = app.test_client(), token_headers(app)
    number = file_ticket(client, headers)
    client.post(f"/api/v1/tickets/{number}/solved", headers=headers)
    client.post(f"/api/v1/tickets/{number}/survey", json={"score": 1}, headers=headers)
    [task] = app.extensions["portal"].storage.tickets.open_tasks("manager")
    assert task.ticket_number == number and task.kind == "dissatisfied_survey"


def test_sending_files_a_request_awaits_reopens_it(app):
    """Rule S13."""
    from dataclasses import replace

    client, headers = app.test_client(), token_headers(app)
    number = file_ticket(client, headers)
    tickets = app.extensions["portal"].storage.tickets
    ticket, _ = tickets.ticket_with_history(number)
    tickets.apply(replace(ticket, status="awaiting_files"), [], None)
    response = client.post(f"/api/v1/tickets/{number}/messages", json={"attachments": [accepted_upload(app)]},
                           headers=headers)
    assert response.status_code == 201 and response.get_json()["status"] == "in_progress"


def test_a_resolved_request_is_reopened(app):
    client, headers = app.test_client(), token_headers(app)
    number = file_ticket(client, headers)
    client.post(f"/api/v1/tickets/{number}/solved", headers=headers)
    response = client.post(f"/api/v1/tickets/{number}/reopen", headers=headers)
    assert response.status_code == 200 and response.get_json()["status"] == "in_progress"


def test_a_closed_request_is_reopened_within_the_charters_window(app):
    """The example charter's confirmation window: five business days."""
    client, headers = app.test_client(), token_headers(app)
    number = file_ticket(client, headers)
    close_request(app, number, datetime.now(UTC) - timedelta(hours=1))
    response = client.post(f"/api/v1/tickets/{number}/reopen", headers=headers)
    assert response.status_code == 200 and response.get_json()["status"] == "in_progress"


def test_a_request_carries_the_files_the_portal_accepted(app):
    """Intake rule 4: attachments are uploads accepted by their content; the history shows each file's name, size,
    kind and SHA-256, never its storage key."""
    client, headers = app.test_client(), token_headers(app)
    upload_id = accepted_upload(app)
    number = file_ticket(client, headers, attachments=[upload_id])
    [received] = client.get(f"/api/v1/tickets/{number}", headers=headers).get_json()["history"]
    [file] = received["files"]
    assert set(file) == {"name", "size", "kind", "sha256"} and len(file["sha256"]) == 64 and file["size"] > 0
    assert "files" not in received["data"]
