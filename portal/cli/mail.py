"""`portal mail ingest FILE.eml ...`: feed messages to the e-mail channel by hand, as if they had arrived."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from portal.cli.context import fail, storage_from_environment


@click.group()
def mail():
    """The e-mail channel."""


@mail.command("ingest")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "recipients", multiple=True,
              help="The support address it was sent to (the envelope recipient); repeat for several.")
@click.option("--base-url", default=None, help="The portal's public address (default: http://127.0.0.1:PORT).")
def ingest(files, recipients, base_url):
    """Each message goes through the same service as mail SES or the laptop's SMTP server receives: a request
    opened or answered, a polite answer, or nothing for an auto-reply, a bounce or a repeat."""
    from portal.domain.calendar import calendar_for
    from portal.domain.charter import CharterError, load_charter
    from portal.services.mail_intake import MailDesk, receive_mail
    from portal.web.app import build_file_store, build_mailer

    storage, settings = storage_from_environment()
    try:
        charter = load_charter(settings.charter)
    except CharterError as error:
        fail(str(error))
    base = (base_url or f"http://127.0.0.1:{settings.port}").rstrip("/")
    desk = MailDesk(charter, calendar_for(charter), storage.accounts, storage.catalog, storage.tickets,
                    build_file_store(settings), build_mailer(settings), base)
    for path in files:
        outcome = receive_mail(desk, path.read_bytes(), datetime.now(UTC), recipients)
        click.echo("\t".join(part for part in (path.name, outcome.action, outcome.number or "", outcome.reason)
                             if part))
