"""Fixtures shared by both tiers: settings builders, moto for the fast tier, DynamoDB Local for the other."""

from __future__ import annotations

import pytest

from tests.builders import FAKE_AWS, make_settings


class ReadsAtOnce:
    """Stands for a thread pool under moto: `map` runs every call in the caller's thread before returning."""

    def map(self, call, *iterables):
        return list(map(call, *iterables))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


@pytest.fixture(autouse=True)
def calls_on_threads_run_at_once_under_moto(monkeypatch):
    """moto's in-memory tables are not safe for a query and a write on two threads at once (a table's dict can
    change size while the query walks it); DynamoDB and DynamoDB Local are. Under moto, the calls the portal runs on
    threads run at once in the caller's thread: the filing's queue count (`tickets.alongside`) before the write, a
    sweep's history reads (`sweeps.run.history_readers`) before the sweep acts on them. Elsewhere (DynamoDB Local,
    doubles) they run on their threads, as in production (tests/integration/test_tickets_on_dynamodb_local.py,
    tests/unit/sweeps/test_sweep_history_reads.py)."""
    from concurrent.futures import Future

    from moto.core.models import botocore_stubber

    from portal.adapters.dynamo import tickets
    from portal.services.sweeps import run

    on_its_thread = tickets.alongside
    on_threads = run.history_readers

    def alongside(call, *args):
        if not botocore_stubber.enabled:
            return on_its_thread(call, *args)
        done = Future()
        try:
            done.set_result(call(*args))
        except BaseException as error:  # noqa: BLE001 - handed to the caller through the Future, as a thread would
            done.set_exception(error)
        return done

    def history_readers(at_once):
        return ReadsAtOnce() if botocore_stubber.enabled else on_threads(at_once)

    monkeypatch.setattr(tickets, "alongside", alongside)
    monkeypatch.setattr(run, "history_readers", history_readers)


@pytest.fixture
def fake_aws(monkeypatch):
    for name, value in FAKE_AWS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def moto_storage(fake_aws):
    """A DynamoStorage on moto's in-process DynamoDB, with every table created."""
    from moto import mock_aws

    from portal.adapters.dynamo.storage import DynamoStorage

    with mock_aws():
        storage = DynamoStorage(make_settings())
        storage.create_missing_tables()
        yield storage


@pytest.fixture(scope="session")
def dynamodb_local():
    """Amazon's DynamoDB Local, in memory on a free port, for the whole test session."""
    from portal.adapters import dynamodb_local as local

    database = local.start(in_memory=True)
    yield database
    database.stop()


@pytest.fixture
def local_storage(dynamodb_local, fake_aws):
    """A DynamoStorage on DynamoDB Local with tables of its own (a unique prefix), dropped afterwards."""
    from portal.adapters.dynamo.storage import DynamoStorage
    from portal.adapters.dynamo.tables import delete_tables

    storage = DynamoStorage(make_settings(dynamodb_endpoint=dynamodb_local.endpoint))
    storage.create_missing_tables()
    yield storage
    delete_tables()
