"""Builders for the e-mail tests: the sample messages of messages/, read as bytes."""

from __future__ import annotations

from pathlib import Path

MESSAGES = Path(__file__).resolve().parent / "messages"


def sample(name: str, **replace: str) -> bytes:
    """A sample message's bytes; `replace` swaps texts in it (e.g. a request number)."""
    raw = (MESSAGES / name).read_bytes()
    for old, new in replace.items():
        raw = raw.replace(old.encode(), new.encode())
    return raw


PORTAL_URL = "https://portal.example"


def make_desk(storage, tmp_path, charter_id: str = "example", today=None):
    """A mail desk on `storage` holding the demo data of `charter_id` as of `today`, files and outbox in tmp."""
    import json
    from datetime import date

    from portal.adapters.files import LocalFileStore
    from portal.adapters.mail import OutboxMailer
    from portal.domain.calendar import calendar_for
    from portal.domain.charter import load_charter
    from portal.services.mail_intake import MailDesk
    from portal.services.seeding import seed_demo_data

    charter = load_charter(charter_id)
    catalog = json.loads((Path(__file__).resolve().parents[3] / "portal" / "catalog" / "demo.json").read_text())
    seed_demo_data(storage, charter, catalog, today or date(2026, 11, 23), hash_password=lambda p: f"h:{p}")
    return MailDesk(charter, calendar_for(charter), storage.accounts, storage.catalog, storage.tickets,
                    LocalFileStore(tmp_path / "files", "test-secret"),
                    OutboxMailer(tmp_path / "outbox", "Exemplar Support <support@exemplar-software.example>"),
                    PORTAL_URL)
