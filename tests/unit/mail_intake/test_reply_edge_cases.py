"""Replies at the edges: nothing but a refused file, more files than a message may bring, a request closed while
the reply is being added."""

import json
from dataclasses import replace
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest

from portal.domain.errors import ConcurrentUpdate
from portal.domain.history import EventKind, TicketEvent
from portal.services.mail_intake import receive_mail
from tests.unit.mail_intake.mail_builders import make_desk, sample

MONDAY_10 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00 in Paris
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NUMBER = "2026-000001"  # the request french_plain.eml opens


@pytest.fixture
def desk(moto_storage, tmp_path):
    desk = make_desk(moto_storage, tmp_path)
    receive_mail(desk, sample("french_plain.eml"), MONDAY_10)
    return desk


def reply(message_id: str, text: str = "", files=()) -> bytes:
    """A reply of the request's contact to its acknowledgement, with `files` as (name, type, bytes)."""
    message = EmailMessage()
    message["From"] = "Owner 1 <owner@customer1.example>"
    message["To"] = "support@exemplar-software.example"
    message["Subject"] = f"Re: [{NUMBER}] Demande reçue"
    message["Message-ID"] = message_id
    message["In-Reply-To"] = f"<ticket.{NUMBER}.9f1c2a7b@exemplar-software.example>"
    message.set_content(text)
    for name, content_type, data in files:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def history(desk, number=NUMBER):
    return desk.tickets.ticket_with_history(number)


def mail_texts(desk):
    return [mail.get_body(("plain",)).get_content() for mail in desk.mailer.messages()]


def test_a_reply_bringing_only_a_refused_file_tells_the_customer_why_notes_it_for_staff_and_counts_once(desk):
    ticket, _events = history(desk)
    asked = TicketEvent(EventKind.WAITING_CUSTOMER, MONDAY_10, "staff-technician", True, {"rule": "S12"})
    desk.tickets.apply(replace(ticket, status="waiting_customer"), [asked], None)
    before = len(history(desk)[1])
    raw = reply("<only.exe@customer1.example>", files=[("fix.exe", "application/octet-stream", b"MZ\x90")])

    first = receive_mail(desk, raw, MONDAY_10.replace(hour=11))
    again = receive_mail(desk, raw, MONDAY_10.replace(hour=12))

    assert (first.action, first.reason, first.number) == ("answered", "files_refused", NUMBER)
    assert again.action == "duplicate"
    ticket, events = history(desk)
    assert ticket.status == "waiting_customer"  # nothing came that the technician waited for
    [note] = events[before:]  # the second delivery added nothing
    assert (note.kind, note.actor, note.public) == (EventKind.MESSAGE, "mail-intake", False)
    assert "fix.exe" in note.data["text"]
    _ack, told = mail_texts(desk)  # one mail for both deliveries
    assert "Rien n'a été ajouté à la demande 2026-000001" in told
    assert "fix.exe n'est pas un type de fichier accepté" in told
    assert "Votre message a été ajouté" not in told


def test_a_reply_with_more_than_twenty_files_keeps_twenty_notes_the_others_and_tells_the_customer(desk):
    files = [(f"shot{n:02}.png", "image/png", PNG) for n in range(22)]
    before = len(history(desk)[1])
    outcome = receive_mail(desk, reply("<many@customer1.example>", "Voici les captures.", files),
                           MONDAY_10.replace(hour=11))

    assert (outcome.action, outcome.number) == ("added", NUMBER)
    events = history(desk)[1][before:]
    assert [e.kind for e in events] == [EventKind.CUSTOMER_REPLIED, EventKind.FILES_RECEIVED, EventKind.MESSAGE]
    [received] = [e for e in events if e.kind == EventKind.FILES_RECEIVED]
    assert len(json.loads(received.data["files"])) == 20
    [note] = [e for e in events if e.kind == EventKind.MESSAGE and e.actor == "mail-intake"]
    assert not note.public and "2 pièces jointes" in note.data["text"] and "20" in note.data["text"]
    _ack, told = mail_texts(desk)
    assert "Votre message a été ajouté à la demande 2026-000001." in told
    assert "Seules les 20 premières pièces jointes de votre message ont été conservées" in told
    assert "(2)" in told


