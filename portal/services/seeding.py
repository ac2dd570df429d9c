"""Load the demo data once, into empty tables only (`portal db seed-demo`, `make run`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.services.demo import build_demo


@dataclass(frozen=True)
class SeedResult:
    loaded: bool
    counts: dict
    logins: tuple[tuple[str, str, str], ...]


def _contract_tiers(charter) -> list[str]:
    return [tier.id for tier in charter.tiers if tier.may_open_requests]


def demo_logins(charter, today: date) -> tuple[tuple[str, str, str], ...]:
    """The demo logins to print (who, e-mail, password); they follow from the charter's tiers."""
    return build_demo(_contract_tiers(charter), [], today, hash_password=lambda password: "").logins


def seed_demo_data(storage, charter, catalog_document: dict, today: date, hash_password=None) -> SeedResult:
    """Write the demo companies, people, contracts, catalog and installations unless already loaded."""
    from portal.domain.catalog import parse_catalog

    if storage.accounts.demo_loaded():
        return SeedResult(False, {}, demo_logins(charter, today))
    if hash_password is None:
        from portal.adapters.passwords import hash_password
    catalog = parse_catalog(catalog_document)
    products = [(product.id, [release.version for release in product.releases]) for product in catalog.products]
    demo = build_demo(_contract_tiers(charter), products, today, hash_password)
    storage.catalog.save(catalog)
    storage.accounts.save_demo(demo)
    counts = {"companies": len(demo.companies), "contacts": len(demo.contacts), "staff": len(demo.staff),
              "contracts": len(demo.contracts), "installations": len(demo.installations),
              "products": len(catalog.products)}
    return SeedResult(True, counts, demo.logins)
