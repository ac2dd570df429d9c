"""portal data export and import on moto: a manifest that does not match its files, another schema version or a
non-empty export folder are refused before anything is written; the commands print what they did."""

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from portal.adapters.dynamo.raw_tables import RawTables, plain
from portal.services.data_export import ExportRefused, ImportRefused, export_data, import_data, read_manifest
from tests.builders import make_contact

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def exported(moto_storage, tmp_path):
    moto_storage.accounts.save_contact(make_contact())
    export_data(RawTables(moto_storage.settings), tmp_path / "export", NOW)
    return tmp_path / "export"


def test_the_manifest_counts_and_checksums_every_table(exported):
    manifest = read_manifest(exported)
    accounts = next(table for table in manifest["tables"] if table["name"] == "accounts")
    assert manifest["schema_version"] == 1 and accounts["count"] == 1 and len(accounts["sha256"]) == 64
    assert accounts["keys"] == ["pk", "sk"] and manifest["files"] is None


def test_an_export_into_a_folder_holding_files_is_refused(moto_storage, exported):
    with pytest.raises(ExportRefused, match="not empty"):
        export_data(RawTables(moto_storage.settings), exported, NOW)


def test_a_table_file_changed_after_the_export_is_refused(exported):
    path = exported / "tables" / "accounts.jsonl"
    path.write_text(path.read_text().replace("Ann", "Bob"))
    with pytest.raises(ImportRefused, match="accounts"):
        read_manifest(exported)


def test_an_export_of_another_schema_version_is_refused(exported):
    manifest = json.loads((exported / "manifest.json").read_text())
    (exported / "manifest.json").write_text(json.dumps({**manifest, "schema_version": 99}))
    with pytest.raises(ImportRefused, match="schema version"):
        read_manifest(exported)


def test_a_table_this_portal_does_not_know_is_refused_before_any_write(moto_storage, exported):
    manifest = json.loads((exported / "manifest.json").read_text())
    manifest["tables"][0] = {**manifest["tables"][0], "name": "gadgets"}
    (exported / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ImportRefused, match="gadgets"):
        import_data(RawTables(moto_storage.settings), exported)


def test_the_commands_export_and_import_and_a_missing_folder_is_a_clear_error(moto_storage, monkeypatch, tmp_path):
    from portal.cli import main

    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setenv("PORTAL_TABLE_PREFIX", moto_storage.settings.table_prefix)
    monkeypatch.setenv("PORTAL_DATA", str(tmp_path / "data"))
    moto_storage.accounts.save_contact(make_contact())
    runner = CliRunner()

    exported = runner.invoke(main, ["data", "export", str(tmp_path / "out"), "--files"])
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.output)["tables"]["accounts"] == 1
    again = runner.invoke(main, ["data", "import", str(tmp_path / "out")])
    assert again.exit_code == 0, again.output
    assert sum(json.loads(again.output)["written"].values()) == 0
    missing = runner.invoke(main, ["data", "import", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2


def test_only_whole_numbers_in_ascii_digits_become_ints_when_shown_plainly():
    item = {"n": {"N": "12"}, "minus": {"N": "-3"}, "part": {"N": "1.5"}, "odd": {"N": "\u00b2"}, "twice": {"N": "--5"}}
    assert plain(item) == {"n": 12, "minus": -3, "part": "1.5", "odd": "\u00b2", "twice": "--5"}


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_an_export_whose_text_holds_a_unicode_line_separator_imports_again(moto_storage, tmp_path, separator):
    from portal.adapters.dynamo import tables
    moto_storage.accounts.save_contact(make_contact(name=f"Ann{separator}Lee"))
    raw = RawTables(moto_storage.settings)
    export_data(raw, tmp_path / "export", NOW)
    tables.delete_tables()
    moto_storage.create_missing_tables()
    report = import_data(raw, tmp_path / "export", moto_storage.create_missing_tables)
    assert report.written["accounts"] == 1
