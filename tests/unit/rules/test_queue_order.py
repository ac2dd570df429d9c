"""The queue order: tier priority (T2), then channel priority (P5), then arrival (S4)."""

from datetime import UTC, datetime, timedelta

from portal.domain.charter import load_charter
from portal.domain.queue import channel_rank, queue_key
from portal.domain.tickets import queue_sort_key

EARLY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
LATE = EARLY + timedelta(hours=3)


def test_a_support_contract_comes_before_maintenance_whatever_the_arrival():
    """Rule T2."""
    techtra = load_charter("techtra")
    assert queue_key(techtra, "support_contract", "web", LATE) < queue_key(techtra, "maintenance", "web", EARLY)
    assert queue_key(techtra, "maintenance", "web", LATE) < queue_key(techtra, "none", "web", EARLY)


def test_web_form_registrations_come_before_email_then_phone():
    """Rule P5."""
    produsoft = load_charter("produsoft")
    assert channel_rank(produsoft, "web") < channel_rank(produsoft, "email") < channel_rank(produsoft, "phone")
    assert queue_key(produsoft, "maintenance", "web", LATE) < queue_key(produsoft, "maintenance", "email", EARLY)


def test_within_a_tier_and_channel_first_come_is_first_served():
    """Rule S4."""
    systell = load_charter("systell")
    assert queue_key(systell, "maintenance", "email", EARLY) < queue_key(systell, "maintenance", "email", LATE)


def test_the_stored_queue_key_sorts_as_text_in_the_same_order():
    keys = [queue_sort_key(2, 0, EARLY, "2026-000002"), queue_sort_key(1, 1, LATE, "2026-000003"),
            queue_sort_key(1, 0, LATE, "2026-000004"), queue_sort_key(1, 0, EARLY, "2026-000001")]
    assert sorted(keys) == [keys[3], keys[2], keys[1], keys[0]]
