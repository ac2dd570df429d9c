"""Once a request has run its deadline, it starts no further DynamoDB call and answers 503: a page that makes
several calls to a slow database cannot take several time-outs. Nothing is half-written (the clock is moved, not
waited for)."""

from __future__ import annotations

import botocore.client
import pytest

from portal.adapters.dynamo import deadline
from portal.adapters.dynamo.deadline import PastDeadline, end_deadline, start_deadline
from tests.builders import seeded_app, signed_in_client

FORM = {"category": "bug", "product": "alpha-cam", "version": "2026.1", "severity": "2", "topic": "",
        "subject": "Crash past the deadline", "fact_description": "It crashes.", "fact_steps": "Export.",
        "idempotency_key": "deadline-1"}


class SlowDatabase:
    """Each DynamoDB call takes one second of the deadline's clock; records the operations that started."""

    def __init__(self, monkeypatch):
        self.now, self.started = 1000.0, []
        original = botocore.client.BaseClient._make_api_call

        def slow(client, operation_name, params):
            result = original(client, operation_name, params)  # refused before it starts when past the deadline
            self.started.append(operation_name)
            self.now += 1.0
            return result

        monkeypatch.setattr(deadline, "clock", lambda: self.now)
        monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", slow)


@pytest.fixture
def app(moto_storage, tmp_path):
    return seeded_app(moto_storage, tmp_path, request_deadline_seconds=2.5)


def test_a_filing_past_its_deadline_answers_503_and_writes_no_request(app, moto_storage, monkeypatch):
    client = signed_in_client(app, "owner@customer1.example")
    database = SlowDatabase(monkeypatch)
    response = client.post("/requests/new?lang=fr", data=FORM)
    assert response.status_code == 503
    assert "Le service est momentanément indisponible" in response.get_data(as_text=True)
    assert len(database.started) == 3  # the company file, the catalog, the number: the write never started
    assert "TransactWriteItems" not in database.started
    company = moto_storage.accounts.contact_by_email("owner@customer1.example").company_id
    assert moto_storage.tickets.of_company(company) == []


def test_the_next_request_has_a_deadline_of_its_own(moto_storage, tmp_path, monkeypatch):
    """3.5 s: the first filing reads the company file, the catalog, the number and its queue place, and its write is
    refused; an hour later the next one, with the catalog known, has the time to write."""
    client = signed_in_client(seeded_app(moto_storage, tmp_path, request_deadline_seconds=3.5),
                              "owner@customer1.example")
    database = SlowDatabase(monkeypatch)
    assert client.post("/requests/new?lang=en", data=FORM).status_code == 503
    assert "TransactWriteItems" not in database.started
    database.now += 3600  # an hour later on the same clock: the first request's deadline is not this one's
    response = client.post("/requests/new?lang=en", data={**FORM, "idempotency_key": "deadline-2"})
    assert response.status_code == 302 and "TransactWriteItems" in database.started


def test_an_api_call_past_its_deadline_gets_a_json_503_with_a_code(moto_storage, tmp_path, monkeypatch):
    from datetime import UTC, datetime, timedelta

    from portal.services.api_tokens import create_token
    from tests.builders import make_contact

    app = seeded_app(moto_storage, tmp_path, request_deadline_seconds=0.5)
    clear, _ = create_token(moto_storage.api_tokens, make_contact(contact_id="demo-1-owner", company_id="demo-1"),
                            "deadline", datetime.now(UTC) - timedelta(days=1))
    SlowDatabase(monkeypatch)
    response = app.test_client().get("/api/v1/me/contracts", headers={"Authorization": f"Bearer {clear}"})
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "unavailable"


def test_outside_a_request_there_is_no_deadline_and_inside_one_a_call_past_it_is_refused(moto_storage):
    """Scheduled functions run without a deadline; the refusal is a BackendUnavailable like any time-out."""
    moto_storage.tickets.next_number(2099)
    token = start_deadline(-1.0)
    try:
        with pytest.raises(PastDeadline):
            moto_storage.tickets.next_number(2099)
    finally:
        end_deadline(token)
    assert moto_storage.tickets.next_number(2099).endswith("2")
