"""E-mails at the customer's own steps, in their language: saying it is solved (S14), reopening, and files that
reopen a request closed while awaiting them (S13); adding a plain message sends nothing more."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from portal.domain.history import EventKind, TicketEvent
from portal.domain.workflow import AWAITING_FILES
from tests.builders import seeded_app, signed_in_client
from tests.unit.intake.test_request_files import accepted_upload, filed_number
from tests.unit.intake.test_request_pages import PREMIUM, file_request


@pytest.fixture
def app(moto_storage, tmp_path):
    return seeded_app(moto_storage, tmp_path, data_dir=tmp_path)


def subjects(app):
    return [mail["Subject"] for mail in app.extensions["portal"].mailer.messages()]


def test_saying_it_is_solved_and_reopening_are_each_confirmed_once_by_mail(app):
    client = signed_in_client(app, PREMIUM)
    file_request(client)
    number = filed_number(app)
    client.post(f"/requests/{number}/messages", data={"text": "More details."})
    assert len(subjects(app)) == 1  # the acknowledgement only
    client.post(f"/requests/{number}/solved")
    client.post(f"/requests/{number}/reopen")
    later = subjects(app)[1:]
    assert len(later) == 2 and all(subject.startswith(f"[{number}]") for subject in later)
    body = app.extensions["portal"].mailer.messages()[1].get_body(("plain",)).get_content()
    assert f"/requests/{number}" in body and "Bonjour" in body  # demo-1's owner reads French


def test_files_that_reopen_a_request_awaiting_them_are_confirmed_by_mail(app):
    """Rule S13."""
    client = signed_in_client(app, PREMIUM)
    file_request(client)
    number = filed_number(app)
    tickets = app.extensions["portal"].storage.tickets
    ticket, _ = tickets.ticket_with_history(number)
    now = datetime.now(UTC)
    tickets.apply(replace(ticket, status=AWAITING_FILES, status_since=now),
                  [TicketEvent(EventKind.AWAITING_FILES, now, "tech-1", True, {})], None)
    upload_id = accepted_upload(client, "trace.txt", b"trace\n")
    client.post(f"/requests/{number}/messages", data={"text": "", "attachments": [upload_id]})
    assert tickets.ticket_with_history(number)[0].is_open
    assert len(subjects(app)) == 2 and subjects(app)[1].startswith(f"[{number}]")
