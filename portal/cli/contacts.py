"""`portal contacts ...`: support staff invite a customer's contact (the staff console adds a page later)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from portal.cli.context import fail, storage_from_environment


@click.group()
def contacts():
    """Customer contacts."""


@contacts.command("invite")
@click.option("--company", "company_id", required=True, help="The contact's company id.")
@click.option("--contact", "contact_id", required=True, help="The contact's id.")
@click.option("--base-url", default=None, help="The portal's public address (default: http://127.0.0.1:PORT).")
def invite(company_id, contact_id, base_url):
    """E-mail a contact a single-use link to choose a password, valid 72 hours."""
    from portal.domain.errors import NotFound
    from portal.services.auth import invite_contact
    from portal.services.links import LinkSigner
    from portal.web.app import build_mailer

    storage, settings = storage_from_environment()
    base = (base_url or f"http://127.0.0.1:{settings.port}").rstrip("/")
    def link_for(token: str) -> str:
        return f"{base}/password/set/{token}"

    try:
        contact = invite_contact(storage.accounts, build_mailer(settings), LinkSigner(settings.secret_key),
                                 company_id, contact_id, datetime.now(UTC), link_for)
    except NotFound:
        fail(f"no contact {contact_id!r} in company {company_id!r}")
    click.echo(f"invitation sent to {contact.email}")
