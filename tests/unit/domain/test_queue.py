"""The technicians' queue order: tier priority (T2), then channel priority (P5), then arrival (S4)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.domain.calendar import NaiveDatetimeError
from portal.domain.charter import UnknownTier, load_charter
from portal.domain.queue import channel_rank, queue_key

EARLY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
LATE = EARLY + timedelta(hours=3)


def request(charter_id="techtra", tier="maintenance", channel="web", received=EARLY):
    """A waiting request as (charter, tier, channel, received), each part overridable."""
    return load_charter(charter_id), tier, channel, received


def order(*requests) -> list[int]:
    """The positions of the requests once sorted by the queue key."""
    keys = [queue_key(*r) for r in requests]
    return sorted(range(len(requests)), key=keys.__getitem__)


def test_a_support_contract_comes_before_maintenance_and_maintenance_before_everyone_else():
    """Rule T2: support contract, then annual maintenance, then everyone else, whatever the arrival."""
    assert order(request(tier="none", received=EARLY), request(tier="maintenance", received=EARLY),
                 request(tier="support_contract", received=LATE)) == [2, 1, 0]


def test_web_form_registrations_come_before_email_and_email_before_phone():
    """Rule P5."""
    produsoft = load_charter("produsoft")
    assert channel_rank(produsoft, "web") < channel_rank(produsoft, "email") < channel_rank(produsoft, "phone")
    assert order(request("produsoft", channel="phone", received=EARLY),
                 request("produsoft", channel="email", received=EARLY),
                 request("produsoft", channel="web", received=LATE)) == [2, 1, 0]


def test_tier_priority_comes_before_channel_priority():
    """Rules T2 and P5: a maintenance request by phone still comes before a web request without maintenance."""
    assert order(request("produsoft", tier="none", channel="web"),
                 request("produsoft", tier="maintenance", channel="phone", received=LATE)) == [1, 0]


def test_a_charter_without_channel_priority_orders_channels_equally():
    """Rule S4: at systell only arrival counts within a tier."""
    systell = load_charter("systell")
    assert channel_rank(systell, "phone") == channel_rank(systell, "web") == 0
    assert order(request("systell", channel="web", received=LATE),
                 request("systell", channel="phone", received=EARLY)) == [1, 0]


def test_a_channel_the_order_does_not_name_comes_after_those_it_names():
    produsoft = load_charter("produsoft")
    assert channel_rank(produsoft, "fax") > channel_rank(produsoft, "phone")


def test_within_a_tier_and_channel_first_come_is_first_served_whatever_zone_the_times_are_in():
    """Rule S4: 09:30 in Paris (08:30 UTC) came before 08:45 UTC."""
    paris = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert order(request("systell", received=datetime(2026, 11, 23, 8, 45, tzinfo=UTC)),
                 request("systell", received=paris)) == [1, 0]


def test_an_unknown_tier_or_a_naive_time_is_refused():
    with pytest.raises(UnknownTier):
        queue_key(*request(tier="gold"))
    with pytest.raises(NaiveDatetimeError):
        queue_key(*request(received=datetime(2026, 11, 23, 8, 0)))


def test_the_place_in_the_queue_is_exact_while_at_most_the_counted_number_are_ahead():
    """Rules S4, T2: 0 ahead is first; AHEAD_COUNTED_UP_TO ahead is still an exact place."""
    from portal.domain.queue import AHEAD_COUNTED_UP_TO, position_from_ahead, position_is_exact

    assert position_from_ahead(0) == 1 and position_is_exact(1)
    assert position_from_ahead(AHEAD_COUNTED_UP_TO) == AHEAD_COUNTED_UP_TO + 1
    assert position_is_exact(AHEAD_COUNTED_UP_TO + 1)


def test_past_the_counted_number_the_place_only_says_that_more_are_ahead():
    from portal.domain.queue import AHEAD_COUNTED_UP_TO, position_from_ahead, position_is_exact

    beyond = position_from_ahead(AHEAD_COUNTED_UP_TO + 1)
    assert beyond == AHEAD_COUNTED_UP_TO + 2 and not position_is_exact(beyond)
    assert position_from_ahead(10 * AHEAD_COUNTED_UP_TO) == beyond
