"""`portal data export|import|purge`: move a portal's data between databases, and purge what retention allows."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from portal.cli.context import fail, settings_from_environment


@click.group()
def data():
    """Data stewardship: export, import and the retention purge."""


def _stores(with_files: bool):
    from portal.adapters.dynamo.raw_tables import RawTables
    from portal.adapters.dynamo.storage import DynamoStorage
    from portal.web.app import build_file_store

    settings = settings_from_environment()
    storage = DynamoStorage(settings)
    return storage, RawTables(settings), build_file_store(settings) if with_files else None


@data.command("export")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--files", "with_files", is_flag=True, help="Also export the attachments.")
def export_command(folder, with_files):
    """Write every table (and with --files the attachments) to FOLDER as JSON lines with a manifest."""
    from portal.adapters.file_inventory import every_key
    from portal.domain.errors import BackendUnavailable
    from portal.services.data_export import ExportRefused, export_data

    _storage, raw, files = _stores(with_files)
    try:
        report = export_data(raw, folder, datetime.now(UTC), files=files, every_key=every_key)
    except ExportRefused as error:
        fail(str(error))
    except BackendUnavailable as error:
        fail(f"the database does not answer ({error}); is it running?", 3)
    click.echo(json.dumps({"tables": report.tables, "files": report.files}, indent=2))


@data.command("import")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
def import_command(folder):
    """Load an export from FOLDER into this portal's (empty) database and file store, verifying the manifest;
    run it again after an interruption."""
    from portal.domain.errors import BackendUnavailable
    from portal.services.data_export import ImportRefused, import_data

    storage, raw, files = _stores(True)
    try:
        report = import_data(raw, folder, storage.create_missing_tables, files=files)
    except ImportRefused as error:
        fail(str(error))
    except BackendUnavailable as error:
        fail(f"the database does not answer ({error}); is it running?", 3)
    click.echo(json.dumps({"written": report.written, "unchanged": report.unchanged,
                           "files_written": report.files_written, "files_unchanged": report.files_unchanged,
                           "created_tables": report.created_tables}, indent=2))


@data.command("purge")
@click.option("--now", "now_text", help="Run as if it were this instant (ISO 8601 with an offset).")
@click.option("--dry-run", is_flag=True, help="Say which requests would be deleted; delete nothing.")
def purge_command(now_text, dry_run):
    """Delete the closed requests (with their history and files) kept longer than the charter's [retention];
    print what went as JSON. The scheduled function does the same each night."""
    from functions.retention_purge import purge
    from portal.cli.sweep import _now
    from portal.domain.charter import CharterError
    from portal.domain.errors import BackendUnavailable
    from portal.settings import SettingsError

    now = _now(now_text)
    try:
        run = purge(now, dry_run=dry_run)
    except (SettingsError, CharterError) as error:
        fail(str(error))
    except BackendUnavailable as error:
        fail(f"the database does not answer ({error}); is it running?", 3)
    click.echo(json.dumps(run.as_json(), indent=2, ensure_ascii=False))
