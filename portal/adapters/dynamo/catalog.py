"""The product catalog (products and their releases) as one item collection: one query reads it all."""

from __future__ import annotations

import logging
import time

from pynamodb.exceptions import UpdateError

from portal.adapters.dynamo.errors import dynamo_errors, is_condition_failure
from portal.adapters.dynamo.models import CatalogItem, ProductModel, ReleaseModel
from portal.domain.catalog import Catalog, CatalogError, parse_catalog
from portal.domain.errors import BackendUnavailable

log = logging.getLogger("portal.catalog")

CATALOG = "catalog"
CATALOG_KEPT_SECONDS = 60.0  # the catalog changes by import only: an import reaches running instances within a minute


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _set_or_remove(attribute, value):
    return attribute.set(value) if value is not None else attribute.remove()


def product_key(product_id: str) -> str:
    return f"PRODUCT#{product_id}"


def release_key(product_id: str, version: str) -> str:
    """A release's key: by product and version, so that a corrected release date rewrites the same item."""
    return f"RELEASE#{product_id}#{version}"


def former_release_key(product_id: str, released: str, version: str) -> str:
    """The key releases had before (with the release date): read until the next import rewrites them."""
    return f"RELEASE#{product_id}#{released}#{version}"


def _is_current_layout(item: ReleaseModel) -> bool:
    return item.sk == release_key(item.product_id, item.version)


class StoredCatalogUnreadable(BackendUnavailable):
    """The stored catalog does not read as a catalog (CatalogError): pages answer 503 until it is imported again."""


class CatalogRepository:
    """Products and releases; `documents()` returns the catalog in its JSON shape (one Query)."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._kept: tuple[float, Catalog] | None = None  # (read at, catalog): what `catalog()` read last

    @dynamo_errors
    def save(self, catalog: Catalog) -> None:
        """Make the stored catalog the imported one (saving twice changes nothing): each product and release written
        under its key, a release keeping the phase the obsolescence check recorded (T9, T11), the products and
        releases no longer in the file deleted, releases under the former key layout rewritten (phase carried)."""
        self._kept = None
        stored = list(CatalogItem.query(CATALOG))
        releases: dict[tuple[str, str], ReleaseModel] = {}  # by (product, version); the current layout first
        for item in sorted((item for item in stored if isinstance(item, ReleaseModel)), key=_is_current_layout):
            releases[(item.product_id, item.version)] = item
        kept: set[str] = set()
        updates = []
        with CatalogItem.batch_write() as batch:
            for product in catalog.products:
                kept.add(product_key(product.id))
                batch.save(ProductModel(CATALOG, product_key(product.id), product_id=product.id,
                                        name=product.name, line=product.line))
                for position, release in enumerate(product.releases):  # date order, same-day ones in file order
                    key = release_key(product.id, release.version)
                    kept.add(key)
                    found = releases.get((product.id, release.version))
                    if found is not None and _is_current_layout(found):
                        updates.append((key, product.id, release, position))
                        continue
                    item = ReleaseModel(CATALOG, key, product_id=product.id, version=release.version,
                                        released=release.released.isoformat(), withdrawn=_iso(release.withdrawn),
                                        support_ends=_iso(release.support_ends), position=position)
                    if found is not None:  # stored under the former key: its recorded phase is carried over
                        item.phase, item.phase_since = found.phase, found.phase_since
                        item.withdrawn_recorded = found.withdrawn_recorded
                    batch.save(item)
            for item in stored:
                if item.sk not in kept:
                    batch.delete(item)
        for key, product_id, release, position in updates:
            ReleaseModel(CATALOG, key).update(actions=[
                ReleaseModel.product_id.set(product_id), ReleaseModel.version.set(release.version),
                ReleaseModel.released.set(release.released.isoformat()), ReleaseModel.position.set(position),
                _set_or_remove(ReleaseModel.withdrawn, _iso(release.withdrawn)),
                _set_or_remove(ReleaseModel.support_ends, _iso(release.support_ends))])

    @dynamo_errors
    def recorded_phases(self) -> dict[tuple[str, str], tuple[str | None, bool]]:
        """Each release's lifecycle phase and withdrawal as last recorded, by (product, version): one query."""
        items = [item for item in CatalogItem.query(CATALOG, CatalogItem.sk.startswith("RELEASE#"))
                 if isinstance(item, ReleaseModel)]
        return {(item.product_id, item.version): (item.phase, bool(item.withdrawn_recorded))
                for item in sorted(items, key=_is_current_layout)}  # the current key layout wins

    @dynamo_errors
    def record_phase(self, product_id: str, released, version: str, previous: str | None, phase: str,
                     withdrawn: bool, on) -> bool:
        """Record a release's new phase (T9) and withdrawal from sale (T11) if the recorded phase is still
        `previous` (one conditional update; a release still stored under the former key layout, a second one):
        True when this call recorded it."""
        expected = ReleaseModel.phase == previous if previous else ReleaseModel.phase.does_not_exist()
        actions = [ReleaseModel.phase.set(phase), ReleaseModel.phase_since.set(on.isoformat()),
                   ReleaseModel.withdrawn_recorded.set(withdrawn)]
        for key in (release_key(product_id, version), former_release_key(product_id, released.isoformat(), version)):
            try:
                ReleaseModel(CATALOG, key).update(actions=actions, condition=ReleaseModel.sk.exists() & expected)
            except UpdateError as error:
                if is_condition_failure(error):
                    continue
                raise
            return True
        return False

    def catalog(self) -> Catalog:
        """The catalog as domain values, read with one query and then kept for CATALOG_KEPT_SECONDS, so that the
        pages and filings of an instance do not read it again each time (it changes by `portal catalog import`).

        :raise StoredCatalogUnreadable: a stored catalog that does not read (a BackendUnavailable: pages answer 503).
        """
        now, kept = self._clock(), self._kept
        if kept is not None and now - kept[0] < CATALOG_KEPT_SECONDS:
            return kept[1]
        try:
            catalog = parse_catalog(self.document(), source="database")
        except CatalogError as error:
            log.error("stored catalog unreadable: %s", error)
            raise StoredCatalogUnreadable("catalog", "; ".join(error.problems)) from error
        self._kept = (now, catalog)
        return catalog

    @dynamo_errors
    def document(self) -> dict:
        """The whole catalog in the JSON format of `portal catalog import`, read with one query."""
        products: dict[str, dict] = {}
        releases: dict[tuple[str, str], ReleaseModel] = {}
        for item in CatalogItem.query(CATALOG):
            if isinstance(item, ProductModel):
                products[item.product_id] = {"id": item.product_id, "name": item.name, "releases": []}
                if item.line:
                    products[item.product_id]["line"] = item.line
            # one release per (product, version): under the current key layout if also under the former one
            elif isinstance(item, ReleaseModel) and (
                    _is_current_layout(item) or (item.product_id, item.version) not in releases):
                releases[(item.product_id, item.version)] = item
        # in date order, same-day releases in their place in the imported file (the former layout has none)
        ordered = sorted(releases.values(), key=lambda release: (release.released, release.position is None,
                                                                  release.position or 0))
        for release in ordered:
            if release.product_id in products:
                entry = {"version": release.version, "released": release.released}
                entry.update({key: value for key in ("withdrawn", "support_ends")
                              if (value := getattr(release, key))})
                products[release.product_id]["releases"].append(entry)
        return {"products": list(products.values())}
