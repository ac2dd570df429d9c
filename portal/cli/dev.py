"""`portal dev` (what `make run` starts): DynamoDB Local, tables, demo data, scheduler, web app."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import click

from portal.cli.context import fail, settings_from_environment

ROOT = Path(__file__).resolve().parents[2]


@click.command()
def dev():
    """Start the whole portal on this machine; Ctrl-C stops everything it started."""
    from portal.adapters import dynamodb_local
    from portal.adapters.dynamo.storage import DynamoStorage
    from portal.domain.charter import CharterError, load_charter
    from portal.local.scheduler import LocalScheduler, load_events
    from portal.services.seeding import demo_logins, seed_demo_data
    from portal.web.app import create_app

    settings = settings_from_environment()
    if settings.is_production:
        fail("`portal dev` is for a laptop; production runs on Lambda")
    data_dir = settings.data_dir.resolve()
    try:
        charter = load_charter(settings.charter)
    except CharterError as error:
        fail(str(error))
    try:
        database = dynamodb_local.start(data_dir=data_dir / "dynamodb")
    except dynamodb_local.DynamoDBLocalError as error:
        fail(str(error))
    scheduler = mail_server = None
    try:
        settings = replace(settings, dynamodb_endpoint=database.endpoint)
        os.environ["PORTAL_DYNAMODB_ENDPOINT"] = database.endpoint  # for the scheduled functions
        storage = DynamoStorage(settings)
        created = storage.create_missing_tables()
        catalog = json.loads((ROOT / "portal" / "catalog" / "demo.json").read_text())
        seeded = seed_demo_data(storage, charter, catalog, date.today())
        scheduler = LocalScheduler(load_events(ROOT / "zappa_settings.json", "dev"))
        scheduler.start()
        click.echo(f"DynamoDB Local on {database.endpoint}, data in {data_dir / 'dynamodb'}"
                   f" ({len(created)} table(s) created, demo data {'loaded' if seeded.loaded else 'kept'})")
        click.echo(f"Charter: {charter.id}; {len(scheduler.events)} scheduled function(s)")
        app = create_app(settings, charter=charter, storage=storage)
        mail_server = _start_mail_server(app)
        click.echo(f"Portal: http://127.0.0.1:{settings.port}/")
        logins = demo_logins(charter, date.today())
        click.echo(f"Demo logins (customers, at http://127.0.0.1:{settings.port}/login):")
        for who, email, password in logins:
            if not who.startswith("staff"):
                click.echo(f"  {who:<28} {email:<32} {password}")
        click.echo(f"Staff logins (the staff console, at http://127.0.0.1:{settings.port}/staff/login):")
        for who, email, password in logins:
            if who.startswith("staff"):
                click.echo(f"  {who:<28} {email:<32} {password}")
        click.echo("Press Ctrl-C to stop.")
        app.run(host="127.0.0.1", port=settings.port, debug=False, use_reloader=False)
    finally:
        if mail_server:
            mail_server.stop()
        if scheduler:
            scheduler.stop()
        database.stop()
        click.echo("Stopped DynamoDB Local.")


def _start_mail_server(app):
    """The e-mail channel's SMTP server (issue 10): any mail client or smtplib sends to the portal."""
    from portal.local.smtp import start_mail_server

    portal = app.extensions["portal"]
    try:
        server = start_mail_server(portal)
    except (OSError, ValueError, RuntimeError) as error:
        fail(f"the mail server could not start (PORTAL_SMTP_PORT): {error}")
    vendor = portal.charter.vendor
    addresses = [vendor.email, *vendor.line_emails.values()] if vendor else []
    click.echo(f"Mail: smtp://127.0.0.1:{server.port} (to {', '.join(a for a in addresses if a) or 'any address'};"
               f" acknowledgements in {portal.settings.data_dir / 'outbox'})")
    return server
