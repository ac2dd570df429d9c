"""The countries and subdivisions the `holidays` package knows, kept as a small JSON snapshot so that a
charter is checked at start-up without importing every country's holiday module (a slow Lambda start).

A test rebuilds the snapshot from the installed `holidays` and fails when they differ; rebuild it with
`python -m portal.domain.holiday_regions`.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent / "holiday_regions.json"


@functools.cache
def known_regions() -> dict[str, dict]:
    """{alpha-2 code: {"alpha3": code, "subdivisions": [...]}} from the snapshot."""
    return json.loads(SNAPSHOT.read_text())


def find_country(code: str) -> str | None:
    """The alpha-2 code of a country given by its alpha-2 or alpha-3 code, or None when unknown."""
    regions = known_regions()
    if code in regions:
        return code
    return next((alpha2 for alpha2, entry in regions.items() if entry["alpha3"] == code), None)


def build_regions() -> dict[str, dict]:
    """Read every country and its subdivisions (with their aliases) from the installed `holidays`."""
    import importlib

    from holidays.registry import COUNTRIES

    regions = {}
    for module, (class_name, alpha2, alpha3, *_rest) in COUNTRIES.items():
        country = getattr(importlib.import_module(f"holidays.countries.{module}"), class_name)
        subdivisions = set(getattr(country, "subdivisions", ()) or ())
        subdivisions |= set((getattr(country, "_get_subdivision_aliases", dict)() or {}).keys())
        regions[alpha2] = {"alpha3": alpha3, "subdivisions": sorted(subdivisions)}
    return dict(sorted(regions.items()))


if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(build_regions(), indent=0, sort_keys=True) + "\n")
    print(f"wrote {SNAPSHOT.name}")
