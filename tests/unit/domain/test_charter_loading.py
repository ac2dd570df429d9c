"""Loading a charter file: every problem is reported with its file, key and what is wrong."""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path

import pytest

from portal.domain.charter import (
    CharterError,
    Commitment,
    OpeningInterval,
    Text,
    UnknownTier,
    list_presets,
    load_charter,
    parse_charter,
)

TEXT = '{ fr = "Texte", nl = "Tekst", en = "Text" }'


def make_charter_toml(**replacements: str) -> str:
    """A small valid charter; each keyword replaces the line(s) of the same key, or is appended."""
    base = {
        "id": 'id = "acme"',
        "name": 'name = "Acme"',
        "default_language": 'default_language = "fr"',
        "timezone": 'timezone = "Europe/Paris"',
        "holidays": '[holidays]\ncountry = "FR"',
        "hours": '[hours]\nmonday = ["09:00-12:00", "13:00-17:00"]\nfriday = ["09:00-12:00"]',
        "tiers": (f'[[tiers]]\nid = "gold"\nlabel = {TEXT}\nmay_open_requests = true\nchannels = ["web"]\n'
                  f'[[tiers]]\nid = "none"\nlabel = {TEXT}\nmay_open_requests = false\nchannels = []'),
        "severities": "[severities]\n" + "\n".join(f"{level} = {TEXT}" for level in range(1, 5)),
        "commitments": '[commitments.gold]\n1 = { kind = "business_hours", hours = 4 }',
        "version_policy": '[version_policy]\nkind = "current_only"',
        "categories": f'[[categories]]\nid = "support"\nlabel = {TEXT}\ndescription = {TEXT}',
    }
    top_level = ("id", "name", "default_language", "timezone")
    parts = {**base, **replacements}
    lines = [value for key, value in parts.items() if key in top_level or key.startswith("top_")]
    lines += [value for key, value in parts.items() if key not in top_level and not key.startswith("top_")]
    return "\n".join(line for line in lines if line) + "\n"


def write_charter(tmp_path: Path, **replacements: str) -> Path:
    path = tmp_path / "acme.toml"
    path.write_text(make_charter_toml(**replacements), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, **replacements: str) -> list[tuple[str, str]]:
    with pytest.raises(CharterError) as caught:
        load_charter(write_charter(tmp_path, **replacements))
    return [(problem.key, problem.message) for problem in caught.value.problems]


def keys_of(tmp_path: Path, **replacements: str) -> list[str]:
    return [key for key, _ in problems_of(tmp_path, **replacements)]


def test_the_builder_charter_loads(tmp_path):
    charter = load_charter(write_charter(tmp_path))
    assert charter.id == "acme"
    assert charter.weekly_hours[0] == (OpeningInterval(datetime.time(9), datetime.time(12)),
                                       OpeningInterval(datetime.time(13), datetime.time(17)))
    assert 2 not in charter.weekly_hours
    assert charter.customer_hours == charter.weekly_hours


def test_a_charter_loads_by_preset_id_or_by_path():
    assert load_charter("exer") == load_charter(Path(__file__).resolve().parents[3] / "portal/charters/exer.toml")


def test_the_presets_are_listed_with_example_first():
    assert list_presets() == ("example", "exer", "graitec", "produsoft", "systell", "techtra")


def test_an_unknown_preset_is_reported_with_the_known_ones():
    with pytest.raises(CharterError, match="no such charter; presets: example"):
        load_charter("acme")


def test_a_missing_file_is_reported():
    with pytest.raises(CharterError, match="cannot be read"):
        load_charter("/nowhere/acme.toml")


def test_a_file_that_is_not_toml_is_reported_with_the_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('id = "acme\n', encoding="utf-8")
    with pytest.raises(CharterError, match=r"is not valid TOML: .*line 1"):
        load_charter(path)


def test_every_problem_names_the_file(tmp_path):
    path = write_charter(tmp_path, hours='[hours]\nmonday = ["12:00-09:00"]', timezone='timezone = "Mars/Base"')
    with pytest.raises(CharterError) as caught:
        load_charter(path)
    assert len(caught.value.problems) == 2
    assert all(problem.file == str(path) for problem in caught.value.problems)
    assert str(path) in str(caught.value)


