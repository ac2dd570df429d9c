"""`portal tools add|list`: store a remote-support tool's file for download (rules G10, E7), see the counts."""

from __future__ import annotations

import json
from pathlib import Path

import click

from portal.cli.context import fail, settings_from_environment

MAX_TOOL_BYTES = 500 * 1024 * 1024


def file_store(settings, charter):
    """The portal's file store (S3 in production, the data folder on a laptop), as the web app builds it."""
    from portal.web.app import PortalContext

    return PortalContext(settings, charter).files


def active_charter(settings):
    from portal.web.app import load_active_charter

    return load_active_charter(settings)


@click.group()
def tools():
    """Remote-support tools customers download."""


@tools.command("add")
@click.argument("tool_id")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--version", "version", default=None, help="The tool's version, shown to customers (e.g. 15.52).")
def add(tool_id, file, version):
    """Store FILE as the download of the charter's tool TOOL_ID, with its size and SHA-256 beside it."""
    from portal.domain.errors import NotFound
    from portal.services.tools import add_tool_file

    settings = settings_from_environment()
    charter = active_charter(settings)
    if file.stat().st_size > MAX_TOOL_BYTES:
        fail(f"{file} is larger than {MAX_TOOL_BYTES // (1024 * 1024)} MB")
    try:
        described = add_tool_file(charter, file_store(settings, charter), tool_id, file.read_bytes(), version)
    except NotFound:
        known = ", ".join(tool.id for tool in charter.remote_tools) or "none"
        fail(f"the charter {charter.id!r} has no tool {tool_id!r} (its tools: {known})")
    except ValueError as error:
        fail(str(error))
    click.echo(f"stored {tool_id}: {described.size} bytes, sha256 {described.sha256}"
               + (f", version {described.version}" if described.version else ""))


@tools.command("list")
def list_tools():
    """Print the charter's tools as JSON: tiers, the stored file's size and SHA-256, and the download count."""
    from portal.cli.context import storage_from_environment
    from portal.services.tools import stored_tool_file

    storage, settings = storage_from_environment()
    charter = active_charter(settings)
    files = file_store(settings, charter)
    counts = storage.downloads.counts(tool.id for tool in charter.remote_tools)
    rows = []
    for tool in charter.remote_tools:
        stored = stored_tool_file(files, tool)
        rows.append({"id": tool.id, "name": tool.name, "tiers": list(tool.tiers), "url": tool.url,
                     "file": stored.as_json() if stored else None, "downloads": counts[tool.id]})
    click.echo(json.dumps(rows, indent=2))
