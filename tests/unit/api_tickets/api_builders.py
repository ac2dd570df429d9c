"""Builders for the ticket API tests: tokens, request bodies, and a request closed some time ago."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from portal.services.api_tokens import create_token
from tests.builders import make_contact

OWNER = ("demo-1-owner", "demo-1")  # system owner of a premium customer
DEPUTY = ("demo-1-deputy", "demo-1")  # same company, not system owner
OTHER_COMPANY = ("demo-3-owner", "demo-3")


def token_headers(app, who=OWNER, language: str = "en", **headers) -> dict:
    """Authorization for a demo contact, plus the explanation's language."""
    contact_id, company_id = who
    clear, _ = create_token(app.extensions["portal"].storage.api_tokens,
                            make_contact(contact_id=contact_id, company_id=company_id), "tests",
                            datetime.now(UTC) - timedelta(minutes=1))
    return {"Authorization": f"Bearer {clear}", "Accept-Language": language, **headers}


def ticket_body(**overrides) -> dict:
    """A bug report the example charter accepts for a premium customer."""
    body = {"category": "bug", "product": "alpha-cam", "version": "2026.1", "severity": 2,
            "subject": "Post-processor crash", "topic": None,
            "facts": {"description": "It crashes on export.", "steps": "Open, export, crash."}, "attachments": []}
    body.update(overrides)
    return body


def file_ticket(client, headers, **overrides) -> str:
    """File a request through the API; its number."""
    response = client.post("/api/v1/tickets", json=ticket_body(**overrides), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["number"]


def close_request(app, number: str, closed_at: datetime | None = None) -> None:
    """Support closes the request (as the closure sweep or a technician would), at `closed_at`."""
    from portal.domain.history import EventKind, TicketEvent

    tickets = app.extensions["portal"].storage.tickets
    ticket, _events = tickets.ticket_with_history(number)
    closed_at = closed_at or datetime.now(UTC)
    tickets.apply(replace(ticket, status="closed", status_since=closed_at),
                  [TicketEvent(EventKind.CLOSED, closed_at, "staff-technician", True, {"reason": "solved"})], None)


def ticket_api_app(storage, tmp_path, charter_id: str = "example"):
    """The demo portal with its file store in a folder of the test's own."""
    from portal.adapters.files import LocalFileStore
    from tests.builders import seeded_app

    app = seeded_app(storage, tmp_path, charter_id)
    vars(app.extensions["portal"])["files"] = LocalFileStore(tmp_path / "files", "test-secret")
    return app


def accepted_upload(app, who=OWNER, name: str = "crash.log", content: bytes = b"export failed at line 12\n") -> str:
    """A file the contact uploaded and the portal accepted by its content; its upload id."""
    from types import SimpleNamespace

    from portal.services.attachments import accept_upload, start_upload

    portal = app.extensions["portal"]
    contact = SimpleNamespace(contact_id=who[0], company_id=who[1])
    started = start_upload(portal.files, contact, name, len(content), portal.charter.attachments, datetime.now(UTC))
    portal.files.put(started.key, content)
    accept_upload(portal.files, contact, started.upload_id, portal.charter.attachments)
    return started.upload_id