def test_a_new_request_with_more_than_twenty_files_tells_the_customer_the_others_were_left_out(moto_storage,
                                                                                                 tmp_path):
    desk = make_desk(moto_storage, tmp_path)
    raw = reply("<new-many@customer1.example>", "Export crash, severity 3", [(f"s{n:02}.png", "image/png", PNG)
                                                                              for n in range(21)])
    raw = raw.replace(b"In-Reply-To:", b"X-Was-In-Reply-To:").replace(f"[{NUMBER}] ".encode(), b"")
    outcome = receive_mail(desk, raw, MONDAY_10)

    assert outcome.action == "opened"
    [ack] = mail_texts(desk)
    assert "Seules les 20 premières pièces jointes de votre message ont été conservées" in ack and "(1)" in ack


def test_a_reply_to_a_request_closed_while_it_was_being_added_opens_a_new_request_that_follows_it(desk,
                                                                                                 monkeypatch):
    repository = type(desk.tickets)
    real_apply = repository.apply
    closed_meanwhile = []

    def apply(self, updated, events, queue_key, tasks=(), idempotency=None):
        if idempotency and not closed_meanwhile:  # a technician closes the request between load and write
            closed_meanwhile.append(updated.number)
            ticket, _events = self.ticket_with_history(updated.number)
            real_apply(self, replace(ticket, status="closed"),
                       [TicketEvent(EventKind.CLOSED, MONDAY_10, "staff-technician", True, {"reason": "S14"})], None)
            raise ConcurrentUpdate(updated.number)
        return real_apply(self, updated, events, queue_key, tasks, idempotency)

    monkeypatch.setattr(repository, "apply", apply)
    raw = reply("<race@customer1.example>", "Plus d'infos : le crash arrive aussi à l'ouverture.")

    outcome = receive_mail(desk, raw, MONDAY_10)
    again = receive_mail(desk, raw, MONDAY_10)

    assert closed_meanwhile == [NUMBER]
    assert (outcome.action, outcome.number, outcome.notes[0]) == ("opened", "2026-000002", "closed")
    assert (again.action, again.number) == ("duplicate", "2026-000002")
    closed, events = history(desk)
    assert closed.status == "closed" and not [e for e in events if e.kind == EventKind.CUSTOMER_REPLIED]
    _ticket, events = history(desk, "2026-000002")
    assert "Plus d'infos" in events[0].data["description"]
    assert NUMBER in events[-1].data["text"] and not events[-1].public
    assert len(desk.mailer.messages()) == 2  # the first acknowledgement, then the new request's


def close(desk):
    ticket, _events = history(desk)
    desk.tickets.apply(replace(ticket, status="closed"),
                       [TicketEvent(EventKind.CLOSED, MONDAY_10, "staff-technician", True, {"reason": "S14"})], None)


def test_a_reply_to_a_closed_request_bringing_only_a_refused_file_opens_no_empty_request_and_says_why_once(desk):
    close(desk)
    raw = reply("<closed-exe@customer1.example>", files=[("fix.exe", "application/octet-stream", b"MZ\x90")])

    first = receive_mail(desk, raw, MONDAY_10.replace(hour=11))
    again = receive_mail(desk, raw, MONDAY_10.replace(hour=12))

    assert (first.action, first.reason, first.number) == ("answered", "files_refused", NUMBER)
    assert again.action == "duplicate"
    assert history(desk, "2026-000002") is None  # P9: nothing to follow, no empty request
    _ack, told = mail_texts(desk)
    assert "Rien n'a été ajouté à la demande 2026-000001" in told and "fix.exe" in told


def test_an_empty_reply_to_a_closed_request_is_ignored(desk):
    close(desk)

    outcome = receive_mail(desk, reply("<closed-empty@customer1.example>"), MONDAY_10.replace(hour=11))

    assert (outcome.action, outcome.reason) == ("ignored", "empty")
    assert history(desk, "2026-000002") is None
    assert len(desk.mailer.messages()) == 1  # only the first acknowledgement


def test_a_reply_racing_a_closure_with_only_a_refused_file_opens_no_empty_request(desk, monkeypatch):
    repository = type(desk.tickets)
    real_apply = repository.apply

    def apply(self, updated, events, queue_key, tasks=(), idempotency=None):
        if idempotency:  # a technician closes the request between load and write
            close(desk)
            raise ConcurrentUpdate(updated.number)
        return real_apply(self, updated, events, queue_key, tasks, idempotency)

    monkeypatch.setattr(repository, "apply", apply)
    raw = reply("<race-exe@customer1.example>", files=[("fix.exe", "application/octet-stream", b"MZ\x90")])

    outcome = receive_mail(desk, raw, MONDAY_10)

    assert (outcome.action, outcome.reason) == ("answered", "files_refused")
    assert history(desk, "2026-000002") is None
