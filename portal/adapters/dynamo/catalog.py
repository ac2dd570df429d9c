"""The product catalog (products and their releases) as one item collection: one query reads it all."""

from __future__ import annotations

import time

from pynamodb.exceptions import UpdateError

from portal.adapters.dynamo.errors import dynamo_errors, is_condition_failure
from portal.adapters.dynamo.models import CatalogItem, ProductModel, ReleaseModel
from portal.domain.catalog import Catalog, parse_catalog

CATALOG = "catalog"
CATALOG_KEPT_SECONDS = 60.0  # the catalog changes by import only: an import reaches running instances within a minute


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def product_key(product_id: str) -> str:
    return f"PRODUCT#{product_id}"


def release_key(product_id: str, released: str, version: str) -> str:
    return f"RELEASE#{product_id}#{released}#{version}"


class CatalogRepository:
    """Products and releases; `documents()` returns the catalog in its JSON shape (one Query)."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._kept: tuple[float, Catalog] | None = None  # (read at, catalog): what `catalog()` read last

    @dynamo_errors
    def save(self, catalog: Catalog) -> None:
        """Write every product and release of a catalog (same keys: saving twice changes nothing)."""
        self._kept = None
        with CatalogItem.batch_write() as batch:
            for product in catalog.products:
                batch.save(ProductModel(CATALOG, product_key(product.id), product_id=product.id,
                                        name=product.name, line=product.line))
                for release in product.releases:
                    released = release.released.isoformat()
                    batch.save(ReleaseModel(CATALOG, release_key(product.id, released, release.version),
                                            product_id=product.id, version=release.version, released=released,
                                            withdrawn=_iso(release.withdrawn),
                                            support_ends=_iso(release.support_ends)))

    @dynamo_errors
    def recorded_phases(self) -> dict[tuple[str, str], tuple[str | None, bool]]:
        """Each release's lifecycle phase and withdrawal as last recorded, by (product, version): one query."""
        return {(item.product_id, item.version): (item.phase, bool(item.withdrawn_recorded))
                for item in CatalogItem.query(CATALOG, CatalogItem.sk.startswith("RELEASE#"))
                if isinstance(item, ReleaseModel)}

    @dynamo_errors
    def record_phase(self, product_id: str, released, version: str, previous: str | None, phase: str,
                     withdrawn: bool, on) -> bool:
        """Record a release's new phase (T9) and withdrawal from sale (T11) if the recorded phase is still
        `previous` (one conditional update): True when this call recorded it."""
        item = ReleaseModel(CATALOG, release_key(product_id, released.isoformat(), version))
        expected = ReleaseModel.phase == previous if previous else ReleaseModel.phase.does_not_exist()
        try:
            item.update(actions=[ReleaseModel.phase.set(phase), ReleaseModel.phase_since.set(on.isoformat()),
                                 ReleaseModel.withdrawn_recorded.set(withdrawn)],
                        condition=ReleaseModel.sk.exists() & expected)
        except UpdateError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def catalog(self) -> Catalog:
        """The catalog as domain values, read with one query and then kept for CATALOG_KEPT_SECONDS, so that the
        pages and filings of an instance do not read it again each time (it changes by `portal catalog import`)."""
        now, kept = self._clock(), self._kept
        if kept is not None and now - kept[0] < CATALOG_KEPT_SECONDS:
            return kept[1]
        catalog = parse_catalog(self.document(), source="database")
        self._kept = (now, catalog)
        return catalog

    @dynamo_errors
    def document(self) -> dict:
        """The whole catalog in the JSON format of `portal catalog import`, read with one query."""
        products: dict[str, dict] = {}
        releases = []
        for item in CatalogItem.query(CATALOG):
            if isinstance(item, ProductModel):
                products[item.product_id] = {"id": item.product_id, "name": item.name, "releases": []}
                if item.line:
                    products[item.product_id]["line"] = item.line
            elif isinstance(item, ReleaseModel):
                releases.append(item)
        for release in releases:
            if release.product_id in products:
                entry = {"version": release.version, "released": release.released}
                entry.update({key: value for key in ("withdrawn", "support_ends")
                              if (value := getattr(release, key))})
                products[release.product_id]["releases"].append(entry)
        return {"products": list(products.values())}
