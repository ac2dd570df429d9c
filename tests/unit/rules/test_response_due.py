"""Response due per charter, tier and severity, with the explanation a customer reads."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.domain.charter import UnknownTier, load_charter
from portal.domain.sla import response_due
from portal.services.explanations import explain

PARIS = ZoneInfo("Europe/Paris")
TORONTO = ZoneInfo("America/Toronto")
BRUSSELS = ZoneInfo("Europe/Brussels")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


@pytest.mark.parametrize("severity, hours, due", [
    (1, 2, datetime(2026, 11, 23, 12, 0, tzinfo=PARIS)),
    (2, 4, datetime(2026, 11, 23, 15, 30, tzinfo=PARIS)),   # 2.5 h before lunch, 1.5 h after 14:00
    (3, 8, datetime(2026, 11, 24, 10, 30, tzinfo=PARIS)),   # 6.5 h on Monday (10:00-12:30, 14:00-18:00)
    (4, 12, datetime(2026, 11, 24, 16, 0, tzinfo=PARIS)),  # 6.5 h Monday, 3.5 h + 2 h Tuesday
])
def test_exer_premium_answers_within_its_business_hours_by_severity(severity, hours, due):
    """Rule E10: Premium 2, 4, 8 and 12 business hours for severities 1 to 4."""
    result = response_due(load_charter("exer"), "premium", severity, MONDAY_10)
    assert result.due == due
    assert result.commitment.amount == hours


@pytest.mark.parametrize("severity", [1, 2, 3, 4])
def test_exer_standard_commits_to_no_response_time(severity):
    """Rule E10 (Standard: first come, first served) and E9: no response-time guarantee, never an invented one."""
    result = response_due(load_charter("exer"), "standard", severity, MONDAY_10)
    assert result.due is None
    assert [part.message for part in result.parts] == ["received_open", "no_commitment"]


def test_techtra_support_contract_answers_the_same_business_day_with_a_two_hour_target():
    """Rule T3."""
    received = datetime(2026, 11, 23, 14, 0, tzinfo=TORONTO)
    result = response_due(load_charter("techtra"), "support_contract", 2, received)
    assert result.due == datetime(2026, 11, 23, 17, 0, tzinfo=TORONTO)
    assert result.target == datetime(2026, 11, 23, 16, 0, tzinfo=TORONTO)


def test_techtra_received_after_hours_is_due_at_the_end_of_the_next_business_day():
    """Rules T1, T3."""
    received = datetime(2026, 11, 23, 18, 0, tzinfo=TORONTO)
    result = response_due(load_charter("techtra"), "support_contract", 1, received)
    assert result.due == datetime(2026, 11, 24, 17, 0, tzinfo=TORONTO)
    assert result.target == datetime(2026, 11, 24, 11, 0, tzinfo=TORONTO)


def test_techtra_maintenance_without_support_contract_has_no_commitment():
    """Rule T2: priority only."""
    assert response_due(load_charter("techtra"), "maintenance", 1, MONDAY_10).due is None


def test_systell_answers_within_two_business_days():
    """Rule S4."""
    result = response_due(load_charter("systell"), "maintenance", 3, datetime(2026, 11, 27, 10, 0, tzinfo=PARIS))
    assert result.due == datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)


@pytest.mark.parametrize("charter_id, tier", [("graitec", "advantage"), ("produsoft", "maintenance")])
def test_charters_without_a_numeric_commitment_show_no_due_time(charter_id, tier):
    """Rules G1 and P7: contact as soon as possible; no due time is invented."""
    for severity in (1, 2, 3, 4):
        assert response_due(load_charter(charter_id), tier, severity, MONDAY_10).due is None


def test_the_explanation_reads_received_counted_skipped_and_due():
    """Friday 17:30 + 2 h at exer: 30 min counted Friday, weekend skipped, due Monday 10:30."""
    result = response_due(load_charter("exer"), "premium", 1, datetime(2026, 11, 20, 17, 30, tzinfo=PARIS))
    lines = explain(result.parts, "en")
    assert lines[0].startswith("Received Friday 20 November 2026, 17:30")
    assert "30 min counted on Friday 20 November." in lines
    assert "Weekend skipped." in lines
    assert "1 h 30 counted on Monday 23 November." in lines
    assert lines[-1] == "Due Monday 23 November 2026, 10:30."
    assert explain(result.parts, "fr")[-1] == "Échéance : lundi 23 novembre 2026, 10:30."
    assert "Weekend overgeslagen." in explain(result.parts, "nl")


def test_a_public_holiday_is_named_in_the_explanation_in_the_readers_language_where_known():
    from portal.domain.calendar import calendar_for

    charter = load_charter("exer")
    result = response_due(charter, "premium", 1, datetime(2026, 11, 10, 17, 30, tzinfo=PARIS))
    assert "mercredi 11 novembre non compté (Armistice)." in explain(result.parts, "fr", calendar_for(charter))
    assert "Wednesday 11 November skipped (Armistice Day)." in explain(result.parts, "en", calendar_for(charter))


@pytest.mark.parametrize("server_locale", ["en_US.UTF-8", "de_DE.UTF-8", ""])
def test_a_dutch_explanation_names_french_holidays_in_the_charters_language_whatever_the_servers_locale(
        monkeypatch, server_locale):
    """The holiday data has no Dutch names for France: the charter's default language (fr), never the locale."""
    from portal.domain.calendar import calendar_for

    monkeypatch.setenv("LANGUAGE", server_locale)
    monkeypatch.setenv("LANG", server_locale)
    charter = load_charter("exer")
    armistice = response_due(charter, "premium", 1, datetime(2026, 11, 10, 17, 30, tzinfo=PARIS))
    christmas = response_due(charter, "premium", 1, datetime(2026, 12, 24, 17, 30, tzinfo=PARIS))
    assert "woensdag 11 november overgeslagen (Armistice)." in explain(armistice.parts, "nl", calendar_for(charter))
    assert "vrijdag 25 december overgeslagen (Noël)." in explain(christmas.parts, "nl", calendar_for(charter))


def test_a_dutch_explanation_names_belgian_holidays_in_dutch(monkeypatch):
    from portal.domain.calendar import calendar_for

    monkeypatch.setenv("LANGUAGE", "en_US.UTF-8")
    charter = load_charter("produsoft")
    calendar = calendar_for(charter)
    assert calendar.holiday_name(date(2026, 12, 25), "nl") == "Kerstmis"
    assert calendar.holiday_name(date(2026, 12, 25), "fr") == "Noël"
    assert calendar.holiday_name(date(2026, 12, 25), "en") == "Christmas Day"


def test_an_unknown_tier_is_an_error():
    with pytest.raises(UnknownTier):
        response_due(load_charter("exer"), "gold", 1, MONDAY_10)


def test_produsoft_has_no_commitment_even_for_production_stops():
    """Rule P5: urgent cases go by phone; no response time is published."""
    received = datetime(2026, 11, 23, 10, 0, tzinfo=BRUSSELS)
    assert response_due(load_charter("produsoft"), "maintenance", 1, received + timedelta(0)).due is None
