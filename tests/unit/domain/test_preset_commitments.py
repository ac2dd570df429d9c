"""Every numeric response commitment of each preset, at its boundaries: just before and after opening and
closing, the lunch break, a weekend, a public holiday and a daylight-saving change. Expected instants are
worked out by hand from the charter's hours, in the comment beside each case."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.domain.calendar import calendar_for
from portal.domain.charter import load_charter
from portal.domain.sla import response_due

PARIS = ZoneInfo("Europe/Paris")
TORONTO = ZoneInfo("America/Toronto")
BRUSSELS = ZoneInfo("Europe/Brussels")


def paris(*fields) -> datetime:
    return datetime(*fields, tzinfo=PARIS)


def toronto(*fields) -> datetime:
    return datetime(*fields, tzinfo=TORONTO)


def due_for(charter_id: str, tier: str, severity: int, received: datetime):
    return response_due(load_charter(charter_id), tier, severity, received)


# --- exer Premium: 2, 4, 8, 12 business hours (rule E10); hours 09:00-12:30 and 14:00-18:00 (rule E2) -----

EXER_PREMIUM = [
    # severity 1, 2 business hours, Monday 23 November 2026
    ("just before opening", 1, paris(2026, 11, 23, 8, 59), paris(2026, 11, 23, 11, 0)),
    ("at opening", 1, paris(2026, 11, 23, 9, 0), paris(2026, 11, 23, 11, 0)),
    ("just after opening", 1, paris(2026, 11, 23, 9, 1), paris(2026, 11, 23, 11, 1)),
    ("just before lunch: 1 min, then 1 h 59 from 14:00", 1, paris(2026, 11, 23, 12, 29), paris(2026, 11, 23, 15, 59)),
    ("during lunch: counted from 14:00", 1, paris(2026, 11, 23, 13, 0), paris(2026, 11, 23, 16, 0)),
    ("just before closing: 1 min, then Tuesday", 1, paris(2026, 11, 23, 17, 59), paris(2026, 11, 24, 10, 59)),
    ("at closing: all of it Tuesday", 1, paris(2026, 11, 23, 18, 0), paris(2026, 11, 24, 11, 0)),
    # severity 2, 4 business hours
    ("ends exactly at closing", 2, paris(2026, 11, 23, 14, 0), paris(2026, 11, 23, 18, 0)),
    ("Friday 17:30: 30 min, weekend, 3 h 30 Monday", 2, paris(2026, 11, 20, 17, 30), paris(2026, 11, 23, 12, 30)),
    ("Friday 16:00: 2 h, weekend, 2 h Monday", 2, paris(2026, 11, 20, 16, 0), paris(2026, 11, 23, 11, 0)),
    # severity 3, 8 business hours
    ("Monday 13 July 10:00: 6 h 30, 14 July closed, 1 h 30", 3, paris(2026, 7, 13, 10), paris(2026, 7, 15, 10, 30)),
    ("Friday 23 October 14:00: 4 h, clocks go back, 4 h", 3, paris(2026, 10, 23, 14), paris(2026, 10, 26, 14, 30)),
    # severity 4, 12 business hours
    ("a full Monday, then 4 h 30 Tuesday", 4, paris(2026, 11, 23, 9, 0), paris(2026, 11, 24, 15, 0)),
    ("Tuesday 10 November 11:00: 5 h 30, 11 November closed, 6 h 30", 4, paris(2026, 11, 10, 11),
     paris(2026, 11, 12, 17, 0)),
    ("Friday 27 March 15:00: 3 h, clocks go forward, 7 h 30, 1 h 30", 4, paris(2026, 3, 27, 15),
     paris(2026, 3, 31, 10, 30)),
]


@pytest.mark.parametrize("case, severity, received, due", EXER_PREMIUM, ids=[case[0] for case in EXER_PREMIUM])
def test_exer_premium_is_due_within_its_business_hours_by_severity(case, severity, received, due):
    """Rule E10: Premium answers within 2, 4, 8 and 12 business hours for severities 1 to 4; rule E2's hours."""
    result = due_for("exer", "premium", severity, received)
    assert result.due == due
    assert result.due.utcoffset() == due.utcoffset()
    assert calendar_for(load_charter("exer")).business_time_between(received, result.due) == \
        timedelta(hours={1: 2, 2: 4, 3: 8, 4: 12}[severity])


