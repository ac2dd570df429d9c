"""Schemathesis against /api/v1/openapi.json (proof issue): calls generated from the OpenAPI document, with a
customer's token on the customer endpoints and a manager's staff token on the staff ones, never get a 5xx and
always answer within the document (status codes, content types, bodies)."""

from datetime import UTC, datetime, timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from portal.services.staff_tokens import create_staff_token
from tests.builders import demo_portal_on_moto
from tests.unit.api_tickets.api_builders import token_headers
from tests.unit.staff.staff_builders import make_staff

EXAMPLES_PER_OPERATION = 60
# A call the document allows may still be refused by a rule about stored data (an unknown colleague, a request
# that is not a defect): 422 names the rule, 413 the charter's size limit for a file. 400 stays a failure: it means
# the document lets through a body the endpoint calls malformed.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "413", "422", "429", "5xx"]}}})


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """One portal for the whole run, on moto, with a customer's token and a manager's staff token."""
    with demo_portal_on_moto(tmp_path_factory.mktemp("fuzz")) as app:
        storage = app.extensions["portal"].storage
        manager = make_staff(staff_id="mgr-mia", email="mia@vendor.example", role="manager")
        storage.staff.save(manager)
        clear, _ = create_staff_token(storage.api_tokens, manager, "fuzz", datetime.now(UTC) - timedelta(minutes=1))
        yield app, {"customer": token_headers(app), "staff": {"Authorization": f"Bearer {clear}"}}


def operations(app):
    """Every operation of the portal's OpenAPI document, as schemathesis reads it."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG)
    return [result.ok() for result in schema.get_all_operations()]


def fuzz(operation, headers) -> int:
    """Call one operation with generated cases; how many calls were made."""
    made = []

    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def call(case):
        case.call_and_validate(headers=headers)
        made.append(1)

    call()
    return len(made)


def test_generated_calls_get_no_server_error_and_answer_within_the_document(api):
    app, tokens = api
    calls = sum(fuzz(operation, tokens["staff"] if operation.path.startswith("/staff") else tokens["customer"])
                for operation in operations(app))
    assert calls >= 1000, f"only {calls} calls"
