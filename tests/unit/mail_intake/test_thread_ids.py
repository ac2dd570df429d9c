"""Mails about a request carry a Message-ID that names it, so that a reply by e-mail finds the request (P9)."""

from portal.adapters.mail import OutboxMailer
from portal.domain.inbound_mail import InboundMessage, referenced_ticket
from portal.domain.mail import OutgoingMail


def inbound(**overrides):
    values = dict(message_id="<r1@client.example>", sender="ann@acme.example", sender_name="Ann", return_path=None,
                  recipients=("support@vendor.example",), subject="Re: question", text="Thanks")
    values.update(overrides)
    return InboundMessage(**values)


def test_a_mail_about_a_request_has_a_message_id_a_reply_leads_back_from(tmp_path):
    mailer = OutboxMailer(tmp_path / "outbox", "Support <support@vendor.example>")
    message_id = mailer.send(OutgoingMail(to="ann@acme.example", subject="Request received", text="Hello",
                                          headers={"X-Portal-Ticket": "2026-000042"}))
    assert message_id.startswith("<ticket.2026-000042.") and message_id.endswith("@vendor.example>")
    assert referenced_ticket(inbound(in_reply_to=(message_id,))) == "2026-000042"
    assert referenced_ticket(inbound(references=("<x@y.example>", message_id))) == "2026-000042"


def test_a_mail_about_nothing_in_particular_keeps_a_plain_message_id(tmp_path):
    mailer = OutboxMailer(tmp_path / "outbox", "support@vendor.example")
    message_id = mailer.send(OutgoingMail(to="ann@acme.example", subject="Set your password", text="Hello"))
    assert not message_id.startswith("<ticket.")
    assert referenced_ticket(inbound(in_reply_to=(message_id,))) is None


def test_the_request_number_in_the_subject_is_found_when_the_headers_were_lost():
    assert referenced_ticket(inbound(subject="RE: [2026-000123] Request 2026-000123 received")) == "2026-000123"
    assert referenced_ticket(inbound(subject="Invoice 12026-0001234")) is None