def test_exer_premium_severities_map_to_2_4_8_and_12_business_hours():
    """Rule E10."""
    exer = load_charter("exer")
    assert [(exer.commitment("premium", s).kind, exer.commitment("premium", s).amount) for s in (1, 2, 3, 4)] == \
        [("business_hours", 2), ("business_hours", 4), ("business_hours", 8), ("business_hours", 12)]


@pytest.mark.parametrize("severity", [1, 2, 3, 4])
def test_exer_standard_and_manufacturer_maintenance_commit_to_no_response_time(severity):
    """Rules E9, E10: Standard is first come, first served; no time is invented."""
    assert due_for("exer", "standard", severity, paris(2026, 11, 23, 10)).due is None


# --- techtra support contract: end of the business day, 2 business hours as the target (rule T3) ---------

TECHTRA_SUPPORT = [
    # (case, received, due, target)
    ("just before opening", toronto(2026, 11, 23, 8, 59), toronto(2026, 11, 23, 17), toronto(2026, 11, 23, 11)),
    ("at opening", toronto(2026, 11, 23, 9), toronto(2026, 11, 23, 17), toronto(2026, 11, 23, 11)),
    ("mid-afternoon", toronto(2026, 11, 23, 14), toronto(2026, 11, 23, 17), toronto(2026, 11, 23, 16)),
    ("just before closing: the target is capped at the commitment", toronto(2026, 11, 23, 16, 59),
     toronto(2026, 11, 23, 17), toronto(2026, 11, 23, 17)),
    ("at closing: the next business day", toronto(2026, 11, 23, 17), toronto(2026, 11, 24, 17),
     toronto(2026, 11, 24, 11)),
    ("Friday evening: Monday", toronto(2026, 11, 27, 18), toronto(2026, 11, 30, 17), toronto(2026, 11, 30, 11)),
    ("Saturday: Monday", toronto(2026, 11, 28, 10), toronto(2026, 11, 30, 17), toronto(2026, 11, 30, 11)),
    ("the evening before the Fête nationale: 25 June", toronto(2026, 6, 23, 17, 30), toronto(2026, 6, 25, 17),
     toronto(2026, 6, 25, 11)),
    ("on the Fête nationale: 25 June", toronto(2026, 6, 24, 10), toronto(2026, 6, 25, 17), toronto(2026, 6, 25, 11)),
    ("Friday before the clocks go forward (8 March)", toronto(2026, 3, 6, 17, 30), toronto(2026, 3, 9, 17),
     toronto(2026, 3, 9, 11)),
    ("Friday evening before the clocks go back (1 November)", toronto(2026, 10, 30, 17, 30),
     toronto(2026, 11, 2, 17), toronto(2026, 11, 2, 11)),
]


@pytest.mark.parametrize("case, received, due, target", TECHTRA_SUPPORT, ids=[case[0] for case in TECHTRA_SUPPORT])
def test_techtra_support_contract_is_due_by_the_end_of_the_business_day(case, received, due, target):
    """Rule T3: the same business day (the next one when received outside hours), usually within two business
    hours; rule T1's hours 09:00-17:00 Eastern."""
    result = due_for("techtra", "support_contract", 1, received)
    assert (result.due, result.target) == (due, target)
    assert result.due.utcoffset() == due.utcoffset()


def test_the_techtra_target_is_two_business_hours_and_never_after_the_commitment():
    """Rule T3: "usually within two business hours" is shown beside the same-day commitment, never beyond it."""
    techtra = calendar_for(load_charter("techtra"))
    for received in (toronto(2026, 11, 23, 9, 30), toronto(2026, 11, 23, 15, 30), toronto(2026, 11, 23, 16, 30)):
        result = due_for("techtra", "support_contract", 2, received)
        assert result.target <= result.due
        assert techtra.business_time_between(received, result.target) == \
            min(timedelta(hours=2), techtra.business_time_between(received, result.due))


@pytest.mark.parametrize("tier", ["maintenance", "none"])
def test_techtra_without_a_support_contract_has_priority_but_no_response_time(tier):
    """Rules T2, T3: only the support contract carries a response commitment."""
    assert due_for("techtra", tier, 1, toronto(2026, 11, 23, 10)).due is None


# --- systell maintenance: two business days at the same clock time (rule S4); hours of rule S15 -----------

