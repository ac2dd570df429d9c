"""`portal charter list|check|show` and `portal lifecycle`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from portal.cli import main

PRESETS = Path(__file__).resolve().parents[3] / "portal" / "charters"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def write_catalog(tmp_path: Path, **product_overrides) -> Path:
    product = {"id": "alpha", "name": "Alpha CAM", "releases": [
        {"version": "2026.1", "released": "2026-03-09"},
        {"version": "2024.1", "released": "2024-03-11"},
        {"version": "2025.1", "released": "2025-03-10"},
    ], **product_overrides}
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"products": [product]}), encoding="utf-8")
    return path


def broken_charter(tmp_path: Path) -> Path:
    text = (PRESETS / "exer.toml").read_text(encoding="utf-8")
    text = text.replace('"09:00-12:30", "14:00-18:00"]', '"12:30-09:00", "14:00-18:00"]', 1)
    text = text.replace('timezone = "Europe/Paris"', 'timezone = "Europe/Pariss"')
    text = text.replace('[commitments.premium]', '[commitments.gold]')
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_charter_is_listed_in_the_portal_help():
    result = run("--help")
    assert "charter" in result.output and "lifecycle" in result.output


def test_charter_list_names_every_preset_with_the_example_first():
    result = run("charter", "list")
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.output.splitlines()] == [
        "example", "exer", "graitec", "produsoft", "systell", "techtra"]
    assert "Exer Datacom" in result.output


def test_charter_check_says_ok_for_a_valid_file():
    result = run("charter", "check", str(PRESETS / "techtra.toml"))
    assert result.exit_code == 0
    assert "ok (charter 'techtra', 3 tiers)" in result.output


def test_charter_check_exits_1_and_lists_every_problem(tmp_path):
    path = broken_charter(tmp_path)
    result = run("charter", "check", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{path}: timezone: unknown time zone 'Europe/Pariss'; use an IANA name such as 'Europe/Paris'",
        f"{path}: hours.monday[0]: interval '12:30-09:00' ends before it starts",
        f"{path}: commitments.gold: unknown tier 'gold'; tiers: premium, standard, none",
    ]
    assert "3 problems" in result.stderr


def test_charter_check_of_a_missing_file_exits_2(tmp_path):
    result = run("charter", "check", str(tmp_path / "none.toml"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "cannot be read" in result.stderr


def test_charter_show_summarises_hours_with_lunch_breaks_tiers_and_commitments():
    result = run("charter", "show", "exer")
    assert result.exit_code == 0
    out = result.output
    assert "Monday     09:00-12:30  14:00-18:00" in out
    assert "Saturday   closed" in out
    assert "Public holidays: FR" in out
    assert out.index("1. premium") < out.index("2. standard") < out.index("3. none")
    assert "  4         12 business hours  no commitment" in out
    assert "Version policy: current version only" in out
    assert "Professional Services: blocks of 1 h, 5 h, 10 h, 20 h" in out


def test_charter_show_states_the_closure_rules():
    """Rules S11-S14."""
    out = run("charter", "show", "systell").output
    assert ("Closure: after 3 failed contact attempts within 2 business days; when the customer has not replied "
            "for 3 business days (reminder 1 business day before); while files are awaited (reopened when they "
            "arrive); by mutual agreement") in out


def test_charter_show_gives_the_target_beside_the_end_of_day_commitment():
    """Rule T3."""
    out = run("charter", "show", "techtra").output
    assert "end of business day (target 2 h)" in out
    assert "Public holidays: CA-QC" in out
    assert "Director review of requests open 10 business days" in out


def test_charter_show_uses_the_language_asked():
    assert "Zonder contract" in run("charter", "show", "example", "--lang", "nl").output


def test_charter_show_of_an_unknown_charter_exits_2_with_one_line():
    result = run("charter", "show", "acme")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "no such charter" in result.stderr


def test_charter_show_of_an_invalid_charter_exits_2_with_one_line(tmp_path):
    result = run("charter", "show", str(broken_charter(tmp_path)))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "is invalid (3 problems)" in result.stderr


def test_lifecycle_prints_one_json_object_per_release_in_date_order(tmp_path):
    """Rules T9, T11."""
    result = run("lifecycle", "--charter", "techtra", "--catalog", str(write_catalog(tmp_path)), "--at", "2025-06-01")
    assert result.exit_code == 0
    assert json.loads(result.output) == [
        {"product": "alpha", "version": "2024.1", "released": "2024-03-11", "supported": True, "phase": "previous",
         "support_ends": "2025-09-10", "withdrawn_from_sale": True},
        {"product": "alpha", "version": "2025.1", "released": "2025-03-10", "supported": True, "phase": "current",
         "support_ends": None, "withdrawn_from_sale": False},
        {"product": "alpha", "version": "2026.1", "released": "2026-03-09", "supported": False, "phase": "upcoming",
         "support_ends": None, "withdrawn_from_sale": False},
    ]


def test_lifecycle_follows_the_charters_policy(tmp_path):
    """Rule E8."""
    result = run("lifecycle", "--charter", "exer", "--catalog", str(write_catalog(tmp_path)), "--at", "2026-03-09")
    assert [(item["version"], item["supported"]) for item in json.loads(result.output)] == [
        ("2024.1", False), ("2025.1", False), ("2026.1", True)]


def test_lifecycle_with_a_bad_date_exits_2(tmp_path):
    result = run("lifecycle", "--charter", "exer", "--catalog", str(write_catalog(tmp_path)), "--at", "01/06/2025")
    assert result.exit_code == 2
    assert result.stderr == "error: --at must be a date YYYY-MM-DD, not '01/06/2025'\n"


def test_lifecycle_with_an_unknown_charter_exits_2(tmp_path):
    result = run("lifecycle", "--charter", "acme", "--catalog", str(write_catalog(tmp_path)), "--at", "2025-06-01")
    assert result.exit_code == 2 and "no such charter" in result.stderr


def test_lifecycle_with_a_bad_catalog_exits_2_with_one_line(tmp_path):
    path = write_catalog(tmp_path, releases=[{"version": "1", "released": "soon"}, {"version": "2"}])
    result = run("lifecycle", "--charter", "exer", "--catalog", str(path), "--at", "2025-06-01")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "products[0].releases[0].released: must be a date YYYY-MM-DD, not 'soon' (and 1 more)" in result.stderr


def test_lifecycle_with_a_missing_catalog_exits_2(tmp_path):
    result = run("lifecycle", "--charter", "exer", "--catalog", str(tmp_path / "none.json"), "--at", "2025-06-01")
    assert result.exit_code == 2 and "cannot be read" in result.stderr
