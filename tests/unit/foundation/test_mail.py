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
