"""The laptop's e-mail channel on DynamoDB Local: mail sent over SMTP, and `portal mail ingest FILE.eml`."""

from __future__ import annotations

import smtplib
import socket
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner

from portal.adapters.mail import OutboxMailer
from portal.cli.mail import mail
from portal.local.smtp import configured_port, mail_server_for
from portal.web.app import create_app
from tests.builders import make_settings
from tests.unit.mail_intake.mail_builders import MESSAGES, make_desk, sample

pytestmark = pytest.mark.integration


def over_smtp(raw: bytes) -> bytes:
    """What a mail client sends: CRLF line ends (smtplib sends bytes as they are)."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def portal(local_storage, dynamodb_local, tmp_path):
    """A portal on DynamoDB Local with the demo data as of today (the server reads the clock)."""
    desk = make_desk(local_storage, tmp_path, today=date.today())
    settings = make_settings(dynamodb_endpoint=dynamodb_local.endpoint, data_dir=tmp_path,
                             table_prefix=local_storage.settings.table_prefix)
    app = create_app(settings, charter=desk.charter, storage=local_storage,
                     mailer=OutboxMailer(tmp_path / "outbox", "support@exemplar-software.example"))
    return app.extensions["portal"]


def test_a_message_sent_over_smtp_opens_a_request_and_is_acknowledged(portal, local_storage):
    with mail_server_for(portal, port=free_port()) as server, smtplib.SMTP(server.host, server.port) as client:
        refused = client.sendmail("owner@customer1.example", ["cam.support@exemplar-software.example"],
                                  over_smtp(sample("french_plain.eml")))
    assert refused == {}
    [summary] = local_storage.tickets.of_company("demo-1")
    assert summary.number == f"{datetime.now(UTC).year}-000001" and summary.product_id == "alpha-cam"
    [ack] = portal.mailer.messages()
    assert ack["To"] == "owner@customer1.example"
    link = f"http://127.0.0.1:{portal.settings.port}/requests/{summary.number}"
    assert link in ack.get_body(("plain",)).get_content()


def test_a_bounce_over_smtp_with_an_empty_return_path_creates_nothing(portal, local_storage):
    raw = sample("bounce.eml").replace(b"Return-Path: <>\n", b"")
    with mail_server_for(portal, port=free_port()) as server, smtplib.SMTP(server.host, server.port) as client:
        client.sendmail("", ["support@exemplar-software.example"], over_smtp(raw))
    assert local_storage.tickets.of_company("demo-1") == [] and portal.mailer.messages() == []


def test_the_same_message_sent_twice_over_smtp_opens_one_request(portal, local_storage):
    with mail_server_for(portal, port=free_port()) as server, smtplib.SMTP(server.host, server.port) as client:
        for _ in range(2):
            client.sendmail("owner@customer1.example", ["cam.support@exemplar-software.example"],
                            over_smtp(sample("multipart_attachments.eml")))
    assert len(local_storage.tickets.of_company("demo-1")) == 1 and len(portal.mailer.messages()) == 1


def test_portal_mail_ingest_feeds_eml_files_by_hand(local_storage, dynamodb_local, tmp_path, monkeypatch):
    make_desk(local_storage, tmp_path, today=date.today())
    for name, value in {"PORTAL_ENV": "test", "PORTAL_DYNAMODB_ENDPOINT": dynamodb_local.endpoint,
                        "PORTAL_TABLE_PREFIX": local_storage.settings.table_prefix, "PORTAL_CHARTER": "example",
                        "PORTAL_DATA": str(tmp_path), "PORTAL_SECRET_KEY": "s"}.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(mail, ["ingest", str(MESSAGES / "french_plain.eml"), str(MESSAGES / "bounce.eml"),
                                       str(MESSAGES / "french_plain.eml")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("french_plain.eml\topened\t") and lines[1].startswith("bounce.eml\tignored")
    assert lines[2].startswith("french_plain.eml\tduplicate")
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_the_smtp_port_is_2525_unless_set():
    assert configured_port({}) == 2525 and configured_port({"PORTAL_SMTP_PORT": "2600"}) == 2600
    with pytest.raises(ValueError):
        configured_port({"PORTAL_SMTP_PORT": "70000"})


def test_a_second_portal_on_a_taken_port_gets_a_free_one(portal, monkeypatch):
    from portal.local.smtp import start_mail_server

    monkeypatch.delenv("PORTAL_SMTP_PORT", raising=False)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        monkeypatch.setattr("portal.local.smtp.DEFAULT_PORT", taken.getsockname()[1])
        monkeypatch.setattr("portal.local.smtp.configured_port", lambda: taken.getsockname()[1])
        server = start_mail_server(portal)
        try:
            assert server.port != taken.getsockname()[1]
            with smtplib.SMTP(server.host, server.port) as client:
                assert client.noop()[0] == 250
        finally:
            server.stop()


def test_a_reply_sent_twice_over_smtp_joins_its_request_once(portal, local_storage):
    """Rule P9 on DynamoDB Local: the update and its Message-ID marker are one transaction."""
    with mail_server_for(portal, port=free_port()) as server, smtplib.SMTP(server.host, server.port) as client:
        client.sendmail("owner@customer1.example", ["cam.support@exemplar-software.example"],
                        over_smtp(sample("french_plain.eml")))
        [summary] = local_storage.tickets.of_company("demo-1")
        reply = over_smtp(sample("gmail_reply_with_log.eml", **{"2026-000001": summary.number}))
        for _ in range(2):
            client.sendmail("owner@customer1.example", ["support@exemplar-software.example"], reply)
    _ticket, events = local_storage.tickets.ticket_with_history(summary.number)
    assert [event.kind for event in events].count("customer_replied") == 1
    assert [event.kind for event in events].count("files_received") == 1


def test_an_unknown_sender_over_smtp_is_answered_once_and_files_nothing(portal, local_storage):
    with mail_server_for(portal, port=free_port()) as server, smtplib.SMTP(server.host, server.port) as client:
        for _ in range(2):
            client.sendmail("jan.peeters@onbekend.example", ["support@exemplar-software.example"],
                            over_smtp(sample("dutch_unknown.eml")))
    [answer] = portal.mailer.messages()
    assert answer["To"] == "jan.peeters@onbekend.example" and answer["Content-Language"] == "nl"
