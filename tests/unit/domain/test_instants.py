"""One text form for instants: what the tables sort on and the API returns."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from portal.domain.instants import iso_utc


def test_the_same_instant_in_any_zone_gives_the_same_utc_text():
    paris = datetime(2026, 12, 3, 10, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert iso_utc(paris) == iso_utc(paris.astimezone(timezone(timedelta(hours=-5)))) == "2026-12-03T09:30:00+00:00"


def test_the_texts_sort_as_their_instants_across_zones_and_none_stays_none():
    moments = [datetime(2026, 3, 29, 1, 59, tzinfo=UTC), datetime(2026, 3, 29, 4, 0, tzinfo=ZoneInfo("Europe/Paris")),
               datetime(2026, 3, 29, 2, 0, 0, 500, tzinfo=UTC)]
    assert sorted(moments, key=iso_utc) == sorted(moments)
    assert iso_utc(None) is None
