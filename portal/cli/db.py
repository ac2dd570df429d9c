"""`portal db ...`: create the tables, load the demo data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from portal.cli.context import fail, storage_from_environment

DEMO_CATALOG = Path(__file__).resolve().parents[1] / "catalog" / "demo.json"


@click.group()
def db():
    """Database tables and demo data."""


@db.command("create-tables")
def create_tables():
    """Create the tables that are missing (idempotent)."""
    storage, _settings = storage_from_environment()
    created = storage.create_missing_tables()
    click.echo(f"created {len(created)} table(s)" + (f": {', '.join(created)}" if created else ""))


@db.command("seed-demo")
def seed_demo():
    """Load the demo data, only into empty tables (never in production)."""
    from portal.services.seeding import seed_demo_data

    storage, settings = storage_from_environment()
    if settings.is_production:
        fail("demo data is never loaded in production")
    result = seed_demo_data(storage, _charter(settings), json.loads(DEMO_CATALOG.read_text()), date.today())
    if not result.loaded:
        click.echo("demo data already present: nothing loaded")
        return
    click.echo(f"demo data loaded: {result.counts}")
    for who, email, password in result.logins:
        click.echo(f"  {who:<28} {email:<32} {password}")


def _charter(settings):
    from portal.domain.charter import CharterError, load_charter

    try:
        return load_charter(settings.charter)
    except CharterError as error:
        fail(str(error))
