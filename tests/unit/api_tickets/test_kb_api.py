"""The knowledge base for programs (rule T7): the pages' search over the API, and requests filed although
articles were shown counted as filed anyway."""

import jsonschema
import pytest

from tests.unit.api_tickets.api_builders import ticket_api_app, ticket_body, token_headers


@pytest.fixture
def app(moto_storage, tmp_path):
    return ticket_api_app(moto_storage, tmp_path)


def matches(app, path: str, response) -> None:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    declared = document["paths"][path]["get"]["responses"][str(response.status_code)]
    schema = {**declared["content"]["application/json"]["schema"], "components": document["components"]}
    jsonschema.validate(response.get_json(), schema, cls=jsonschema.Draft202012Validator)


def test_a_program_searches_the_knowledge_base_without_a_token_in_the_language_it_asks(app):
    response = app.test_client().get("/api/v1/kb/search?q=compresser+fichiers&language=fr&limit=3")
    assert response.status_code == 200
    matches(app, "/kb/search", response)
    articles = response.get_json()["articles"]
    assert articles[0]["id"] == "compress-large-files" and articles[0]["language"] == "fr"
    assert "<mark>" in articles[0]["snippet"] and articles[0]["url"].endswith("/kb/compress-large-files")
    assert len(articles) <= 3


def test_the_search_is_narrowed_to_a_product(app):
    client = app.test_client()
    everything = client.get("/api/v1/kb/search?q=version&language=en&limit=20").get_json()["articles"]
    narrowed = client.get("/api/v1/kb/search?q=version&language=en&limit=20&product=net-edge").get_json()["articles"]
    assert narrowed and len(narrowed) < len(everything)
    assert all(not article["products"] or "net-edge" in article["products"] for article in narrowed)


@pytest.mark.parametrize("query, field", [("q=", "q"), ("q=" + "x" * 501, "q"), ("q=licence&language=de", "language"),
                                          ("q=licence&limit=0", "limit"),
                                          ("q=licence&limit=abc", "limit"),
                                          ("q=licence&limit=%C2%B2", "limit"),  # "²".isdigit(), yet not a number
                                          ("q=licence&limit=" + "1" * 5000, "limit")])
def test_a_bad_search_answers_400_naming_the_parameter(app, query, field):
    response = app.test_client().get(f"/api/v1/kb/search?{query}")
    assert response.status_code == 400
    matches(app, "/kb/search", response)
    assert field in response.get_json()["error"]["fields"]
    assert response.get_json()["error"]["code"] == "invalid_fields"


def test_a_request_filed_through_the_api_after_articles_were_shown_counts_them_once(app):
    client, headers = app.test_client(), token_headers(app, **{"Idempotency-Key": "kb-api-1"})
    body = ticket_body(kb_shown=["severity-levels", "prepare-a-good-request"])
    assert client.post("/api/v1/tickets", json=body, headers=headers).status_code == 201
    assert client.post("/api/v1/tickets", json=body, headers=headers).status_code == 200  # the retry
    counts, filed = app.extensions["portal"].storage.kb_counters.read(["severity-levels", "prepare-a-good-request"])
    assert filed == 1 and counts["severity-levels"]["filed_anyway"] == 1


def test_kb_shown_must_name_articles(app):
    response = app.test_client().post("/api/v1/tickets", json=ticket_body(kb_shown=["<script>"]),
                                      headers=token_headers(app))
    assert response.status_code == 400 and "kb_shown" in response.get_json()["error"]["fields"]
