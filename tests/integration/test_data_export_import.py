"""Moving a portal's data on Amazon's DynamoDB Local: export, import into an empty second set of tables,
every item equal field by field and every file by checksum; a second import changes nothing."""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from portal.adapters.dynamo.raw_tables import RawTables, table_shapes
from portal.adapters.dynamo.storage import DynamoStorage
from portal.adapters.dynamo.tables import configure_tables, delete_tables
from portal.adapters.file_inventory import every_key
from portal.adapters.files import LocalFileStore
from portal.domain.charter import load_charter
from portal.services.data_export import ImportRefused, export_data, import_data, read_manifest
from portal.services.seeding import seed_demo_data
from tests.builders import fast_passwords, make_settings

pytestmark = pytest.mark.integration
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CATALOG = Path(__file__).resolve().parents[2] / "portal" / "catalog" / "demo.json"
ODD_ITEM = {"counter_id": {"S": "odd#1"}, "value": {"N": "12.5"}, "blob": {"B": "AAEC/w=="},
            "tags": {"SS": ["b", "a"]}, "nested": {"M": {"l": {"L": [{"N": "1"}, {"NULL": True}, {"BOOL": False}]}}}}


@pytest.fixture
def source(local_storage, tmp_path):
    """The demo data, an item with every kind of attribute, and two attachments."""
    seed_demo_data(local_storage, load_charter("example"), json.loads(CATALOG.read_text()), date(2026, 11, 1),
                   hash_password=fast_passwords().hash)
    raw = RawTables(local_storage.settings)
    raw.put(f"{local_storage.settings.table_prefix}counters", ODD_ITEM)
    files = LocalFileStore(tmp_path / "source-files")
    files.put("uploads/demo-1/u1/journal.log", b"line one\nline two\n")
    files.put("accepted/demo-1/u1.json", b'{"key": "uploads/demo-1/u1/journal.log"}')
    return raw, files


@pytest.fixture
def target(local_storage, dynamodb_local, tmp_path):
    """A second, empty set of tables on the same DynamoDB Local (a prefix of its own) and an empty file store."""
    settings = make_settings(dynamodb_endpoint=dynamodb_local.endpoint)
    storage = DynamoStorage(settings)
    yield storage, RawTables(settings), LocalFileStore(tmp_path / "target-files")
    configure_tables(settings)
    delete_tables()
    configure_tables(local_storage.settings)


def everything(raw):
    return {shape.base_name: sorted(json.dumps(item, sort_keys=True) for item in raw.items(shape.name))
            for shape in raw.shapes() if raw.exists(shape.name)}


def files_of(store):
    contents = {}
    for key in every_key(store):
        with store.open(key) as stream:
            contents[key] = stream.read()
    return contents


def test_an_import_into_empty_tables_reproduces_every_item_and_every_file(source, target, tmp_path):
    raw, files = source
    target_storage, target_raw, target_files = target
    report = export_data(raw, tmp_path / "export", NOW, files=files, every_key=every_key)
    assert report.files == 2 and report.tables["accounts"] > 0 and report.tables["counters"] >= 1

    imported = import_data(target_raw, tmp_path / "export", target_storage.create_missing_tables, files=target_files)

    assert imported.files_written == 2 and sum(imported.written.values()) == sum(report.tables.values())
    assert everything(target_raw) == everything(raw)
    odd = target_raw.get(f"{target_storage.settings.table_prefix}counters", {"counter_id": {"S": "odd#1"}})
    assert odd == {**ODD_ITEM, "tags": {"SS": ["a", "b"]}}
    for key, content in files_of(files).items():
        with target_files.open(key) as stream:
            assert stream.read() == content


def test_a_second_import_changes_nothing(source, target, tmp_path):
    raw, files = source
    target_storage, target_raw, target_files = target
    export_data(raw, tmp_path / "export", NOW, files=files, every_key=every_key)
    import_data(target_raw, tmp_path / "export", target_storage.create_missing_tables, files=target_files)
    before = everything(target_raw)

    again = import_data(target_raw, tmp_path / "export", target_storage.create_missing_tables, files=target_files)

    assert again.changed_nothing and again.files_unchanged == 2
    assert everything(target_raw) == before


def test_an_interrupted_import_run_again_ends_in_the_same_state(source, target, tmp_path):
    raw, files = source
    target_storage, target_raw, target_files = target
    export_data(raw, tmp_path / "export", NOW, files=files, every_key=every_key)
    target_storage.create_missing_tables()
    manifest = read_manifest(tmp_path / "export")
    accounts = next(table for table in manifest["tables"] if table["name"] == "accounts")
    for line in (tmp_path / "export" / accounts["file"]).read_text().splitlines()[:3]:  # it stopped here
        target_raw.put(f"{target_storage.settings.table_prefix}accounts", json.loads(line))

    report = import_data(target_raw, tmp_path / "export", target_storage.create_missing_tables, files=target_files)

    assert report.unchanged["accounts"] == 3
    assert everything(target_raw) == everything(raw)


def test_a_target_holding_other_data_is_refused_before_anything_is_written(source, target, tmp_path):
    raw, files = source
    target_storage, target_raw, target_files = target
    export_data(raw, tmp_path / "export", NOW, files=files, every_key=every_key)
    target_storage.create_missing_tables()
    target_raw.put(f"{target_storage.settings.table_prefix}counters", {"counter_id": {"S": "theirs"}})

    with pytest.raises(ImportRefused, match="not in the export"):
        import_data(target_raw, tmp_path / "export", target_storage.create_missing_tables, files=target_files)

    assert everything(target_raw)["accounts"] == [] and files_of(target_files) == {}


def test_the_tables_exported_are_the_models_tables(local_storage):
    names = [shape.base_name for shape in table_shapes(local_storage.settings)]
    assert {"accounts", "tickets", "staff", "counters"} <= set(names)