def test_an_interval_that_ends_before_it_starts_is_reported_with_its_key(tmp_path):
    assert problems_of(tmp_path, hours='[hours]\nmonday = ["09:00-12:00", "17:00-13:00"]') == [
        ("hours.monday[1]", "interval '17:00-13:00' ends before it starts")]


def test_an_empty_interval_is_reported(tmp_path):
    assert keys_of(tmp_path, hours='[hours]\ntuesday = ["09:00-09:00"]') == ["hours.tuesday[0]"]


def test_overlapping_intervals_are_reported(tmp_path):
    assert problems_of(tmp_path, hours='[hours]\nmonday = ["13:00-17:00", "09:00-13:30"]') == [
        ("hours.monday[0]", "interval 13:00-17:00 overlaps 09:00-13:30")]


def test_intervals_that_touch_do_not_overlap_and_are_kept_in_time_order(tmp_path):
    charter = load_charter(write_charter(tmp_path, hours='[hours]\nmonday = ["13:00-17:00", "09:00-13:00"]'))
    assert [str(interval) for interval in charter.weekly_hours[0]] == ["09:00-13:00", "13:00-17:00"]


@pytest.mark.parametrize("interval", ["9:00-12:00", "09:00 - 12:00", "25:00-26:00", "09:60-10:00", "nine-ten"])
def test_a_badly_written_time_is_reported(tmp_path, interval):
    assert keys_of(tmp_path, hours=f'[hours]\nmonday = ["{interval}"]') == ["hours.monday[0]"]


def test_an_unknown_weekday_is_reported_as_an_unknown_key_with_a_suggestion(tmp_path):
    assert problems_of(tmp_path, hours='[hours]\nmonady = ["09:00-12:00"]') == [
        ("hours.monady", "unknown key; did you mean 'monday'?")]


def test_an_unknown_tier_in_a_commitment_is_reported(tmp_path):
    assert problems_of(tmp_path, commitments='[commitments.platinum]\n1 = { kind = "none" }') == [
        ("commitments.platinum", "unknown tier 'platinum'; tiers: gold, none")]


@pytest.mark.parametrize("severity", ["0", "5"])
def test_a_severity_outside_one_to_four_is_reported(tmp_path, severity):
    assert problems_of(tmp_path, commitments=f'[commitments.gold]\n{severity} = {{ kind = "none" }}') == [
        (f"commitments.gold.{severity}", "severity must be 1, 2, 3 or 4")]


def test_an_unknown_commitment_kind_is_reported(tmp_path):
    assert keys_of(tmp_path, commitments='[commitments.gold]\n1 = { kind = "asap" }') == ["commitments.gold.1.kind"]


def test_a_business_hours_commitment_without_hours_is_reported(tmp_path):
    assert keys_of(tmp_path, commitments='[commitments.gold]\n1 = { kind = "business_hours" }') == [
        "commitments.gold.1.hours"]


def test_a_commitment_for_a_tier_that_may_not_open_requests_is_reported(tmp_path):
    assert keys_of(tmp_path, commitments='[commitments.none]\n1 = { kind = "business_days", days = 2 }') == [
        "commitments.none.1"]


def test_an_unknown_holiday_country_is_reported(tmp_path):
    assert problems_of(tmp_path, holidays='[holidays]\ncountry = "XX"') == [
        ("holidays.country", "unknown holiday country 'XX' (an ISO code such as 'FR')")]


def test_an_unknown_holiday_subdivision_is_reported(tmp_path):
    key, message = problems_of(tmp_path, holidays='[holidays]\ncountry = "CA"\nsubdivision = "XX"')[0]
    assert key == "holidays.subdivision" and message.startswith("unknown subdivision 'XX' of CA; known: AB")


