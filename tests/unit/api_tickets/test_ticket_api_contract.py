"""The ticket API keeps its promises: every answer validates against the OpenAPI document, and reading
requests stays within three DynamoDB round trips."""

import jsonschema
import pytest

from tests.call_counter import count_dynamodb_calls
from tests.unit.api_tickets.api_builders import (
    DEPUTY,
    OTHER_COMPANY,
    accepted_upload,
    file_ticket,
    ticket_api_app,
    ticket_body,
    token_headers,
)


@pytest.fixture
def app(moto_storage, tmp_path):
    return ticket_api_app(moto_storage, tmp_path)


def assert_matches_the_document(document, path: str, method: str, response) -> None:
    """The response body validates against the schema the document declares for its path, method and status."""
    declared = document["paths"][path][method]["responses"][str(response.status_code)]
    schema = {**declared["content"]["application/json"]["schema"], "components": document["components"]}
    jsonschema.validate(response.get_json(), schema, cls=jsonschema.Draft202012Validator,
                        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_the_openapi_document_describes_every_ticket_endpoint(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert {"/tickets", "/tickets/{number}", "/tickets/{number}/messages", "/tickets/{number}/solved",
            "/tickets/{number}/reopen", "/tickets/{number}/survey"} <= set(document["paths"])
    assert set(document["paths"]["/tickets"]) == {"get", "post"}
    jsonschema.Draft202012Validator.check_schema({"$defs": document["components"]["schemas"]})


def test_every_answer_of_the_whole_flow_matches_the_openapi_document(app):
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    headers = token_headers(app, **{"Idempotency-Key": "contract-1"})
    steps = [
        ("/tickets", "post", lambda: client.post("/api/v1/tickets", json=ticket_body(), headers=headers)),
        ("/tickets", "post", lambda: client.post("/api/v1/tickets", json=ticket_body(), headers=headers)),
    ]
    statuses = []
    for path, method, call in steps:
        response = call()
        statuses.append(response.status_code)
        assert_matches_the_document(document, path, method, response)
    assert statuses == [201, 200]
    number = client.get("/api/v1/tickets", headers=headers).get_json()["tickets"][0]["number"]
    flow = [
        ("/tickets", "get", client.get("/api/v1/tickets", headers=headers), 200),
        ("/tickets/{number}", "get", client.get(f"/api/v1/tickets/{number}", headers=headers), 200),
        ("/tickets/{number}/messages", "post",
         client.post(f"/api/v1/tickets/{number}/messages",
                     json={"text": "More.", "attachments": [accepted_upload(app)]}, headers=headers), 201),
        ("/tickets/{number}/solved", "post", client.post(f"/api/v1/tickets/{number}/solved", headers=headers), 200),
        ("/tickets/{number}/reopen", "post", client.post(f"/api/v1/tickets/{number}/reopen", headers=headers), 200),
        ("/tickets/{number}/solved", "post", client.post(f"/api/v1/tickets/{number}/solved", headers=headers), 200),
        ("/tickets/{number}/survey", "post",
         client.post(f"/api/v1/tickets/{number}/survey", json={"score": 4, "comment": "Fine."}, headers=headers), 201),
        ("/tickets/{number}", "get", client.get(f"/api/v1/tickets/{number}", headers=headers), 200),
    ]
    for path, method, response, status in flow:
        assert response.status_code == status, (path, response.get_json())
        assert_matches_the_document(document, path, method, response)


def test_every_error_of_the_ticket_api_matches_the_openapi_document(app):
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    headers = token_headers(app)
    number = file_ticket(client, headers)
    errors = [
        ("/tickets", "post", client.post("/api/v1/tickets", json={"severity": 9}, headers=headers), 400),
        ("/tickets", "post", client.post("/api/v1/tickets", json=ticket_body(facts={}), headers=headers), 422),
        ("/tickets", "post", client.post("/api/v1/tickets", json=ticket_body(topic="installation"),
                                         headers=headers), 422),
        ("/tickets", "post", client.post("/api/v1/tickets", json=ticket_body(version="2024.1"), headers=headers), 422),
        ("/tickets", "post", client.post("/api/v1/tickets", json=ticket_body(),
                                         headers=token_headers(app, ("demo-2-owner", "demo-2"))), 422),
        ("/tickets", "get", client.get("/api/v1/tickets"), 401),
        ("/tickets/{number}", "get", client.get(f"/api/v1/tickets/{number}",
                                                headers=token_headers(app, OTHER_COMPANY)), 404),
        ("/tickets/{number}/messages", "post", client.post(f"/api/v1/tickets/{number}/messages", json={},
                                                           headers=headers), 400),
        ("/tickets/{number}/reopen", "post", client.post(f"/api/v1/tickets/{number}/reopen", headers=headers), 409),
        ("/tickets/{number}/survey", "post", client.post(f"/api/v1/tickets/{number}/survey", json={"score": 3},
                                                         headers=headers), 409),
    ]
    for path, method, response, status in errors:
        assert response.status_code == status, (path, response.get_json())
        assert_matches_the_document(document, path, method, response)


@pytest.mark.parametrize("who", [("demo-1-owner", "demo-1"), DEPUTY])
def test_listing_and_reading_requests_make_at_most_three_dynamodb_calls(app, who):
    """The token (one read), the contact's roles (one read, rule P2), then one query."""
    client, headers = app.test_client(), token_headers(app, who)
    number = file_ticket(client, headers)
    for path in ("/api/v1/tickets", f"/api/v1/tickets/{number}"):
        with count_dynamodb_calls() as calls:
            assert client.get(path, headers=headers).status_code == 200
        assert sum(calls.values()) <= 3, (path, dict(calls))


def test_a_filing_whose_place_could_not_be_counted_answers_201_with_a_null_place_as_documented(app):
    import botocore.exceptions

    from tests.call_counter import watching_dynamodb_calls

    def count_times_out(operation_name, params):
        if operation_name == "Query" and params.get("Select") == "COUNT":
            raise botocore.exceptions.ReadTimeoutError(endpoint_url="http://dynamodb")

    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    with watching_dynamodb_calls(count_times_out):
        response = client.post("/api/v1/tickets", json=ticket_body(),
                               headers=token_headers(app, **{"Idempotency-Key": "count-fails"}))
    assert response.status_code == 201
    assert response.get_json()["queue_position"] is None
    assert_matches_the_document(document, "/tickets", "post", response)


def test_a_colleagues_idempotency_key_files_nothing_and_tells_nothing_of_their_request(app):
    """A key is one client's: another contact of the company who sends it learns neither the number, the state nor
    the due time of the request it filed (409), and the owner's own retry still answers that request."""
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    filed = client.post("/api/v1/tickets", json=ticket_body(), headers=token_headers(app, **{"Idempotency-Key": "k1"}))
    assert filed.status_code == 201
    number = filed.get_json()["number"]
    taken = client.post("/api/v1/tickets", json=ticket_body(subject="Mine"),
                        headers=token_headers(app, DEPUTY, **{"Idempotency-Key": "k1"}))
    assert taken.status_code == 409 and taken.get_json()["error"]["code"] == "idempotency_key_taken"
    assert number not in taken.get_data(as_text=True)
    assert_matches_the_document(document, "/tickets", "post", taken)
    again = client.post("/api/v1/tickets", json=ticket_body(), headers=token_headers(app, **{"Idempotency-Key": "k1"}))
    assert again.status_code == 200 and again.get_json()["number"] == number
    assert len(app.extensions["portal"].storage.tickets.of_company("demo-1")) == 1
