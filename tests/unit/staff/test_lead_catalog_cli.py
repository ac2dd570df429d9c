"""`portal catalog import FILE`: the catalog JSON stored whole, or refused whole with every problem listed."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from moto import mock_aws

from portal.cli import main

DEMO = Path(__file__).resolve().parents[3] / "portal" / "catalog" / "demo.json"


@pytest.fixture
def storage(fake_aws, monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setenv("PORTAL_TABLE_PREFIX", "catalog-cli-")
    monkeypatch.setenv("PORTAL_DATA", str(tmp_path))
    monkeypatch.delenv("PORTAL_DYNAMODB_ENDPOINT", raising=False)
    with mock_aws():
        from portal.adapters.dynamo.storage import DynamoStorage
        from portal.settings import load_settings

        database = DynamoStorage(load_settings())
        database.create_missing_tables()
        yield database


def test_a_catalog_file_is_stored_and_importing_it_twice_changes_nothing(storage):
    first = CliRunner().invoke(main, ["catalog", "import", str(DEMO)])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("stored ") and "products" in first.output
    products = storage.catalog.catalog().products
    assert CliRunner().invoke(main, ["catalog", "import", str(DEMO)]).exit_code == 0
    assert storage.catalog.catalog().products == products


def test_a_broken_catalog_stores_nothing_and_lists_its_problems(storage, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"products": [{"id": "x", "releases": [{"version": "1"}]}]}))
    result = CliRunner().invoke(main, ["catalog", "import", str(broken)])
    assert result.exit_code == 2 and "error: the catalog is not valid" in result.output
    assert storage.catalog.catalog().products == ()
    missing = CliRunner().invoke(main, ["catalog", "import", str(tmp_path / "nothing.json")])
    assert missing.exit_code == 2 and "cannot be read" in missing.output