def test_a_known_holiday_subdivision_loads(tmp_path):
    charter = load_charter(write_charter(tmp_path, holidays='[holidays]\ncountry = "CA"\nsubdivision = "QC"'))
    assert (charter.holiday_country, charter.holiday_subdivision) == ("CA", "QC")


def test_extra_closed_dates_are_read_and_sorted(tmp_path):
    charter = load_charter(write_charter(
        tmp_path, holidays='[holidays]\ncountry = "FR"\nextra_closed_dates = [2026-12-31, 2026-12-24]'))
    assert charter.extra_closed_dates == (datetime.date(2026, 12, 24), datetime.date(2026, 12, 31))


def test_an_unknown_time_zone_is_reported(tmp_path):
    assert problems_of(tmp_path, timezone='timezone = "Europe/Pariss"') == [
        ("timezone", "unknown time zone 'Europe/Pariss'; use an IANA name such as 'Europe/Paris'")]


def test_a_missing_translation_is_reported_with_its_language(tmp_path):
    tiers = ('[[tiers]]\nid = "gold"\nlabel = { fr = "Or", en = "Gold" }\nmay_open_requests = true\n'
             'channels = ["web"]')
    assert problems_of(tmp_path, tiers=tiers, commitments="") == [("tiers[0].label.nl", "translation is missing")]


def test_a_text_given_as_a_plain_string_is_reported(tmp_path):
    tiers = '[[tiers]]\nid = "gold"\nlabel = "Gold"\nmay_open_requests = true\nchannels = ["web"]'
    assert keys_of(tmp_path, tiers=tiers, commitments="") == ["tiers[0].label"]


def test_a_misspelt_key_is_reported_as_unknown(tmp_path):
    assert problems_of(tmp_path, top_typo='timezon = "Europe/Paris"') == [
        ("timezon", "unknown key; did you mean 'timezone'?")]


def test_a_misspelt_key_inside_a_tier_is_reported_with_its_path(tmp_path):
    tiers = (f'[[tiers]]\nid = "gold"\nlabel = {TEXT}\nmay_open_requests = true\nchannels = ["web"]\n'
             "remote_suport = true")
    assert problems_of(tmp_path, tiers=tiers, commitments="") == [
        ("tiers[0].remote_suport", "unknown key; did you mean 'remote_support'?")]


def test_a_missing_required_key_is_reported(tmp_path):
    assert ("timezone", "is missing") in problems_of(tmp_path, timezone="")


def test_duplicate_tier_ids_are_reported(tmp_path):
    tier = f'[[tiers]]\nid = "gold"\nlabel = {TEXT}\nmay_open_requests = true\nchannels = ["web"]'
    assert problems_of(tmp_path, tiers=f"{tier}\n{tier}") == [("tiers[1].id", "duplicate tier id 'gold'")]


def test_an_unknown_channel_is_reported(tmp_path):
    tiers = f'[[tiers]]\nid = "gold"\nlabel = {TEXT}\nmay_open_requests = true\nchannels = ["fax"]'
    assert keys_of(tmp_path, tiers=tiers) == ["tiers[0].channels[0]"]


def test_an_unknown_version_policy_kind_is_reported(tmp_path):
    assert problems_of(tmp_path, version_policy='[version_policy]\nkind = "latest"')[0] == (
        "version_policy.kind",
        "unknown value 'latest'; expected one of: current_only, n_minus, previous_for_months, all_releases")


def test_a_months_policy_without_months_is_reported(tmp_path):
    assert keys_of(tmp_path, version_policy='[version_policy]\nkind = "previous_for_months"') == [
        "version_policy.months"]


def test_an_unsupported_version_may_only_allow_known_categories(tmp_path):
    policy = '[version_policy]\nkind = "current_only"\nunsupported_allows = ["questions"]'
    assert keys_of(tmp_path, version_policy=policy) == ["version_policy.unsupported_allows[0]"]


def test_a_choice_fact_needs_choices(tmp_path):
    fact = f'[[facts]]\nid = "os"\nlabel = {TEXT}\nkind = "choice"\nrequired = true'
    assert keys_of(tmp_path, facts=fact) == ["facts[0].choices"]


