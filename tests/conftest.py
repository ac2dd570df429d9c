"""Fixtures shared by both tiers: settings builders, moto for the fast tier, DynamoDB Local for the other."""

from __future__ import annotations

import pytest

from tests.builders import FAKE_AWS, make_settings


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
