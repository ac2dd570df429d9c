"""Response due for a charter, tier, severity and receipt time, with an explanation a customer can read in
French, Dutch or English."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from portal.domain.calendar import NaiveDatetimeError, calendar_for
from portal.domain.charter import UnknownTier, load_charter
from portal.domain.sla import (
    MESSAGES,
    Part,
    SeverityOutOfRange,
    business_days_of,
    eligibility,
    render_explanation,
    response_due,
)

PARIS = ZoneInfo("Europe/Paris")
TORONTO = ZoneInfo("America/Toronto")
FRIDAY_17_30 = datetime(2026, 11, 20, 17, 30, tzinfo=PARIS)


def exer_due(severity=2, received=FRIDAY_17_30, tier="premium"):
    return response_due(load_charter("exer"), tier, severity, received)


def test_friday_evening_reads_received_counted_weekend_skipped_and_due():
    """Rule E10: Premium severity 2 (4 business hours) received Friday 17:30: 30 min counted Friday, the weekend
    skipped, 3 h 30 counted Monday, due Monday 12:30."""
    result = exer_due()
    assert result.due == datetime(2026, 11, 23, 12, 30, tzinfo=PARIS)
    assert result.explanation == (
        "Received Friday 20 November 2026, 17:30, during opening hours.",
        "The commitment is an answer within 4 business hours.",
        "30 min counted on Friday 20 November.",
        "Weekend skipped.",
        "3 h 30 counted on Monday 23 November.",
        "Due Monday 23 November 2026, 12:30.",
    )


def test_the_explanation_is_worded_in_french_and_dutch():
    result = exer_due()
    calendar = calendar_for(load_charter("exer"))
    assert render_explanation(result.parts, "fr", calendar) == (
        "Reçue le vendredi 20 novembre 2026, 17:30, pendant les heures d'ouverture.",
        "L'engagement est une réponse sous 4 heures ouvrées.",
        "30 min comptées le vendredi 20 novembre.",
        "Week-end non compté.",
        "3 h 30 comptées le lundi 23 novembre.",
        "Échéance : lundi 23 novembre 2026, 12:30.",
    )
    assert render_explanation(result.parts, "nl", calendar) == (
        "Ontvangen op vrijdag 20 november 2026, 17:30, tijdens de openingsuren.",
        "De verbintenis is een antwoord binnen 4 werkuren.",
        "30 min geteld op vrijdag 20 november.",
        "Weekend overgeslagen.",
        "3 h 30 geteld op maandag 23 november.",
        "Uiterlijk: maandag 23 november 2026, 12:30.",
    )


def test_an_unknown_language_falls_back_to_english():
    result = exer_due()
    assert render_explanation(result.parts, "de") == render_explanation(result.parts, "en")


def test_every_message_has_a_wording_in_french_dutch_and_english():
    assert all(set(wordings) == {"fr", "nl", "en"} for wordings in MESSAGES.values())


def test_the_explanation_is_structured_parts_with_their_values():
    result = exer_due()
    assert [part.message for part in result.parts] == [
        "received_open", "commitment_hours", "counted", "skipped_weekend", "counted", "due"]
    assert result.parts[0].value("at") == FRIDAY_17_30
    assert business_days_of(result.parts) == (datetime(2026, 11, 20).date(), datetime(2026, 11, 23).date())


def test_a_public_holiday_is_named_in_the_readers_language():
    """Rule E2: 11 November is closed at exer and the explanation says why."""
    result = exer_due(severity=1, received=datetime(2026, 11, 10, 17, 30, tzinfo=PARIS))
    calendar = calendar_for(load_charter("exer"))
    assert "Wednesday 11 November skipped (Armistice Day)." in result.explanation
    assert "mercredi 11 novembre non compté (Armistice)." in render_explanation(result.parts, "fr", calendar)


def test_an_extra_closed_day_is_called_closed_in_each_language():
    example = load_charter("example")
    result = response_due(example, "premium", 4, datetime(2026, 12, 23, 17, 0, tzinfo=PARIS))
    assert "Thursday 24 December skipped (closed)." in result.explanation
    assert "jeudi 24 décembre non compté (fermé)." in render_explanation(result.parts, "fr", calendar_for(example))


def test_a_receipt_outside_hours_says_so():
    result = exer_due(received=datetime(2026, 11, 21, 10, tzinfo=PARIS))
    assert result.explanation[0] == "Received Saturday 21 November 2026, 10:00, outside opening hours."


def test_times_in_the_explanation_are_in_the_charters_zone():
    result = exer_due(received=datetime(2026, 11, 20, 16, 30, tzinfo=ZoneInfo("UTC")))
    assert result.explanation[0].startswith("Received Friday 20 November 2026, 17:30")


def test_the_same_day_commitment_shows_its_two_hour_target():
    """Rule T3."""
    result = response_due(load_charter("techtra"), "support_contract", 1, datetime(2026, 11, 23, 10, tzinfo=TORONTO))
    assert result.explanation[1] == "The commitment is an answer the same business day."
    assert result.explanation[-2:] == ("Due Monday 23 November 2026, 17:00.",
                                       "Usually answered within 2 business hours, by Monday 23 November 2026, 12:00.")


def test_the_business_days_commitment_says_how_many_days():
    """Rule S4."""
    result = response_due(load_charter("systell"), "maintenance", 2, datetime(2026, 11, 27, 10, tzinfo=PARIS))
    assert "The commitment is an answer within 2 business days." in result.explanation
    assert result.explanation[-1] == "Due Tuesday 1 December 2026, 10:00."


def test_no_commitment_says_so_and_invents_no_time():
    """Rules G1 and E10 (Standard): the explanation says no response time is committed."""
    result = exer_due(tier="standard")
    assert (result.due, result.target) == (None, None)
    assert [part.message for part in result.parts] == ["received_open", "no_commitment"]
    assert result.explanation[-1] == \
        "No response time is committed: requests are handled in the order they arrive."


def test_hours_with_a_fraction_are_written_with_the_languages_decimal_mark():
    parts = (Part("commitment_hours", (("hours", 1.5),)),)
    assert render_explanation(parts, "en") == ("The commitment is an answer within 1.5 business hours.",)
    assert render_explanation(parts, "fr") == ("L'engagement est une réponse sous 1,5 heures ouvrées.",)


@pytest.mark.parametrize("charter_id, tier, eligible", [
    ("systell", "maintenance", True), ("systell", "none", False),
    ("exer", "premium", True), ("exer", "standard", True), ("exer", "none", False),
    ("graitec", "advantage", True), ("graitec", "none", False),
    ("techtra", "none", True),
])
def test_only_tiers_the_charter_allows_may_open_requests(charter_id, tier, eligible):
    """Rules S1, E1, T2: maintenance or contract holders may ask; techtra serves everyone, last."""
    assert eligibility(load_charter(charter_id), tier) is eligible


def test_an_unknown_tier_is_an_error():
    with pytest.raises(UnknownTier):
        exer_due(tier="gold")
    with pytest.raises(UnknownTier):
        eligibility(load_charter("exer"), "gold")


@pytest.mark.parametrize("severity", [0, 5, -1])
def test_a_severity_outside_one_to_four_is_an_error(severity):
    with pytest.raises(SeverityOutOfRange, match="1 to 4"):
        exer_due(severity=severity)


def test_a_naive_receipt_time_is_an_error():
    with pytest.raises(NaiveDatetimeError):
        exer_due(received=datetime(2026, 11, 20, 17, 30))
