"""A mail the mail service refuses after the request was saved is kept and sent again, then given up: nothing the
portal promised to send is lost to an SES outage."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from portal.adapters.mail import OutboxMailer
from portal.domain.errors import BackendUnavailable
from portal.domain.mail import MAIL_RETRY_DELAYS, MailRejected, OutgoingMail, next_mail_attempt
from portal.services.mail_retry import KeepingMailer, retry_kept_mail
from portal.services.notifications import send_quietly
from portal.services.sweeps.run import SweepContext
from tests.builders import seeded_app, signed_in_client
from tests.call_counter import count_dynamodb_calls

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
FORM = {"category": "bug", "product": "alpha-cam", "version": "2026.1", "severity": "2", "topic": "",
        "subject": "Post-processor crash", "fact_description": "It crashes on export.",
        "fact_steps": "Open, export, crash.", "idempotency_key": "ses-down"}


class FlakyMailService:
    """The outbox, or an SES that refuses while `down` and rejects for good the addresses in `rejects`."""

    def __init__(self, folder):
        self.outbox = OutboxMailer(folder, "support@vendor.example")
        self.down = False
        self.rejects: set[str] = set()
        self.sender = self.outbox.sender

    def send(self, mail):
        if self.down:
            raise BackendUnavailable("mail", "Throttling")
        if mail.to in self.rejects:
            raise MailRejected("mail", "InvalidParameterValue")
        return self.outbox.send(mail)

    def forget(self, texts):
        return self.outbox.forget(texts)


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


class Recorded(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)

    @property
    def text(self) -> str:
        return "\n".join(f"{record.getMessage()} {record.__dict__}" for record in self.records)


@pytest.fixture
def caplog():
    """What the portal's mail logger wrote (the portal's loggers do not propagate to pytest's)."""
    logger, recorded = logging.getLogger("portal.mail"), Recorded()
    logger.addHandler(recorded)
    yield recorded
    logger.removeHandler(recorded)


@pytest.fixture
def service(tmp_path):
    return FlakyMailService(tmp_path / "outbox")


@pytest.fixture
def mailer(moto_storage, service):
    return KeepingMailer(service, moto_storage.pending_mail, clock=Clock(T0))


def context_of(mailer):
    return SweepContext(charter=None, calendar=None, tickets=None, accounts=None, staff=None, mailer=mailer)


def mail(to="owner@customer1.example", subject="[2026-000001] Request received"):
    return OutgoingMail(to=to, subject=subject, text="We have received your request.\n", language="en",
                        headers={"X-Portal-Ticket": "2026-000001"})


def test_a_refused_mail_is_tried_again_after_5_and_15_minutes_then_1_3_6_and_12_hours_then_given_up():
    moments, now = [], T0
    for failed in range(1, 8):
        later = next_mail_attempt(failed, now)
        if later is None:
            break
        moments.append(later - now)
        now = later
    assert moments == list(MAIL_RETRY_DELAYS)
    assert [delay.total_seconds() / 60 for delay in moments] == [5, 15, 60, 180, 360, 720]
    assert next_mail_attempt(len(MAIL_RETRY_DELAYS) + 1, now) is None and next_mail_attempt(0, now) is None


def test_a_request_filed_while_the_mail_service_refuses_is_acknowledged_and_its_mail_sent_when_it_is_back(
        moto_storage, tmp_path, service, caplog):
    app = seeded_app(moto_storage, tmp_path)
    clock = Clock(T0)
    mailer = app.extensions["portal"].mailer = KeepingMailer(service, moto_storage.pending_mail, clock=clock)
    service.down = True
    response = signed_in_client(app, "owner@customer1.example").post("/requests/new?lang=en", data=FORM)
    assert response.status_code == 302 and "/requests/2026-" in response.headers["Location"]
    assert "mail kept, sent again later" in caplog.text
    assert service.outbox.messages() == []
    [kept] = moto_storage.pending_mail.all_kept()
    assert kept.mail.to == "owner@customer1.example" and kept.next_try == T0 + timedelta(minutes=5)

    service.down = False
    assert retry_kept_mail(context_of(mailer), T0 + timedelta(minutes=4)).mails == 0  # not yet
    run = retry_kept_mail(context_of(mailer), T0 + timedelta(minutes=5))
    assert run.mails == 1 and run.counts() == {"mail-retry": 1}
    [sent] = service.outbox.messages()
    number = response.headers["Location"].split("/requests/")[1].split("?")[0]
    assert sent["To"] == "owner@customer1.example" and sent["Subject"].startswith(f"[{number}]")
    assert number in sent["Message-ID"]  # it names the request as the first try's would have (rule P9)
    assert moto_storage.pending_mail.all_kept() == []
    assert retry_kept_mail(context_of(mailer), T0 + timedelta(hours=1)).mails == 0  # sent once only


