"""Filing a request through the form costs five DynamoDB calls: what the page read is not read again (counted)."""

import pytest

from tests.builders import seeded_app, signed_in_client
from tests.call_counter import count_dynamodb_calls


@pytest.fixture
def app(moto_storage, tmp_path):
    return seeded_app(moto_storage, tmp_path)


def test_the_form_reads_the_company_file_and_the_catalog_once_then_numbers_writes_and_counts_the_queue(app):
    client = signed_in_client(app, "owner@customer1.example")
    form = {"category": "bug", "product": "alpha-cam", "version": "2026.1", "severity": "2", "topic": "",
            "subject": "Post-processor crash", "fact_description": "It crashes on export.",
            "fact_steps": "Open, export, crash.", "idempotency_key": "round-trips-1"}
    with count_dynamodb_calls() as calls:
        response = client.post("/requests/new?lang=en", data=form)
    assert response.status_code == 302
    assert calls == {"Query": 3, "UpdateItem": 1, "TransactWriteItems": 1}, dict(calls)
