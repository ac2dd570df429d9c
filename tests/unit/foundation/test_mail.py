"""Outgoing mail: the outbox folder on a laptop, SES in production (moto)."""

import boto3
import pytest
from moto import mock_aws

from portal.adapters.mail import OutboxMailer, SesMailer
from portal.domain.errors import BackendUnavailable
from portal.domain.mail import OutgoingMail


def make_mail(**overrides) -> OutgoingMail:
    values = dict(to="owner@customer.example", subject="Votre demande 2026-000123", text="Bonjour,\n",
                  html="<p>Bonjour,</p>", language="fr")
    values.update(overrides)
    return OutgoingMail(**values)


def test_the_outbox_keeps_each_message_as_an_eml_file(tmp_path):
    mailer = OutboxMailer(tmp_path / "outbox", "Support <support@vendor.example>")
    message_id = mailer.send(make_mail(headers={"In-Reply-To": "<abc@vendor.example>"}))
    [message] = mailer.messages()
    assert message["Message-ID"] == message_id and message_id.endswith("@vendor.example>")
    assert message["Subject"] == "Votre demande 2026-000123"
    assert message["In-Reply-To"] == "<abc@vendor.example>"
    assert message["Content-Language"] == "fr"
    assert message.get_body(("plain",)).get_content().strip() == "Bonjour,"
    assert "<p>Bonjour,</p>" in message.get_body(("html",)).get_content()


def test_ses_sends_the_raw_message_from_the_configured_sender(fake_aws):
    with mock_aws():
        client = boto3.client("ses", region_name="eu-west-3")
        client.verify_email_identity(EmailAddress="support@vendor.example")
        SesMailer(lambda: client, "support@vendor.example").send(make_mail())
        assert client.get_send_quota()["SentLast24Hours"] >= 1


def test_ses_refusing_a_message_is_reported_as_mail_unavailable(fake_aws):
    with mock_aws():
        client = boto3.client("ses", region_name="eu-west-3")  # sender never verified: SES refuses
        with pytest.raises(BackendUnavailable) as raised:
            SesMailer(lambda: client, "support@vendor.example").send(make_mail())
        assert raised.value.backend == "mail"


def ses_answering(code: str, message: str):
    """An SES client whose next send_raw_email is refused with `code` and `message` (botocore's Stubber)."""
    from botocore.stub import Stubber

    client = boto3.client("ses", region_name="eu-west-3", aws_access_key_id="test", aws_secret_access_key="test")
    stubber = Stubber(client)
    stubber.add_client_error("send_raw_email", service_error_code=code, service_message=message, http_status_code=400)
    stubber.activate()
    return client


@pytest.mark.parametrize(("code", "message"), [
    ("InvalidParameterValue", "Illegal address"),
    ("InvalidParameterValue", "Missing final '@domain'"),
    ("MessageRejected", "Address blacklisted."),
])
def test_ses_rejecting_this_very_mail_is_reported_as_rejected_for_good(code, message):
    from portal.domain.mail import MailRejected

    with pytest.raises(MailRejected) as raised:
        SesMailer(lambda: ses_answering(code, message), "support@vendor.example").send(make_mail())
    assert raised.value.backend == "mail" and code in str(raised.value)


@pytest.mark.parametrize(("code", "message"), [
    ("MessageRejected", "Email address is not verified. The following identities failed the check in region "
                        "EU-WEST-3: support@vendor.example"),
    ("Throttling", "Maximum sending rate exceeded."),
    ("Throttling", "Daily message quota exceeded."),
    ("AccountSendingPausedException", "Sending is paused for this account."),
    ("ServiceUnavailable", "Service unavailable"),
])
def test_ses_refusing_for_a_while_is_reported_as_unavailable_not_as_rejected(code, message):
    from portal.domain.mail import MailRejected

    with pytest.raises(BackendUnavailable) as raised:
        SesMailer(lambda: ses_answering(code, message), "support@vendor.example").send(make_mail())
    assert not isinstance(raised.value, MailRejected)


def test_a_message_is_the_same_with_header_classes_made_once(monkeypatch):
    import email.parser
    import email.policy
    import uuid

    from portal.adapters import mail as mail_adapter
    from portal.adapters.mail import OUTGOING_POLICY, build_message

    mail = OutgoingMail(to="Zoë Dupré <zoe@client.example>", subject="[2026-000123] Demande reçue — ça marche",
                        text="Bonjour Zoë,\nVotre demande est reçue.\n", language="fr",
                        headers={"X-Portal-Ticket": "2026-000123"})
    registry = OUTGOING_POLICY.header_factory
    assert registry["Subject"] is registry["subject"], "a header's class is made once"
    for _ in range(2):
        raw = build_message(mail, "Assistance Société <support@portal.example>", "portal.example").as_bytes()
        read = email.parser.BytesParser(policy=email.policy.default).parsebytes(raw)
        assert str(read["Subject"]) == mail.subject and str(read["To"]) == mail.to
        assert str(read["From"]) == "Assistance Société <support@portal.example>"
        assert "<ticket.2026-000123." in read["Message-ID"]
        assert read.get_content().replace("\r\n", "\n") == mail.text and read["Content-Language"] == "fr"
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=7))
    monkeypatch.setattr(email.utils, "formatdate", lambda **_: "Thu, 03 Dec 2026 10:00:00 -0000")
    ours = build_message(mail, "Assistance Société <support@portal.example>", "portal.example").as_bytes()
    monkeypatch.setattr(mail_adapter, "OUTGOING_POLICY", email.policy.SMTP)
    standard = build_message(mail, "Assistance Société <support@portal.example>", "portal.example").as_bytes()
    assert ours == standard
