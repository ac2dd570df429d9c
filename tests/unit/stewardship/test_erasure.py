"""Erasing a contact on request: no table or file keeps their address, name or phone; the company's requests keep
their history, attributed to a former contact."""

import json

import pytest

from portal.adapters.dynamo.personal_data import PersonalDataRepository
from portal.adapters.dynamo.raw_tables import RawTables
from portal.adapters.file_inventory import every_key
from portal.adapters.files import LocalFileStore
from portal.domain.errors import NotFound
from portal.services.privacy import erase_contact, scrubber
from tests.unit.stewardship.builders import ANNA, BOB, CHARTER, PHONE, company_with_history

FORBIDDEN = ("anna.quist@acme.example", "Anna Quist", PHONE, "06 12 34 56 78", ANNA.contact_id)


@pytest.fixture
def world(moto_storage, tmp_path):
    files = LocalFileStore(tmp_path / "files")
    company_with_history(moto_storage, files)
    raw = RawTables(moto_storage.settings)
    return moto_storage, raw, files


def every_text(raw, files) -> str:
    """Everything the database and the file store hold, as one text (a full read: tests only)."""
    tables = [json.dumps(item, ensure_ascii=False) for shape in raw.shapes() for item in raw.items(shape.name)]
    stored = []
    for key in every_key(files):
        with files.open(key) as stream:
            stored.append(key + stream.read().decode("utf-8", "replace"))
    return "\n".join(tables + stored)


def erase(world, keep_files=False):
    storage, raw, files = world
    return erase_contact(PersonalDataRepository(raw), files, CHARTER, "acme", ANNA.contact_id,
                         keep_files=keep_files, throttle_key="login#email#anna.quist@acme.example")


def test_after_an_erasure_no_table_or_file_holds_the_contacts_address_name_phone_or_id(world):
    storage, raw, files = world
    assert all(text.lower() in every_text(raw, files).lower() for text in FORBIDDEN)

    erase(world)

    everything = every_text(raw, files).lower()
    assert [text for text in FORBIDDEN if text.lower() in everything] == []
    assert storage.accounts.contact_by_email("anna.quist@acme.example") is None


def test_the_companys_requests_keep_their_whole_history_attributed_to_a_former_contact(world):
    storage, raw, files = world
    before = {number: storage.tickets.ticket_with_history(number)
              for number in ("2026-000001", "2026-000002", "2026-000003")}

    report = erase(world)

    for number, (ticket, events) in before.items():
        after, after_events = storage.tickets.ticket_with_history(number)
        assert [event.kind for event in after_events] == [event.kind for event in events]
        assert (after.subject, after.category, after.status) == (ticket.subject.replace("Anna Quist",
                                                                 "former contact"), ticket.category, ticket.status)
    first, events = storage.tickets.ticket_with_history("2026-000002")
    assert first.contact_id == report.pseudonym and report.pseudonym.startswith("former-contact-")
    assert "the export fails because the disk is full" in events[2].data["text"]
    assert storage.tickets.ticket_with_history("2026-000003")[0].contact_id == BOB.contact_id
    assert report.requests == 3 and report.files_deleted == 1


def test_the_files_the_contact_sent_are_deleted_and_the_colleagues_kept(world):
    storage, raw, files = world
    erase(world)
    assert list(every_key(files)) == ["uploads/acme/u2/bob.png"]


def test_a_company_that_keeps_the_files_keeps_them(world):
    storage, raw, files = world
    report = erase(world, keep_files=True)
    assert files.head("uploads/acme/u1/anna-journal.log") == 23 and report.files_kept == 1


def test_an_erased_contact_cannot_be_erased_twice(world):
    erase(world)
    with pytest.raises(NotFound):
        erase(world)


def test_the_scrub_keeps_words_that_only_contain_the_name():
    scrub = scrubber("acme-ann", "former-contact-1", "ann@acme.example", "Ann Lee", ["+32 470 12 34 56"])
    assert scrub("Annual report by Ann Lee (ann@ACME.example, 0470/12.34.56) for acme-ann") == (
        "Annual report by former contact ([erased], [erased]) for former-contact-1")


def _files_event(storage, number, actor, key, name):
    from portal.domain.history import EventKind, TicketEvent
    from portal.domain.ticket_files import encode_files
    from tests.unit.stewardship.builders import NOW, Sent

    ticket = storage.tickets.ticket_with_history(number)[0]
    storage.tickets.apply(ticket, [TicketEvent(EventKind.FILES_RECEIVED, NOW, actor, data={
        "files": encode_files([Sent(key, name, 3, "image", "0" * 64)])})], None)


@pytest.mark.parametrize("keep_files", [False, True])
def test_a_colleagues_file_named_after_the_contact_is_renamed_and_its_record_follows(world, keep_files):
    storage, raw, files = world
    key = "uploads/acme/u3abcdefghijklmnop/Anna Quist screenshot.png"
    files.put(key, b"png")
    files.put("accepted/acme/u3abcdefghijklmnop.json", json.dumps({"key": key}).encode())
    _files_event(storage, "2026-000003", BOB.contact_id, key, "Anna Quist screenshot.png")

    erase(world, keep_files=keep_files)

    record = json.loads(storage.tickets.ticket_with_history("2026-000003")[1][-1].data["files"])[0]
    assert files.head(key) is None and "Anna" not in record["key"] and "Anna" not in record["name"]
    assert record["key"].startswith("uploads/acme/u3abcdefghijklmnop/") and files.head(record["key"]) == 3
    assert files.head("accepted/acme/u3abcdefghijklmnop.json") is None


def test_the_files_the_contact_sent_on_a_colleagues_request_are_deleted(world):
    storage, raw, files = world
    key = "uploads/acme/u4abcdefghijklmnop/journal.log"
    files.put(key, b"log")
    _files_event(storage, "2026-000003", ANNA.contact_id, key, "journal.log")

    report = erase(world)

    assert files.head(key) is None and report.files_deleted >= 1
