"""Version lifecycle: which releases of a product are supported at a date, under a charter's policy.

Releases are ordered by release date (never by version string); only releases out on the date
count, so the newest of them is the current one. Phases:
- `current`: the newest release out on that date;
- `previous`: an older release that is still supported;
- `ended`: an older release that is no longer supported;
- `upcoming`: a release whose date is still to come (not supported yet).

`support_ends` is the first day without support: a release is supported on the days before it.
It is None while the end is not known (the current release, or an N-1 release whose end waits for
the next release).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from portal.domain.catalog import Catalog, Product, Release
from portal.domain.charter import VersionPolicy

CURRENT, PREVIOUS, ENDED, UPCOMING = "current", "previous", "ended", "upcoming"


class UnknownVersion(KeyError):
    """The product has no release with this version."""

    def __init__(self, product_id: str, version: str):
        super().__init__(version)
        self.product_id = product_id
        self.version = version

    def __str__(self) -> str:
        return f"{self.product_id} has no version {self.version!r}"


@dataclass(frozen=True)
class ReleaseStatus:
    product: str
    version: str
    released: datetime.date
    supported: bool
    phase: str  # current | previous | ended | upcoming
    support_ends: datetime.date | None  # first day without support; None when not known
    withdrawn_from_sale: bool  # rule T11

    def as_json(self) -> dict:
        return {"product": self.product, "version": self.version, "released": self.released.isoformat(),
                "supported": self.supported, "phase": self.phase,
                "support_ends": self.support_ends.isoformat() if self.support_ends else None,
                "withdrawn_from_sale": self.withdrawn_from_sale}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months later, or the month's last day when it is shorter (31 Aug + 6 = 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def lifecycle(policy: VersionPolicy, product: Product, at: datetime.date) -> tuple[ReleaseStatus, ...]:
    """The status of each release of a product on a date, oldest first (rules E8, G6, T9, T11)."""
    releases = sorted(product.releases, key=lambda release: release.released)
    out = [release for release in releases if release.released <= at]
    statuses = []
    for release in releases:
        if release.released > at:
            statuses.append(ReleaseStatus(product.id, release.version, release.released, False, UPCOMING, None,
                                          _withdrawn(release, at, False)))
            continue
        position = out.index(release)
        newer = out[position + 1:]  # the releases out after this one, oldest first
        supported, ends = _policy_support(policy, newer, at)
        if release.support_ends is not None:  # a published end overrides the policy (rule T12)
            ends = release.support_ends
            supported = at < ends
        phase = ENDED if not supported else PREVIOUS if newer else CURRENT
        statuses.append(ReleaseStatus(product.id, release.version, release.released, supported, phase, ends,
                                      _withdrawn(release, at, policy.withdrawn_on_successor and bool(newer))))
    return tuple(statuses)


def _policy_support(policy: VersionPolicy, newer: list[Release], at: datetime.date):
    """(supported, support_ends) of a release out on `at`, given the releases out after it."""
    if not newer:
        return True, None  # the current release
    if policy.kind == "current_only":  # rule E8
        return False, newer[0].released
    if policy.kind == "n_minus":  # rule G6: the current release and the n before it
        n = policy.n or 1
        if len(newer) <= n:
            return True, None
        return False, newer[n].released
    if policy.kind == "previous_for_months":  # rules T9, T11: N months after its successor's release
        ends = add_months(newer[0].released, policy.months or 0)
        return at < ends, ends
    return True, None  # all_releases: the charter sets no version limit


def _withdrawn(release: Release, at: datetime.date, by_policy: bool) -> bool:
    """Withdrawn from sale once its successor is out (rule T11) or on the catalog's withdrawal date."""
    return by_policy or (release.withdrawn is not None and at >= release.withdrawn)


def release_status(policy: VersionPolicy, product: Product, version: str, at: datetime.date) -> ReleaseStatus:
    """The status of one release on a date.

    :raise UnknownVersion: when the product has no such release.
    """
    for status in lifecycle(policy, product, at):
        if status.version == version:
            return status
    raise UnknownVersion(product.id, version)


def is_supported(policy: VersionPolicy, product: Product, version: str, at: datetime.date) -> bool:
    """Whether a version gets support on a date under the charter's version policy (rules E8, G6, T9)."""
    return release_status(policy, product, version, at).supported


def category_allowed(policy: VersionPolicy, status: ReleaseStatus, category_id: str) -> bool:
    """A supported version may file any category; an unsupported one only what the policy still allows."""
    return status.supported or category_id in policy.unsupported_allows


def versions_to_move_to(policy: VersionPolicy, product: Product, at: datetime.date,
                        from_version: str | None = None) -> tuple[str, ...]:
    """The supported versions a customer can move to, newest first, newer than `from_version` if given (G6).

    :raise UnknownVersion: when `from_version` is not a release of the product.
    """
    statuses = lifecycle(policy, product, at)
    if from_version is not None:
        versions = [status.version for status in statuses]
        if from_version not in versions:
            raise UnknownVersion(product.id, from_version)
        statuses = statuses[versions.index(from_version) + 1:]
    return tuple(status.version for status in reversed(statuses) if status.supported)


def catalog_lifecycle(policy: VersionPolicy, catalog: Catalog, at: datetime.date) -> tuple[ReleaseStatus, ...]:
    """Every release of every product on a date: products in catalog order, releases oldest first."""
    return tuple(status for product in catalog.products for status in lifecycle(policy, product, at))