def test_a_mail_refused_again_waits_longer_and_after_its_last_try_is_given_up_and_logged_without_its_address(
        moto_storage, service, mailer, caplog):
    service.down = True
    assert send_quietly(mailer, mail()) is False
    now = T0
    for failed in range(2, len(MAIL_RETRY_DELAYS) + 2):
        [kept] = moto_storage.pending_mail.all_kept()
        now = kept.next_try
        run = retry_kept_mail(context_of(mailer), now)
        if failed <= len(MAIL_RETRY_DELAYS):
            assert run.skipped and moto_storage.pending_mail.all_kept()[0].failed_tries == failed
    assert run.fired == [{"number": "2026-000001", "rule": "mail-retry", "action": "given_up"}]
    assert moto_storage.pending_mail.all_kept() == []
    assert "mail given up" in caplog.text and "owner@customer1.example" not in caplog.text
    assert now - T0 == sum(MAIL_RETRY_DELAYS, timedelta())


def test_a_mail_rejected_for_good_is_not_kept_but_given_up_at_once_and_logged_without_its_address(
        moto_storage, service, mailer, caplog):
    service.rejects.add("owner@customer1.example")
    assert send_quietly(mailer, mail()) is False
    assert moto_storage.pending_mail.all_kept() == [] and service.outbox.messages() == []
    assert "mail given up" in caplog.text and "InvalidParameterValue" in caplog.text
    assert "owner@customer1.example" not in caplog.text


def test_a_kept_mail_rejected_for_good_on_its_retry_is_given_up_and_the_next_ones_still_go(
        moto_storage, service, mailer, caplog):
    service.down = True
    send_quietly(mailer, mail(to="typo@customer1.example"))
    send_quietly(mailer, mail(to="deputy@customer1.example"))
    service.down = False
    service.rejects.add("typo@customer1.example")
    run = retry_kept_mail(context_of(mailer), T0 + timedelta(minutes=5))
    assert sorted(run.fired, key=lambda fired: fired["action"]) == [  # both kept at T0: in either order
        {"number": "2026-000001", "rule": "mail-retry", "action": "given_up", "reason": "rejected"},
        {"number": "2026-000001", "rule": "mail-retry", "action": "sent"}]
    assert [sent["To"] for sent in service.outbox.messages()] == ["deputy@customer1.example"]
    assert moto_storage.pending_mail.all_kept() == []
    assert "mail given up" in caplog.text and "typo@customer1.example" not in caplog.text


def test_when_the_database_cannot_keep_it_either_the_refusal_is_logged_and_nothing_else_breaks(service, caplog):
    class DatabaseDown:
        def keep(self, *args):
            raise BackendUnavailable("database", "timeout")

    service.down = True
    assert send_quietly(KeepingMailer(service, DatabaseDown(), clock=Clock(T0)), mail()) is False
    assert "mail not sent" in caplog.text


def test_an_erasure_deletes_the_kept_mails_that_name_the_person_and_keeps_the_others(moto_storage, service, mailer):
    service.down = True
    from portal.adapters.dynamo.personal_data import PersonalDataRepository
    from portal.adapters.dynamo.raw_tables import RawTables

    send_quietly(mailer, mail())
    send_quietly(mailer, mail(to="deputy@customer1.example"))
    erasure = PersonalDataRepository(RawTables(moto_storage.settings))
    assert erasure.delete_mails_naming(["owner@customer1.example"]) == 1
    assert [kept.mail.to for kept in moto_storage.pending_mail.all_kept()] == ["deputy@customer1.example"]


def test_the_retry_reads_its_one_partition_and_never_scans(moto_storage, service, mailer):
    service.down = True
    for index in range(3):
        send_quietly(mailer, mail(subject=f"[2026-00000{index}] Request received"))
    service.down = False
    with count_dynamodb_calls() as calls:
        run = retry_kept_mail(context_of(mailer), T0 + timedelta(minutes=5))
    assert run.mails == 3 and len(service.outbox.messages()) == 3
    assert calls == {"Query": 1, "DeleteItem": 3}


def test_a_run_reads_only_the_mails_due_so_that_many_waiting_never_hold_back_one_due(moto_storage, service, mailer):
    """After a long outage most kept mails wait hours for their next try; a mail kept later but due now still goes
    at the next run, and the waiting ones are not even read."""
    for index in range(3):  # kept first, refused again: their next try is in 12 hours
        moto_storage.pending_mail.keep(mail(to=f"waiting{index}@customer1.example"), T0, T0 + timedelta(hours=12))
    moto_storage.pending_mail.keep(mail(to="due@customer1.example"), T0 + timedelta(minutes=1),
                                   T0 + timedelta(minutes=5))
    assert [kept.mail.to for kept in moto_storage.pending_mail.due(T0 + timedelta(minutes=5), limit=1)] == [
        "due@customer1.example"]
    with count_dynamodb_calls() as calls:
        run = retry_kept_mail(context_of(mailer), T0 + timedelta(minutes=5))
    assert run.candidates == 1 and run.mails == 1
    assert [sent["To"] for sent in service.outbox.messages()] == ["due@customer1.example"]
    assert calls == {"Query": 1, "DeleteItem": 1}
    assert len(moto_storage.pending_mail.all_kept()) == 3


