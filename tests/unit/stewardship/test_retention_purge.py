"""The retention purge deletes closed requests past the charter's retention, with their files; it keeps those
closed exactly at the limit, open ones and ones reopened meanwhile; a second run changes nothing."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from portal.adapters.dynamo.raw_tables import RawTables
from portal.adapters.dynamo.retention import RetentionRepository
from portal.adapters.files import LocalFileStore
from portal.domain.charter import Retention, load_charter
from portal.domain.history import EventKind, TicketEvent
from portal.domain.ticket_files import encode_files
from portal.services.retention import months_before, retention_cutoff, run_retention_purge
from tests.unit.staff.staff_builders import make_ticket, store_ticket
from tests.unit.stewardship.builders import Sent

CHARTER = replace(load_charter("example"), retention=Retention(12))
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CUTOFF = datetime(2025, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(moto_storage, tmp_path):
    files = LocalFileStore(tmp_path / "files")
    return moto_storage, RetentionRepository(RawTables(moto_storage.settings)), files


def closed(storage, files, number, closed_at, status="closed"):
    opened = closed_at - timedelta(days=10)
    ticket = store_ticket(storage.tickets, CHARTER, make_ticket(number, created_at=opened, status_since=opened))
    key = f"uploads/acme/u{number[-2:]}/log.txt"
    files.put(key, b"log")
    sent = Sent(key, "log.txt", 3, "text", "0" * 64)
    brought = TicketEvent(EventKind.FILES_RECEIVED, opened, "acme-ann", data={"files": encode_files([sent])})
    storage.tickets.apply(replace(ticket, status=status, status_since=closed_at),
                          [brought, TicketEvent(EventKind.CLOSED, closed_at, "tech-tom")], None)
    return key


def test_the_cutoff_is_the_same_instant_the_charters_months_earlier():
    assert retention_cutoff(CHARTER, NOW) == CUTOFF
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)


def test_a_request_closed_a_second_before_the_cutoff_goes_and_one_closed_at_it_stays(world):
    storage, retention, files = world
    old_key = closed(storage, files, "2025-000001", CUTOFF - timedelta(seconds=1))
    kept_key = closed(storage, files, "2025-000002", CUTOFF)

    run = run_retention_purge(retention, files, CHARTER, NOW)

    assert run.purged == ["2025-000001"] and run.files_deleted == 1
    assert storage.tickets.ticket_with_history("2025-000001") is None
    assert storage.tickets.history_of("2025-000001") == []
    assert files.head(old_key) is None and files.head(kept_key) == 3
    assert storage.tickets.ticket_with_history("2025-000002") is not None


def test_an_old_request_still_open_is_kept(world):
    storage, retention, files = world
    closed(storage, files, "2024-000001", CUTOFF - timedelta(days=100), status="in_progress")
    assert run_retention_purge(retention, files, CHARTER, NOW).purged == []
    assert storage.tickets.ticket_with_history("2024-000001") is not None


def test_a_second_run_changes_nothing(world):
    storage, retention, files = world
    closed(storage, files, "2025-000001", CUTOFF - timedelta(days=1))
    run_retention_purge(retention, files, CHARTER, NOW)
    again = run_retention_purge(retention, files, CHARTER, NOW)
    assert (again.candidates, again.purged, again.files_deleted) == (0, [], 0)


def test_a_dry_run_says_what_would_go_and_deletes_nothing(world):
    storage, retention, files = world
    key = closed(storage, files, "2025-000001", CUTOFF - timedelta(days=1))
    run = run_retention_purge(retention, files, CHARTER, NOW, dry_run=True)
    assert run.purged == ["2025-000001"] and files.head(key) == 3
    assert storage.tickets.ticket_with_history("2025-000001") is not None


def test_a_request_reopened_meanwhile_is_kept_whole(world):
    storage, retention, files = world
    key = closed(storage, files, "2025-000001", CUTOFF - timedelta(days=1))
    ticket = storage.tickets.ticket_with_history("2025-000001")[0]
    candidates = list(retention.closed_before(CUTOFF.isoformat()))
    storage.tickets.apply(replace(ticket, status="in_progress", status_since=NOW), [], None)  # reopened

    class Stale:  # the purge read the candidates before the reopening
        def closed_before(self, cutoff):
            return iter(candidates)

        def __getattr__(self, name):
            return getattr(retention, name)

    run = run_retention_purge(Stale(), files, CHARTER, NOW)
    assert run.kept == ["2025-000001"] and files.head(key) == 3
    assert len(storage.tickets.history_of("2025-000001")) == 3


def test_a_request_left_awaiting_files_past_the_cutoff_goes_with_its_files(world):
    """S13: a request awaiting files is closed until they arrive; when they never do, retention still ends it."""
    storage, retention, files = world
    old_key = closed(storage, files, "2024-000001", CUTOFF - timedelta(days=1), status="awaiting_files")
    kept_key = closed(storage, files, "2025-000002", CUTOFF + timedelta(days=1), status="awaiting_files")

    run = run_retention_purge(retention, files, CHARTER, NOW)

    assert run.purged == ["2024-000001"] and files.head(old_key) is None and files.head(kept_key) == 3
    assert storage.tickets.ticket_with_history("2024-000001") is None
    assert storage.tickets.ticket_with_history("2025-000002") is not None
