"""`portal sla`: one JSON object, or exit 2 with one clear line."""

import json

import pytest
from click.testing import CliRunner

from portal.cli import main


def run(*args):
    return CliRunner().invoke(main, ["sla", *args])


def test_a_due_time_is_printed_with_its_explanation_in_the_charters_zone():
    """Rule E10: exer Premium severity 1, received Friday 17:30: due Monday 10:30."""
    result = run("--charter", "exer", "--tier", "premium", "--severity", "1", "--received", "2026-11-20T16:30:00Z")
    assert result.exit_code == 0
    body = json.loads(result.output)
    assert body["eligible"] is True and body["priority"] == 1
    assert body["response_due"] == "2026-11-23T10:30:00+01:00"
    assert "Weekend skipped." in body["explanation"]


def test_no_commitment_prints_null():
    """Rule G1."""
    result = run("--charter", "graitec", "--tier", "advantage", "--severity", "1",
                 "--received", "2026-11-23T10:00:00+01:00")
    assert json.loads(result.output)["response_due"] is None


def test_a_tier_that_may_not_open_requests_is_not_eligible():
    result = run("--charter", "exer", "--tier", "none", "--severity", "1", "--received", "2026-11-23T10:00:00+01:00")
    assert json.loads(result.output)["eligible"] is False


@pytest.mark.parametrize("args, message", [
    (("--charter", "nope", "--tier", "premium", "--severity", "1", "--received", "2026-11-23T10:00:00Z"), "nope"),
    (("--charter", "exer", "--tier", "gold", "--severity", "1", "--received", "2026-11-23T10:00:00Z"), "gold"),
    (("--charter", "exer", "--tier", "premium", "--severity", "5", "--received", "2026-11-23T10:00:00Z"), "1 to 4"),
    (("--charter", "exer", "--tier", "premium", "--severity", "1", "--received", "2026-11-23T10:00:00"), "offset"),
    (("--charter", "exer", "--tier", "premium", "--severity", "1", "--received", "yesterday"), "ISO 8601"),
])
def test_bad_input_exits_2_with_one_clear_line(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1