def test_a_fact_for_an_unknown_category_is_reported(tmp_path):
    fact = f'[[facts]]\nid = "os"\nlabel = {TEXT}\nkind = "text"\nrequired = true\ncategories = ["bugs"]'
    assert keys_of(tmp_path, facts=fact) == ["facts[0].categories[0]"]


def test_a_remote_tool_for_an_unknown_tier_is_reported(tmp_path):
    tool = '[[remote_tools]]\nid = "tv"\nname = "TeamViewer"\ntiers = ["silver"]'
    assert keys_of(tmp_path, remote_tools=tool) == ["remote_tools[0].tiers[0]"]


def test_a_survey_threshold_must_lie_below_the_scale(tmp_path):
    survey = f"[survey]\nenabled = true\nscale = 5\ndissatisfied_at_or_below = 5\nquestion = {TEXT}"
    assert keys_of(tmp_path, survey=survey) == ["survey.dissatisfied_at_or_below"]


def test_a_reminder_must_come_before_the_close_it_announces(tmp_path):
    closure = "[closure]\nawaiting_customer_business_days = 3\nawaiting_customer_reminder_business_days = 3"
    assert keys_of(tmp_path, closure=closure) == ["closure.awaiting_customer_reminder_business_days"]


def test_a_bad_line_email_is_reported(tmp_path):
    vendor = '[vendor]\nname = "Acme"\n[vendor.line_emails]\ncam = "not-an-address"'
    assert keys_of(tmp_path, vendor=vendor) == ["vendor.line_emails.cam"]


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    keys = keys_of(
        tmp_path,
        timezone='timezone = "Nowhere/City"',
        holidays='[holidays]\ncountry = "XX"',
        hours='[hours]\nmonday = ["12:00-09:00", "10:00-11:00", "10:30-11:30"]',
        commitments='[commitments.platinum]\n9 = { kind = "none" }',
        version_policy='[version_policy]\nkind = "latest"',
    )
    assert keys == ["timezone", "holidays.country", "hours.monday[0]", "hours.monday[2]", "commitments.platinum",
                    "version_policy.kind"]


def test_a_commitment_left_out_commits_to_nothing(tmp_path):
    """Rule G1: a charter without a numeric commitment shows no due time."""
    charter = load_charter(write_charter(tmp_path))
    assert charter.commitment("gold", 1) == Commitment("business_hours", 4.0)
    assert charter.commitment("gold", 2) == Commitment("none")
    assert not charter.commitment("gold", 2).is_committed


def test_asking_for_an_unknown_tier_raises_unknown_tier(tmp_path):
    charter = load_charter(write_charter(tmp_path))
    with pytest.raises(UnknownTier, match="unknown tier 'silver' \\(tiers: gold, none\\)"):
        charter.commitment("silver", 1)
    with pytest.raises(KeyError):
        charter.tier("silver")


def test_a_text_falls_back_to_the_default_language():
    text = Text.of("nl", fr="Bonjour", nl="Hallo")
    assert text.get("fr") == "Bonjour"
    assert text.get("en") == "Hallo"
    assert text.get() == "Hallo"
    assert dict(text) == {"fr": "Bonjour", "nl": "Hallo"}


def test_parse_charter_takes_an_already_parsed_document():
    document = tomllib.loads(make_charter_toml())
    assert parse_charter(document, "inline").id == "acme"


def test_the_holiday_regions_snapshot_matches_the_installed_holidays_package():
    """The start-up check reads a snapshot; it must say what the `holidays` package knows."""
    import json

    from portal.domain.holiday_regions import SNAPSHOT, build_regions

    assert json.loads(SNAPSHOT.read_text()) == build_regions(), \
        "rebuild it: python -m portal.domain.holiday_regions"


def test_loading_a_charter_does_not_import_the_holidays_package():
    """A Lambda cold start reads the charter without importing holiday data."""
    import subprocess
    import sys

    code = ("import sys; from portal.domain.charter import load_charter; load_charter('example'); "
            "sys.exit(1 if 'holidays' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