def test_a_mail_refused_again_moves_to_its_new_time_whole_keeping_when_it_was_first_kept(
        moto_storage, service, mailer):
    service.down = True
    send_quietly(mailer, mail())
    [first] = moto_storage.pending_mail.all_kept()
    retry_kept_mail(context_of(mailer), T0 + timedelta(minutes=5))
    [moved] = moto_storage.pending_mail.all_kept()
    assert moved.key != first.key and moved.mail == first.mail and moved.kept_at == first.kept_at == T0
    assert moved.failed_tries == 2 and moved.next_try == T0 + timedelta(minutes=20)
    assert moto_storage.pending_mail.due(T0 + timedelta(minutes=19)) == []
    assert [kept.key for kept in moto_storage.pending_mail.due(T0 + timedelta(minutes=20))] == [moved.key]


def test_a_dry_run_says_what_it_would_send_and_sends_nothing(moto_storage, service, mailer):
    service.down = True
    send_quietly(mailer, mail())
    service.down = False
    run = retry_kept_mail(context_of(mailer), T0 + timedelta(minutes=5), dry_run=True)
    assert run.fired == [{"number": "2026-000001", "rule": "mail-retry", "action": "send"}]
    assert service.outbox.messages() == [] and len(moto_storage.pending_mail.all_kept()) == 1


def test_a_password_link_refused_by_the_mail_service_is_not_kept_the_reader_asks_again(moto_storage, service, mailer):
    """A new link voids the old one: a kept copy sent later would carry a dead link."""
    from dataclasses import replace

    service.down = True
    with pytest.raises(BackendUnavailable) as refused:
        mailer.send(replace(mail(), kept_if_refused=False))
    assert type(refused.value) is BackendUnavailable
    assert moto_storage.pending_mail.all_kept() == []


def test_the_password_and_invitation_links_are_the_mails_not_kept():
    from portal.services.auth import set_password_mail
    from portal.services.staff_team import invitation_mail
    from tests.builders import make_contact
    from tests.unit.staff.staff_builders import make_staff

    assert not set_password_mail(make_contact(), "invite", "https://portal.example/set").kept_if_refused
    assert not invitation_mail(make_staff(), "https://portal.example/staff/set").kept_if_refused
    assert mail().kept_if_refused  # acknowledgements, replies, closures, reminders: kept


def test_a_run_stops_trying_once_the_service_refused_three_in_a_row_and_the_others_keep_their_time(
        moto_storage, service, mailer):
    """A service still down is not asked 1,000 times, each waiting for its time-outs, in one run."""
    service.down = True
    for index in range(6):
        send_quietly(mailer, mail(subject=f"[2026-00000{index}] Request received"))
    run = retry_kept_mail(context_of(mailer), T0 + timedelta(minutes=5))
    assert [entry["reason"] for entry in run.skipped] == ["refused_again"] * 3 + ["service_still_down"] * 3
    kept = moto_storage.pending_mail.all_kept()
    assert [entry.failed_tries for entry in kept] == [1, 1, 1, 2, 2, 2]  # the refused three now come later
    service.down = False
    run = retry_kept_mail(context_of(mailer), T0 + timedelta(minutes=5))
    assert run.mails == 3 and len(moto_storage.pending_mail.all_kept()) == 3  # the refused three wait 15 minutes


def test_a_run_starts_no_send_past_its_time_and_the_next_run_goes_on(moto_storage, service, mailer):
    """The scheduled function's Lambda stops at 30 s: past RETRY_RUN_SECONDS, the rest waits 5 minutes."""
    from portal.services.mail_retry import RETRY_RUN_SECONDS

    service.down = True
    for index in range(4):
        send_quietly(mailer, mail(subject=f"[2026-00000{index}] Request received"))
    service.down = False
    ticks = iter([0.0, 1.0, RETRY_RUN_SECONDS - 1, RETRY_RUN_SECONDS + 1, RETRY_RUN_SECONDS + 2])
    run = retry_kept_mail(context_of(mailer), T0 + timedelta(minutes=5), clock=lambda: next(ticks))
    assert run.mails == 2
    assert [entry["reason"] for entry in run.skipped] == ["next_run", "next_run"]
    run = retry_kept_mail(context_of(mailer), T0 + timedelta(minutes=10))
    assert run.mails == 2 and moto_storage.pending_mail.all_kept() == []
