"""The charter's [retention] table: how long closed requests and their files are kept."""

import tomllib
from pathlib import Path

import pytest

from portal.domain.charter import CharterError, Retention, list_presets, load_charter, parse_charter

EXAMPLE = Path(__file__).resolve().parents[3] / "portal" / "charters" / "example.toml"


def example(**retention):
    document = tomllib.loads(EXAMPLE.read_text())
    document.pop("retention", None)
    if retention:
        document["retention"] = retention
    return document


def test_a_charter_without_retention_keeps_closed_requests_six_years():
    assert parse_charter(example()).retention == Retention(72)


def test_a_charter_sets_its_own_retention():
    assert parse_charter(example(closed_requests_months=24)).retention.closed_requests_months == 24


@pytest.mark.parametrize("months", [0, -1, "two years", 2.5])
def test_a_retention_that_is_not_a_positive_number_of_months_is_refused(months):
    with pytest.raises(CharterError, match="retention.closed_requests_months"):
        parse_charter(example(closed_requests_months=months))


def test_an_unknown_retention_key_is_refused():
    with pytest.raises(CharterError, match="retention"):
        parse_charter(example(closed_requests_years=6))


def test_every_preset_says_how_long_it_keeps_closed_requests():
    for preset in list_presets():
        assert "[retention]" in (EXAMPLE.parent / f"{preset}.toml").read_text()
        assert load_charter(preset).retention.closed_requests_months >= 1
