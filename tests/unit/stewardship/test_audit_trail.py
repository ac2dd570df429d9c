"""The audit trail is append-only: every action is a new entry, read back by month, newest first."""

from datetime import UTC, datetime, timedelta

from portal.adapters.dynamo.audit import AuditRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_two_actions_at_the_same_instant_are_both_kept(moto_storage):
    moto_storage.audit.record("staff-ada", "contact_viewed", "contact:1", NOW, "acme")
    moto_storage.audit.record("staff-ada", "contact_viewed", "contact:1", NOW, "acme")
    assert len(moto_storage.audit.of_month("2026-11")) == 2


def test_a_month_reads_newest_first_and_holds_only_its_own_entries(moto_storage):
    moto_storage.audit.record("staff-ada", "contact_viewed", "a", NOW - timedelta(days=30))
    moto_storage.audit.record("staff-ada", "contact_exported", "b", NOW, details={"files": 2})
    moto_storage.audit.record("staff-ada", "contact_erased", "c", NOW + timedelta(hours=1))
    entries = moto_storage.audit.of_month("2026-11")
    assert [entry.subject for entry in entries] == ["c", "b"] and entries[1].details == {"files": "2"}


def test_the_repository_offers_no_way_to_change_or_delete_an_entry():
    assert {name for name in dir(AuditRepository) if not name.startswith("_")} == {"record", "of_month"}