SYSTELL_MAINTENANCE = [
    ("just before opening: from 08:00", paris(2026, 11, 23, 7, 59), paris(2026, 11, 25, 8, 0)),
    ("at opening", paris(2026, 11, 23, 8, 0), paris(2026, 11, 25, 8, 0)),
    ("just before lunch", paris(2026, 11, 23, 11, 59), paris(2026, 11, 25, 11, 59)),
    ("at lunch: from 13:30", paris(2026, 11, 23, 12, 0), paris(2026, 11, 25, 13, 30)),
    ("during lunch: from 13:30", paris(2026, 11, 23, 13, 29), paris(2026, 11, 25, 13, 30)),
    ("just before closing", paris(2026, 11, 23, 17, 29), paris(2026, 11, 25, 17, 29)),
    ("at closing: from Tuesday 08:00", paris(2026, 11, 23, 17, 30), paris(2026, 11, 26, 8, 0)),
    ("Wednesday 17:15 lands on Friday after its 17:00 closing: Monday 08:00", paris(2026, 11, 25, 17, 15),
     paris(2026, 11, 30, 8, 0)),
    ("Thursday across the weekend", paris(2026, 11, 26, 10), paris(2026, 11, 30, 10)),
    ("Friday just before closing", paris(2026, 11, 27, 16, 59), paris(2026, 12, 1, 16, 59)),
    ("Friday at its 17:00 closing: Tuesday 17:00, open until 17:30", paris(2026, 11, 27, 17, 0),
     paris(2026, 12, 1, 17, 0)),
    ("Monday 13 July: 14 July closed", paris(2026, 7, 13, 10), paris(2026, 7, 16, 10)),
    ("Tuesday 10 November: 11 November closed", paris(2026, 11, 10, 10), paris(2026, 11, 13, 10)),
    ("Friday 27 March: the clock time is kept after the clocks go forward", paris(2026, 3, 27, 10),
     paris(2026, 3, 31, 10)),
    ("Friday 23 October: the clock time is kept after the clocks go back", paris(2026, 10, 23, 15),
     paris(2026, 10, 27, 15)),
]


@pytest.mark.parametrize("case, received, due", SYSTELL_MAINTENANCE, ids=[case[0] for case in SYSTELL_MAINTENANCE])
def test_systell_maintenance_is_due_two_business_days_later_at_the_same_clock_time(case, received, due):
    """Rule S4: within 48 hours, read as two business days at the same clock time (the next opening when that
    time is closed); rule S15's hours, lunch 12:00-13:30."""
    result = due_for("systell", "maintenance", 3, received)
    assert result.due == due
    assert result.due.utcoffset() == due.utcoffset()


def test_systell_customers_without_maintenance_get_no_due_time():
    """Rule S1: support only under a maintenance contract."""
    assert due_for("systell", "none", 1, paris(2026, 11, 23, 10)).due is None


# --- graitec and produsoft: no numeric commitment (rules G1, P5-P7) --------------------------------------

NO_COMMITMENT_BOUNDARIES = [
    ("graitec", "advantage", paris(2026, 11, 23, 8, 59)),
    ("graitec", "advantage", paris(2026, 11, 23, 17, 59)),
    ("graitec", "advantage", paris(2026, 7, 14, 10)),
    ("produsoft", "maintenance", datetime(2026, 11, 23, 12, 45, tzinfo=BRUSSELS)),
    ("produsoft", "maintenance", datetime(2026, 11, 27, 16, 0, tzinfo=BRUSSELS)),
    ("produsoft", "maintenance", datetime(2026, 7, 21, 10, tzinfo=BRUSSELS)),
    ("produsoft", "none", datetime(2026, 3, 27, 17, tzinfo=BRUSSELS)),
]


@pytest.mark.parametrize("charter_id, tier, received", NO_COMMITMENT_BOUNDARIES)
@pytest.mark.parametrize("severity", [1, 2, 3, 4])
def test_charters_without_a_numeric_commitment_never_show_a_due_time(charter_id, tier, received, severity):
    """Rules G1 (as soon as possible) and P5-P7 (handled by channel, no published delay): no due time is invented,
    the explanation says so."""
    result = due_for(charter_id, tier, severity, received)
    assert (result.due, result.target) == (None, None)
    assert result.explanation[-1].startswith("No response time is committed")
