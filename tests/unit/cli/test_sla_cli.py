"""`portal sla`: one JSON object (eligible, priority, response_due, explanation), or exit 2 with one clear line."""

import json

import pytest
from click.testing import CliRunner

from portal.cli import main


def run(charter="exer", tier="premium", severity="1", received="2026-11-23T10:00:00+01:00", *extra):
    return CliRunner().invoke(main, ["sla", "--charter", charter, "--tier", tier, "--severity", severity,
                                     "--received", received, *extra])


def body_of(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_due_time_is_printed_with_its_offset_in_the_charters_zone_and_its_explanation():
    """Rule E10: exer Premium severity 1 received Friday 16:30 UTC (17:30 in Paris): due Monday 10:30."""
    body = body_of(run(received="2026-11-20T16:30:00Z"))
    assert set(body) >= {"eligible", "priority", "response_due", "explanation"}
    assert body["eligible"] is True and body["priority"] == 1
    assert body["response_due"] == "2026-11-23T10:30:00+01:00"
    assert body["explanation"][0] == "Received Friday 20 November 2026, 17:30, during opening hours."
    assert "Weekend skipped." in body["explanation"]


def test_the_explanation_can_be_asked_in_french_or_dutch():
    body = body_of(run("exer", "premium", "1", "2026-11-20T16:30:00Z", "--lang", "fr"))
    assert body["explanation"][-1] == "Échéance : lundi 23 novembre 2026, 10:30."


def test_the_same_day_commitment_is_given_in_eastern_time_with_its_target():
    """Rule T3: received 14:00 Eastern, due 17:00 the same day, target 16:00."""
    body = body_of(run("techtra", "support_contract", "2", "2026-11-23T19:00:00Z"))
    assert body["response_due"] == "2026-11-23T17:00:00-05:00"
    assert body["target"] == "2026-11-23T16:00:00-05:00"


def test_the_priority_is_the_tiers_rank_in_the_queue():
    """Rule T2: techtra serves everyone, those without a contract or maintenance last."""
    body = body_of(run("techtra", "none", "3", "2026-11-23T10:00:00-05:00"))
    assert (body["eligible"], body["priority"], body["response_due"]) == (True, 3, None)


def test_no_commitment_prints_null_and_says_why():
    """Rule G1."""
    body = body_of(run("graitec", "advantage", "1"))
    assert body["response_due"] is None
    assert body["explanation"][-1].startswith("No response time is committed")


def test_a_tier_that_may_not_open_requests_is_not_eligible():
    """Rules S1, E1."""
    assert body_of(run("exer", "none"))["eligible"] is False
    assert body_of(run("systell", "none"))["eligible"] is False


@pytest.mark.parametrize("args, message", [
    (("nope", "premium", "1", "2026-11-23T10:00:00Z"), "nope"),
    (("exer", "gold", "1", "2026-11-23T10:00:00Z"), "gold"),
    (("exer", "premium", "5", "2026-11-23T10:00:00Z"), "1 to 4"),
    (("exer", "premium", "0", "2026-11-23T10:00:00Z"), "1 to 4"),
    (("exer", "premium", "1", "2026-11-23T10:00:00"), "offset"),
    (("exer", "premium", "1", "yesterday"), "ISO 8601"),
    (("exer", "premium", "1", "2026-02-30T10:00:00Z"), "ISO 8601"),
])
def test_bad_input_exits_2_with_one_clear_line_on_stderr(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
