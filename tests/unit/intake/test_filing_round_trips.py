"""Filing a request through the form costs five DynamoDB calls, four once the instance has read the catalog: what
the page read is not read again (counted)."""

import pytest

from tests.builders import seeded_app, signed_in_client
from tests.call_counter import count_dynamodb_calls, watching_dynamodb_calls

FORM = {"category": "bug", "product": "alpha-cam", "version": "2026.1", "severity": "2", "topic": "",
        "subject": "Post-processor crash", "fact_description": "It crashes on export.",
        "fact_steps": "Open, export, crash."}


@pytest.fixture
def app(moto_storage, tmp_path):
    return seeded_app(moto_storage, tmp_path)


def test_the_form_reads_the_company_file_and_the_catalog_once_then_numbers_writes_and_counts_the_queue(app):
    client = signed_in_client(app, "owner@customer1.example")
    with count_dynamodb_calls() as calls:
        response = client.post("/requests/new?lang=en", data={**FORM, "idempotency_key": "round-trips-1"})
    assert response.status_code == 302
    assert calls == {"Query": 3, "UpdateItem": 1, "TransactWriteItems": 1}, dict(calls)


def test_a_second_filing_reads_the_catalog_no_more_four_calls(app):
    client = signed_in_client(app, "owner@customer1.example")
    assert client.post("/requests/new?lang=en", data={**FORM, "idempotency_key": "first"}).status_code == 302
    with count_dynamodb_calls() as calls:
        assert client.post("/requests/new?lang=en", data={**FORM, "idempotency_key": "second"}).status_code == 302
    assert calls == {"Query": 2, "UpdateItem": 1, "TransactWriteItems": 1}, dict(calls)


def test_the_catalog_is_read_again_a_minute_later_or_once_saved(moto_storage):
    """The catalog changes by import only: an instance keeps what it read for CATALOG_KEPT_SECONDS."""
    from portal.adapters.dynamo.catalog import CATALOG_KEPT_SECONDS, CatalogRepository
    from portal.domain.catalog import parse_catalog

    now = [1000.0]
    catalog = CatalogRepository(clock=lambda: now[0])
    catalog.save(parse_catalog({"products": [{"id": "alpha", "name": "Alpha",
                                              "releases": [{"version": "1", "released": "2026-01-05"}]}]}))
    with count_dynamodb_calls() as calls:
        first = catalog.catalog()
        now[0] += CATALOG_KEPT_SECONDS - 1
        assert catalog.catalog() == first
    assert calls == {"Query": 1}
    now[0] += 1
    with count_dynamodb_calls() as calls:
        catalog.catalog()
    assert calls == {"Query": 1}
    catalog.save(parse_catalog({"products": [{"id": "beta", "name": "Beta",
                                              "releases": [{"version": "2", "released": "2026-02-05"}]}]}))
    assert {product.id for product in catalog.catalog().products} == {"beta"}  # an import replaces the catalog


def test_the_queue_position_is_counted_on_the_slim_queue_cards_index(app):
    """The count reads every open request ahead: on `queue-cards` they weigh their card, not their facts."""
    queried = []

    def capturing(operation_name, params):
        if operation_name == "Query" and params.get("Select") == "COUNT":
            queried.append(params.get("IndexName"))

    client = signed_in_client(app, "owner@customer1.example")
    with watching_dynamodb_calls(capturing):
        response = client.post("/requests/new?lang=en", data={**FORM, "idempotency_key": "position"})
    assert "position=1" in response.headers["Location"]
    assert queried == ["queue-cards"]


def test_a_call_run_alongside_keeps_the_request_deadline():
    """The count on its thread is refused like any call of the request once the request's time is up."""
    from portal.adapters.dynamo import deadline
    from portal.adapters.dynamo.tickets import alongside

    token = deadline.start_deadline(-1)
    try:
        counted = alongside(lambda: deadline.refuse_past_deadline())
        with pytest.raises(deadline.PastDeadline):
            counted.result(5)
    finally:
        deadline.end_deadline(token)
    assert alongside(lambda: deadline.refuse_past_deadline() or "started").result(5) == "started"


def test_a_request_whose_place_could_not_be_counted_is_filed_and_acknowledged_with_its_priority_alone(
        app, tmp_path):
    """The count is not what files the request: a database that times out on it refuses no filing."""
    import botocore.exceptions

    from portal.adapters.mail import OutboxMailer

    def count_times_out(operation_name, params):
        if operation_name == "Query" and params.get("Select") == "COUNT":
            raise botocore.exceptions.ReadTimeoutError(endpoint_url="http://dynamodb")

    client = signed_in_client(app, "owner@customer1.example")
    with watching_dynamodb_calls(count_times_out):
        response = client.post("/requests/new?lang=en", data={**FORM, "idempotency_key": "count-fails"})
    assert response.status_code == 302
    assert "filed=1" in response.headers["Location"] and "position" not in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your request is filed." in page and "Position in the queue" not in page
    [mail] = OutboxMailer(tmp_path / "outbox", "support@vendor.example").messages()
    text = mail.get_body(("plain",)).get_content()  # in the contact's language, French
    assert "Priorité : 1.\n" in text.replace("\r\n", "\n") and "file d'attente" not in text
