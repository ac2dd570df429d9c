"""Erasure reaches what holds a contact beyond the company's requests: problem records quoting them, the e-mail
channel's markers, the outbox of sent mail and the login records of both sign-in pages; the received e-mail is
deleted once handled, so no raw copy is left to erase."""

import json

import pytest

from portal.adapters.dynamo.personal_data import PersonalDataRepository
from portal.adapters.dynamo.raw_tables import RawTables
from portal.adapters.file_inventory import every_key
from portal.adapters.files import LocalFileStore
from portal.adapters.mail import OutboxMailer
from portal.domain.throttle import FailureRecord, ThrottlePolicy
from portal.services.mail_intake import ANSWERED_SCOPE, sender_marker
from portal.services.privacy import erase_contact, login_throttle_keys
from tests.unit.stewardship.builders import ANNA, BOB, CHARTER, PHONE, company_with_history
from tests.unit.stewardship.erasure_builders import ANNA_MESSAGE_ID, traces_beyond_requests

FORBIDDEN = (ANNA.email, ANNA.name, PHONE, "06 12 34 56 78", ANNA.contact_id)


@pytest.fixture
def world(moto_storage, tmp_path):
    files, outbox = LocalFileStore(tmp_path / "files"), OutboxMailer(tmp_path / "outbox", "support@vendor.example")
    company_with_history(moto_storage, files)
    traces_beyond_requests(moto_storage, outbox)
    return moto_storage, RawTables(moto_storage.settings), files, outbox


def held(raw, files, outbox) -> str:
    """Everything the tables, the file store and the outbox hold, as one lower-case text (a full read: tests)."""
    texts = [json.dumps(item, ensure_ascii=False) for shape in raw.shapes() for item in raw.items(shape.name)]
    for key in every_key(files):
        with files.open(key) as stream:
            texts.append(key + stream.read().decode("utf-8", "replace"))
    texts += [message.as_string() for message in outbox.messages()]
    return "\n".join(texts).lower()


def erase(world, **options):
    storage, raw, files, outbox = world
    return erase_contact(PersonalDataRepository(raw), files, CHARTER, "acme", ANNA.contact_id, keep_files=False,
                         sent_mail=outbox, **options)


def test_nothing_anywhere_holds_the_contact_once_erased(world):
    storage, raw, files, outbox = world
    storage.throttles.save_many([FailureRecord(key, 1) for key in login_throttle_keys(ANNA.email)], ThrottlePolicy())
    assert all(text.lower() in held(raw, files, outbox) for text in FORBIDDEN)

    report = erase(world)

    assert [text for text in FORBIDDEN if text.lower() in held(raw, files, outbox)] == []
    assert (report.problems_rewritten, report.markers, report.mails_deleted) == (2, 2, 1)
    assert storage.throttles.get_many(login_throttle_keys(ANNA.email)) == {}


def test_a_problem_record_of_the_company_is_pseudonymised_and_another_keeps_a_lone_first_name(world):
    storage, *_ = world
    from portal.adapters.dynamo.problems import ProblemsRepository

    erase(world)

    linked, other = ProblemsRepository().all()
    assert linked.title == "Export crash seen by former contact" and linked.tickets == ("2026-000001",)
    assert linked.description == "former contact ([erased], [erased]) sees it daily"
    assert other.description == "Also hit by former contact at Acme; Anna at Zeta sees it too"


def test_the_mail_channels_markers_still_do_their_work_without_the_address(world):
    storage, *_ = world
    erase(world)
    renamed = ANNA_MESSAGE_ID.replace(ANNA.email, "[erased]")
    assert storage.tickets.number_for("acme", renamed) == "2026-000001"
    assert storage.tickets.mark_once(ANSWERED_SCOPE, sender_marker(ANNA.email), "DAY#2026-11-23") is True


def test_the_outbox_keeps_the_mail_that_does_not_name_the_contact(world):
    *_, outbox = world
    erase(world)
    assert [message["To"] for message in outbox.messages()] == [BOB.email]


def test_a_handled_message_leaves_the_inbound_bucket_and_a_second_delivery_changes_nothing(tmp_path):
    from datetime import UTC, datetime

    from portal.services.ses_inbound import receive_ses_event

    inbound = LocalFileStore(tmp_path / "inbound")
    inbound.put("inbound/m1", b"From: <anna.quist@acme.example>\r\nSubject: Hi\r\n\r\nHello\r\n")
    event = {"Records": [{"ses": {"mail": {"messageId": "m1"}, "receipt": {"recipients": ["s@vendor.example"]}}}]}
    desk = _DeskThatAnswers()

    first = receive_ses_event(desk, lambda bucket: inbound, event, datetime(2026, 11, 23, tzinfo=UTC))
    second = receive_ses_event(desk, lambda bucket: inbound, event, datetime(2026, 11, 23, tzinfo=UTC))

    assert list(every_key(inbound)) == [] and [m["action"] for m in first["messages"] + second["messages"]] == [
        "answered", "duplicate"]


class _DeskThatAnswers:
    """A mail desk whose sender is unknown: the message gets the polite answer, no request."""

    def __init__(self):
        from tests.unit.staff.staff_builders import ListMailer

        self.charter, self.mailer, self.portal_url = CHARTER, ListMailer(), ""
        self.accounts, self.tickets = _NoAccounts(), _Markers()


class _NoAccounts:
    def contact_by_email(self, address):
        return None


class _Markers:
    def __init__(self):
        self.seen = set()

    def mark_once(self, scope, key, sort="TICKET"):
        marker = (scope, key, sort)
        fresh = marker not in self.seen
        self.seen.add(marker)
        return fresh


def test_the_mails_to_the_contact_waiting_to_be_sent_again_go_whatever_mailer_the_process_has(world):
    from datetime import UTC, datetime, timedelta

    from portal.domain.mail import OutgoingMail

    storage, raw, files, outbox = world
    now = datetime.now(UTC)
    for to in (ANNA.email, BOB.email):
        storage.pending_mail.keep(OutgoingMail(to=to, subject="[2026-000001] Request received", text="Received."),
                                  now, now + timedelta(minutes=5))
    report = erase(world)
    assert [kept.mail.to for kept in storage.pending_mail.all_kept()] == [BOB.email]
    assert report.mails_deleted == 2  # the waiting one, and the outbox's
    assert [text for text in FORBIDDEN if text.lower() in held(raw, files, outbox)] == []
