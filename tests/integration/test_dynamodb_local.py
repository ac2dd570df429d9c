"""The integration tier: Amazon's DynamoDB Local, started by the test session."""

import time

import pytest

from portal.adapters import dynamodb_local
from portal.adapters.dynamo import tables
from portal.domain.errors import BackendUnavailable
from tests.builders import make_settings

pytestmark = pytest.mark.integration


def test_creating_tables_twice_creates_nothing_the_second_time(local_storage):
    assert local_storage.create_missing_tables() == []
    local_storage.ping()


def test_every_table_exists_with_the_configured_prefix(local_storage):
    prefix = local_storage.settings.table_prefix
    for model in tables.TABLES:
        assert model.Meta.table_name.startswith(prefix)
        assert model.exists()


def test_a_database_that_does_not_answer_is_reported_unavailable_within_seconds(fake_aws):
    from portal.adapters.dynamo.storage import DynamoStorage

    storage = DynamoStorage(make_settings(dynamodb_endpoint=f"http://127.0.0.1:{dynamodb_local.free_port()}"))
    started = time.monotonic()
    with pytest.raises(BackendUnavailable):
        storage.ping()
    assert time.monotonic() - started < 5


def test_data_written_to_a_folder_is_there_after_a_restart_and_no_usage_is_reported(tmp_path, fake_aws):
    """DynamoDB Local runs with -disableTelemetry: a laptop's portal sends nothing about its use; JVM options (as
    bench/dynamodb_local_jvm.py compares them) go to java before the jar."""
    from portal.adapters.dynamo.storage import DynamoStorage
    from portal.domain.accounts import Company, DemoData

    settings_prefix = make_settings().table_prefix
    for attempt in range(2):
        with dynamodb_local.start(data_dir=tmp_path, jvm_options=("-Xmx512m",)) as database:
            assert "-disableTelemetry" in database.process.args
            assert "-Xmx512m" in database.process.args[1:database.process.args.index("-jar")]
            storage = DynamoStorage(make_settings(dynamodb_endpoint=database.endpoint, table_prefix=settings_prefix))
            created = storage.create_missing_tables()
            if attempt == 0:
                assert len(created) == len(tables.TABLES)
                storage.accounts.save_demo(DemoData(companies=(Company("acme", "Acme"),)))
            else:
                assert created == []
                assert storage.accounts.demo_loaded()
                assert storage.accounts.company("acme").name == "Acme"
        assert database.process.poll() is not None, "DynamoDB Local must be stopped"
