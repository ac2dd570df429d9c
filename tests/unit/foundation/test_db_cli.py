"""`portal db create-tables` and `portal db seed-demo` on moto."""

import pytest
from click.testing import CliRunner
from moto import mock_aws

from portal.cli import main


@pytest.fixture
def portal_env(fake_aws, monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setenv("PORTAL_TABLE_PREFIX", "cli-")
    monkeypatch.delenv("PORTAL_DYNAMODB_ENDPOINT", raising=False)
    monkeypatch.delenv("PORTAL_CHARTER", raising=False)
    with mock_aws():
        yield


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_create_tables_is_idempotent(portal_env):
    from portal.adapters.dynamo.tables import TABLES

    first = run("db", "create-tables")
    assert first.exit_code == 0 and f"created {len(TABLES)} table(s)" in first.output
    assert all(model.Meta.table_name in first.output for model in TABLES)
    second = run("db", "create-tables")
    assert second.exit_code == 0 and "created 0 table(s)" in second.output


def test_demo_data_is_loaded_once_and_never_duplicated(portal_env):
    from portal.adapters.dynamo.accounts import AccountsRepository

    run("db", "create-tables")
    first = run("db", "seed-demo")
    assert first.exit_code == 0 and "demo data loaded" in first.output
    before = AccountsRepository().company_file("demo-1")
    second = run("db", "seed-demo")
    assert second.exit_code == 0 and "already present" in second.output
    after = AccountsRepository().company_file("demo-1")
    assert after == before and len(after.contacts) == 2 and len(after.contracts) == 1


def test_demo_data_is_refused_in_production(portal_env, monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "x" * 32)
    result = CliRunner().invoke(main, ["db", "seed-demo"])
    assert result.exit_code == 2
    assert "never loaded in production" in result.output


def test_the_catalog_is_read_back_in_its_json_shape_with_one_query(portal_env):
    from portal.adapters.dynamo.catalog import CatalogRepository
    from tests.call_counter import count_dynamodb_calls

    run("db", "create-tables")
    run("db", "seed-demo")
    with count_dynamodb_calls() as calls:
        document = CatalogRepository().document()
    assert calls == {"Query": 1}
    alpha = next(p for p in document["products"] if p["id"] == "alpha-cam")
    assert [r["version"] for r in alpha["releases"]] == ["2024.1", "2025.1", "2026.1"]
