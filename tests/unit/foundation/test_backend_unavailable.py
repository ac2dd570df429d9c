"""A database that does not answer becomes BackendUnavailable within seconds, never a hang."""

import time

import pytest

from portal.adapters.dynamo.storage import DynamoStorage
from portal.domain.errors import BackendUnavailable
from tests.builders import make_settings
from tests.silent_server import SilentServer


def test_a_database_that_hangs_is_reported_unavailable_within_five_seconds(fake_aws):
    with SilentServer() as server:
        storage = DynamoStorage(make_settings(dynamodb_endpoint=server.endpoint))
        started = time.monotonic()
        with pytest.raises(BackendUnavailable):
            storage.ping()
        assert time.monotonic() - started < 5


def test_a_database_that_refuses_connections_is_reported_unavailable(fake_aws):
    storage = DynamoStorage(make_settings(dynamodb_endpoint="http://127.0.0.1:9"))
    with pytest.raises(BackendUnavailable):
        storage.accounts.company("acme")
