"""What the customer's account page and the staff's privacy pages share: a contact's personal-data archive."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response

from portal.web.app import portal_context


def personal_data():
    """The repository that finds a contact's data through keys and indexes (low-level client, made per use)."""
    from portal.adapters.dynamo.personal_data import PersonalDataRepository
    from portal.adapters.dynamo.raw_tables import RawTables

    return PersonalDataRepository(RawTables(portal_context().storage.settings))


def archive_response(company_id: str, contact_id: str) -> Response:
    """The contact's archive as a zip download, never cached.

    :raise NotFound: when the company has no such contact.
    """
    from portal.services.privacy import contact_archive

    archive = contact_archive(personal_data(), portal_context().files, company_id, contact_id, datetime.now(UTC))
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return Response(archive, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="personal-data-{stamp}.zip"',
                             "Cache-Control": "no-store"})
