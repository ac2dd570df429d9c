"""A database that is down gets a 503 from the pages and endpoints customers use, after one DynamoDB operation of
at most two attempts, each bounded by the time-outs, so that nothing hangs (counted, not timed)."""

from __future__ import annotations

import contextlib

import botocore.httpsession
import pytest

from portal.adapters import dynamodb_local
from portal.adapters.dynamo import models
from portal.domain.charter import load_charter
from portal.web.app import create_app
from tests.builders import make_settings
from tests.call_counter import count_dynamodb_calls

FORM = {"category": "bug", "product": "alpha-cam", "version": "2026.1", "severity": "2", "topic": "",
        "subject": "Crash", "fact_description": "It crashes.", "fact_steps": "Export.", "idempotency_key": "k1"}
TOKEN = "pt_0123456789abcdef.secret"


@contextlib.contextmanager
def count_attempts():
    """Count the HTTP attempts the DynamoDB client makes (a retry is a second attempt of the same operation)."""
    attempts = []
    original = botocore.httpsession.URLLib3Session.send

    def counting(session, request):
        attempts.append(request.url)
        return original(session, request)

    botocore.httpsession.URLLib3Session.send = counting
    try:
        yield attempts
    finally:
        botocore.httpsession.URLLib3Session.send = original


@pytest.fixture
def client(fake_aws):
    """A signed-in customer on a portal whose database port is closed (as when DynamoDB Local is killed)."""
    app = create_app(make_settings(dynamodb_endpoint=f"http://127.0.0.1:{dynamodb_local.free_port()}"),
                     charter=load_charter("example"))
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    with client.session_transaction() as session:
        session.update({"who": "contact", "sid": "s", "contact_id": "demo-1-owner", "company_id": "demo-1",
                        "name": "Owner", "email": "owner@customer1.example", "lang": "en", "contact_lang": "en",
                        "roles": ["system_owner"]})
    return client


def test_every_table_gives_up_after_two_attempts_bounded_by_the_time_outs(fake_aws):
    """Rule: one DynamoDB operation ends within 2 x (connect + read) time-outs, at most 5 s."""
    from portal.adapters.dynamo.storage import DynamoStorage

    DynamoStorage(make_settings(dynamodb_endpoint="http://127.0.0.1:9"))
    for model in models.TABLES:
        config = model._get_connection().connection.client.meta.config
        attempts = config.retries["total_max_attempts"]
        assert attempts == 2, model.Meta.table_name
        assert attempts * (config.connect_timeout + config.read_timeout) <= 5.0, model.Meta.table_name


@pytest.mark.parametrize("method, path, options", [
    ("GET", "/?lang=en", {}),
    ("GET", "/requests/2026-000001?lang=en", {}),
    ("POST", "/requests/new?lang=en", {"data": FORM}),
    ("GET", "/api/v1/tickets/2026-000001", {"headers": {"Authorization": f"Bearer {TOKEN}"}}),
    ("POST", "/api/v1/tickets", {"headers": {"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": "k1"},
                                 "json": {"category": "bug"}}),
])
def test_a_closed_database_port_gets_a_503_after_one_operation_of_two_attempts(client, method, path, options):
    with count_dynamodb_calls() as operations, count_attempts() as attempts:
        response = client.open(path, method=method, **options)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert sum(operations.values()) == 1, dict(operations)
    assert len(attempts) == 2


def test_the_api_says_unavailable_in_json(client):
    response = client.get("/api/v1/tickets/2026-000001", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "unavailable"
