"""What the console writes into the append-only audit trail (issue 11): who did what to whose personal data, naming
a contact by a keyed digest only, so that the trail holds no identifier that outlives an erasure."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from flask import g

from portal.web.app import portal_context


def contact_ref(contact_id: str, company_id: str) -> str:
    """How the audit trail names a contact: a keyed digest, so the trail holds no identifier that outlives an
    erasure (the same contact always gets the same reference while the portal's secret is unchanged)."""
    secret = portal_context().settings.secret_key.encode()
    digest = hmac.new(secret, f"{company_id}/{contact_id}".encode(), hashlib.sha256).hexdigest()
    return f"contact:{digest[:16]}"


def staff_ref(staff_id: str) -> str:
    """How the audit trail names a staff member (staff are never erased: their id is kept)."""
    return f"staff:{staff_id}"


def record(action: str, subject: str, company_id: str = "", details: dict | None = None) -> None:
    """One entry in the trail, by the signed-in staff member, now."""
    portal_context().storage.audit.record(g.staff.staff_id, action, subject, datetime.now(UTC), company_id,
                                          details or {})


def record_contacts_shown(subject: str, company_id: str, contact_ids) -> None:
    """A page showing contacts' personal data (name, address, phone) was viewed: one entry for the page, naming
    the references of the contacts it showed (none shown, nothing recorded)."""
    refs = sorted({contact_ref(contact_id, company_id) for contact_id in contact_ids})
    if refs:
        record("contacts_shown", subject, company_id, {"contacts": " ".join(refs), "count": len(refs)})
