"""Version lifecycle at a date under each version policy (rules E8, G6, T9, T11)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.catalog import Catalog, Product, Release
from portal.domain.charter import VersionPolicy, load_charter
from portal.domain.lifecycle import (
    UnknownVersion,
    add_months,
    catalog_lifecycle,
    category_allowed,
    is_supported,
    lifecycle,
    release_status,
    versions_to_move_to,
)

D = datetime.date


def make_product(*releases: tuple[str, str], product_id: str = "alpha", **overrides) -> Product:
    """A product from (version, ISO release date) pairs; three yearly releases by default."""
    pairs = releases or (("2024.1", "2024-03-11"), ("2025.1", "2025-03-10"), ("2026.1", "2026-03-09"))
    built = tuple(Release(version, D.fromisoformat(day), **overrides.get(version, {})) for version, day in pairs)
    return Product(product_id, product_id.title(), tuple(sorted(built, key=lambda release: release.released)))


def make_policy(kind: str = "previous_for_months", **overrides) -> VersionPolicy:
    defaults = {"previous_for_months": {"months": 6, "withdrawn_on_successor": True}, "n_minus": {"n": 1}}
    return VersionPolicy(kind, **{**defaults.get(kind, {}), **overrides})


def phases(policy: VersionPolicy, product: Product, at: str) -> dict[str, tuple[bool, str, str | None]]:
    return {status.version: (status.supported, status.phase,
                             status.support_ends.isoformat() if status.support_ends else None)
            for status in lifecycle(policy, product, D.fromisoformat(at))}


# --- previous version for N months (Techtra) -----------------------------------------------------


def test_the_day_before_its_successor_a_release_is_current():
    """Rule T9."""
    assert phases(make_policy(), make_product(), "2025-03-09")["2024.1"] == (True, "current", None)


def test_on_its_successors_release_day_a_release_becomes_previous_for_six_months():
    """Rule T9: support ends six months after the successor's release."""
    assert phases(make_policy(), make_product(), "2025-03-10")["2024.1"] == (True, "previous", "2025-09-10")
    assert phases(make_policy(), make_product(), "2025-03-11")["2024.1"] == (True, "previous", "2025-09-10")


def test_the_day_before_support_ends_the_previous_release_is_still_supported():
    """Rule T9."""
    assert phases(make_policy(), make_product(), "2025-09-09")["2024.1"] == (True, "previous", "2025-09-10")


def test_on_the_day_support_ends_the_previous_release_is_no_longer_supported():
    """Rule T9: 6 months after the successor's release the version becomes unavailable (T11)."""
    assert phases(make_policy(), make_product(), "2025-09-10")["2024.1"] == (False, "ended", "2025-09-10")


def test_a_release_is_withdrawn_from_sale_as_soon_as_its_successor_is_out():
    """Rule T11."""
    product = make_product()
    assert not release_status(make_policy(), product, "2024.1", D(2025, 3, 9)).withdrawn_from_sale
    assert release_status(make_policy(), product, "2024.1", D(2025, 3, 10)).withdrawn_from_sale
    assert not release_status(make_policy(), product, "2025.1", D(2025, 3, 10)).withdrawn_from_sale


def test_the_techtra_preset_applies_six_months():
    """Rules T9, T11."""
    policy = load_charter("techtra").version_policy
    assert is_supported(policy, make_product(), "2024.1", D(2025, 9, 9))
    assert not is_supported(policy, make_product(), "2024.1", D(2025, 9, 10))


def test_six_months_after_the_end_of_august_is_the_end_of_february():
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)
    assert add_months(D(2025, 11, 15), 3) == D(2026, 2, 15)


def test_an_unsupported_release_may_still_ask_a_question_but_not_report_a_bug():
    """Rules T9, T12: fixes end with support; a question is still answered."""
    policy = load_charter("techtra").version_policy
    ended = release_status(policy, make_product(), "2024.1", D(2026, 1, 1))
    assert category_allowed(policy, ended, "support") and not category_allowed(policy, ended, "bug")


# --- N-1 (Graitec) --------------------------------------------------------------------------------


def test_n_minus_one_supports_the_current_and_the_previous_release():
    """Rule G6."""
    assert phases(make_policy("n_minus"), make_product(), "2026-03-09") == {
        "2024.1": (False, "ended", "2026-03-09"),
        "2025.1": (True, "previous", None),
        "2026.1": (True, "current", None),
    }


def test_under_n_minus_one_a_release_is_supported_until_the_day_its_second_successor_is_out():
    """Rule G6."""
    assert phases(make_policy("n_minus"), make_product(), "2026-03-08")["2024.1"] == (True, "previous", None)
    assert phases(make_policy("n_minus"), make_product(), "2026-03-09")["2024.1"][0] is False


def test_n_is_configurable():
    """Rule G6: N-n."""
    assert phases(make_policy("n_minus", n=2), make_product(), "2026-03-09")["2024.1"] == (True, "previous", None)


def test_the_graitec_preset_applies_n_minus_one():
    """Rule G6."""
    policy = load_charter("graitec").version_policy
    assert [status.supported for status in lifecycle(policy, make_product(), D(2026, 6, 1))] == [False, True, True]


