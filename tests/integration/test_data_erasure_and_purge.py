"""Erasure and the retention purge against Amazon's DynamoDB Local (its indexes, filters and conditional writes,
which moto checks less strictly)."""

import json
from dataclasses import replace
from datetime import timedelta

import pytest

from portal.adapters.dynamo.personal_data import PersonalDataRepository
from portal.adapters.dynamo.raw_tables import RawTables
from portal.adapters.dynamo.retention import RetentionRepository
from portal.adapters.file_inventory import every_key
from portal.adapters.files import LocalFileStore
from portal.domain.charter import Retention
from portal.services.privacy import contact_archive, erase_contact
from portal.services.retention import run_retention_purge
from tests.unit.stewardship.builders import ANNA, CHARTER, NOW, PHONE, company_with_history

pytestmark = pytest.mark.integration


@pytest.fixture
def world(local_storage, tmp_path):
    files = LocalFileStore(tmp_path / "files")
    company_with_history(local_storage, files)
    return local_storage, RawTables(local_storage.settings), files


def everything(raw, files, outbox=None) -> str:
    texts = [json.dumps(item, ensure_ascii=False) for shape in raw.shapes() for item in raw.items(shape.name)]
    for key in every_key(files):
        with files.open(key) as stream:
            texts.append(key + stream.read().decode("utf-8", "replace"))
    texts += [message.as_string() for message in (outbox.messages() if outbox else ())]
    return "\n".join(texts).lower()


def test_an_erased_contact_leaves_no_trace_and_the_history_stays_whole(world, tmp_path):
    """Beyond the requests: problem records quoting her, the e-mail channel's markers, the outbox, the login
    records of both sign-in pages; the search index holds the vendor's articles only."""
    from portal.adapters.mail import OutboxMailer
    from portal.domain.throttle import FailureRecord, ThrottlePolicy
    from portal.services.privacy import login_throttle_keys
    from tests.unit.stewardship.erasure_builders import traces_beyond_requests

    storage, raw, files = world
    outbox = OutboxMailer(tmp_path / "outbox", "support@vendor.example")
    traces_beyond_requests(storage, outbox)
    storage.throttles.save_many([FailureRecord(key, 1) for key in login_throttle_keys(ANNA.email)], ThrottlePolicy())
    counts = {n: len(storage.tickets.history_of(n)) for n in ("2026-000001", "2026-000002", "2026-000003")}
    forbidden = (ANNA.email, ANNA.name, PHONE, "06 12 34 56 78", ANNA.contact_id)
    assert all(text.lower() in everything(raw, files, outbox) for text in forbidden)

    report = erase_contact(PersonalDataRepository(raw), files, CHARTER, "acme", ANNA.contact_id, keep_files=False,
                           audit=storage.audit, actor="staff-ada", now=NOW, sent_mail=outbox)

    text = everything(raw, files, outbox)
    assert [value for value in forbidden if value.lower() in text] == []
    assert {n: len(storage.tickets.history_of(n)) for n in counts} == counts
    assert storage.tickets.ticket_with_history("2026-000001")[0].contact_id == report.pseudonym
    assert (report.problems_rewritten, report.markers, report.mails_deleted) == (2, 2, 1)
    assert [entry.subject for entry in storage.audit.of_month("2026-11")] == [report.pseudonym]
    assert not _search_index_holds(ANNA.email, ANNA.name)


def _search_index_holds(*texts) -> bool:
    """Whether the knowledge base's search index (the built one, when there is one) holds any of these texts."""
    from portal.kb.index import DEFAULT_INDEX

    if not DEFAULT_INDEX.exists():
        return False
    content = DEFAULT_INDEX.read_bytes().decode("utf-8", "replace").lower()
    return any(text.lower() in content for text in texts)


def test_the_archive_reads_the_contacts_requests_through_the_company_index(world):
    import io
    import zipfile

    storage, raw, files = world
    archive = zipfile.ZipFile(io.BytesIO(contact_archive(PersonalDataRepository(raw), files, "acme",
                                                         ANNA.contact_id, NOW)))
    assert sorted(n for n in archive.namelist() if n.startswith("requests/")) == [
        "requests/2026-000001.json", "requests/2026-000002.json"]


def test_the_purge_deletes_what_is_past_retention_and_a_second_run_changes_nothing(world):
    storage, raw, files = world
    ticket = storage.tickets.ticket_with_history("2026-000003")[0]
    storage.tickets.apply(replace(ticket, status="closed", status_since=ticket.created_at + timedelta(days=1)), [],
                          None)
    charter, later = replace(CHARTER, retention=Retention(1)), NOW + timedelta(days=62)
    retention = RetentionRepository(raw)

    first = run_retention_purge(retention, files, charter, later)
    second = run_retention_purge(retention, files, charter, later)

    assert first.purged == ["2026-000003"] and (second.candidates, second.purged) == (0, [])
    assert storage.tickets.ticket_with_history("2026-000003") is None
    assert storage.tickets.ticket_with_history("2026-000001") is not None  # still open
