"""Rules P4, G5, E6: each preset charter's required facts are enforced per category, as its seed says, and
nothing the charter does not require is asked for."""

from pathlib import Path

import pytest

from portal.domain.charter import load_charter
from portal.services.intake import check_facts

CHARTERS = Path(__file__).resolve().parents[3] / "portal" / "charters"

# What each seed charter requires before a request is taken, by category (file facts are never blocking).
REQUIRED = {
    "example": {"support": {"description", "version"}, "bug": {"description", "steps", "version"},
                "suggestion": {"description"}},
    "exer": {"incident": {"description", "version"}},  # E6: diagrams, reports and backups are asked, not required
    "graitec": {"support": {"version", "description"}, "bug": {"version", "description"}},  # G5
    "produsoft": {"support": {"company", "phone", "description", "reproduction", "operating_system"},  # P4
                  "bug": {"company", "phone", "description", "reproduction", "operating_system"},
                  "suggestion": {"company", "phone", "description"}},
    "systell": {"support": {"description", "version", "phone"}, "bug": {"description", "version", "phone"}},
    "techtra": {"support": {"description", "version", "documentation_consulted"},
                "bug": {"description", "version", "documentation_consulted"}, "suggestion": {"description"}},
}


def complete_facts(charter, category):
    """Every fact of the category filled with a valid value."""
    return {fact.id: (fact.choices[0].id if fact.choices else "filled") for fact in charter.facts_for(category)}


@pytest.mark.parametrize(("preset", "category"), [(p, c) for p, cats in REQUIRED.items() for c in cats])
def test_each_required_fact_of_a_preset_is_refused_when_missing_and_the_rest_is_optional(preset, category):
    charter = load_charter(CHARTERS / f"{preset}.toml")
    facts = complete_facts(charter, category)
    assert check_facts(charter, category, facts, "2026.1") == {}
    for fact_id in REQUIRED[preset][category]:
        without = {key: value for key, value in facts.items() if key != fact_id}
        version = "" if fact_id == "version" else "2026.1"
        assert check_facts(charter, category, without, version) == {fact_id: "required"}, fact_id
    optional = set(facts) - REQUIRED[preset][category]
    only_required = {key: value for key, value in facts.items() if key not in optional}
    assert check_facts(charter, category, only_required, "2026.1") == {}


def test_every_preset_and_category_is_covered():
    presets = {path.stem for path in CHARTERS.glob("*.toml")}
    assert presets == set(REQUIRED)
    for preset in presets:
        assert {category.id for category in load_charter(CHARTERS / f"{preset}.toml").categories} == \
            set(REQUIRED[preset])


def test_a_choice_outside_the_charters_options_is_refused():
    charter = load_charter(CHARTERS / "techtra.toml")
    facts = complete_facts(charter, "bug") | {"documentation_consulted": "maybe-later"}
    assert check_facts(charter, "bug", facts, "2026.1") == {"documentation_consulted": "invalid_choice"}