# --- current only (Exer) --------------------------------------------------------------------------


def test_current_only_ends_a_release_the_day_its_successor_is_out():
    """Rule E8."""
    assert phases(make_policy("current_only"), make_product(), "2025-03-09")["2024.1"] == (True, "current", None)
    assert phases(make_policy("current_only"), make_product(), "2025-03-10") == {
        "2024.1": (False, "ended", "2025-03-10"),
        "2025.1": (True, "current", None),
        "2026.1": (False, "upcoming", None),
    }


def test_the_exer_preset_supports_only_the_current_release_and_allows_nothing_else():
    """Rule E8."""
    policy = load_charter("exer").version_policy
    statuses = lifecycle(policy, make_product(), D(2026, 6, 1))
    assert [status.supported for status in statuses] == [False, False, True]
    assert not category_allowed(policy, statuses[0], "incident")


# --- every release --------------------------------------------------------------------------------


def test_a_charter_without_a_version_limit_supports_every_release_out():
    assert phases(make_policy("all_releases"), make_product(), "2030-01-01") == {
        "2024.1": (True, "previous", None), "2025.1": (True, "previous", None), "2026.1": (True, "current", None)}


# --- ordering, overrides, helpers -----------------------------------------------------------------


def test_the_current_release_is_the_newest_by_date_not_by_version_string():
    product = make_product(("9.0", "2024-01-10"), ("10.0", "2025-01-10"))
    assert phases(make_policy("current_only"), product, "2025-06-01")["10.0"] == (True, "current", None)


def test_a_release_not_out_yet_is_upcoming_and_unsupported():
    status = release_status(make_policy(), make_product(), "2026.1", D(2026, 1, 1))
    assert (status.supported, status.phase, status.support_ends) == (False, "upcoming", None)


def test_a_published_end_of_support_overrides_the_policy():
    """Rule T12: the vendor decides for a discontinued version."""
    product = make_product(**{"2024.1": {"support_ends": D(2026, 1, 1)}})
    assert phases(make_policy(), product, "2025-12-31")["2024.1"] == (True, "previous", "2026-01-01")
    assert phases(make_policy(), product, "2026-01-01")["2024.1"] == (False, "ended", "2026-01-01")


def test_a_catalog_withdrawal_date_marks_the_release_withdrawn_from_sale():
    product = make_product(**{"2026.1": {"withdrawn": D(2026, 6, 1)}})
    assert not release_status(make_policy("all_releases"), product, "2026.1", D(2026, 5, 31)).withdrawn_from_sale
    assert release_status(make_policy("all_releases"), product, "2026.1", D(2026, 6, 1)).withdrawn_from_sale


def test_the_versions_to_move_to_are_the_supported_ones_newest_first():
    """Rule G6: some incidents require moving to the latest version."""
    policy = make_policy("n_minus")
    assert versions_to_move_to(policy, make_product(), D(2026, 6, 1)) == ("2026.1", "2025.1")
    assert versions_to_move_to(policy, make_product(), D(2026, 6, 1), from_version="2025.1") == ("2026.1",)


def test_an_unknown_version_is_reported():
    with pytest.raises(UnknownVersion, match="alpha has no version '1.0'"):
        release_status(make_policy(), make_product(), "1.0", D(2026, 1, 1))
    with pytest.raises(KeyError):
        versions_to_move_to(make_policy(), make_product(), D(2026, 1, 1), from_version="1.0")


def test_a_catalog_lists_every_release_of_every_product_in_order():
    catalog = Catalog((make_product(), make_product(("1", "2025-01-01"), product_id="beta")))
    statuses = catalog_lifecycle(make_policy(), catalog, D(2025, 6, 1))
    assert [(status.product, status.version) for status in statuses] == [
        ("alpha", "2024.1"), ("alpha", "2025.1"), ("alpha", "2026.1"), ("beta", "1")]
    assert statuses[0].as_json() == {"product": "alpha", "version": "2024.1", "released": "2024-03-11",
                                     "supported": True, "phase": "previous", "support_ends": "2025-09-10",
                                     "withdrawn_from_sale": True}


release_dates = st.lists(st.dates(D(2015, 1, 1), D(2030, 12, 31)), min_size=1, max_size=6)
policies = st.sampled_from([make_policy(), make_policy("n_minus"), make_policy("n_minus", n=2),
                            make_policy("current_only"), make_policy("all_releases")])


@given(release_dates, st.dates(D(2015, 1, 1), D(2031, 12, 31)), policies)
def test_the_newest_release_out_is_the_one_current_release_and_it_is_always_supported(dates, at, policy):
    """Rules E8, G6, T9: whatever the policy, the newest release out is supported."""
    product = make_product(*((f"v{index}", day.isoformat()) for index, day in enumerate(dates)))
    statuses = lifecycle(policy, product, at)
    current = [status for status in statuses if status.phase == "current"]
    out = [status for status in statuses if status.released <= at]
    assert len(current) == (1 if out else 0)
    if out:
        assert current[0] == out[-1] and current[0].supported  # same-day releases keep the catalog order
    assert all(status.supported == (status.phase in ("current", "previous")) for status in statuses)
    assert all(status.support_ends is None or at < status.support_ends or not status.supported for status in statuses)
