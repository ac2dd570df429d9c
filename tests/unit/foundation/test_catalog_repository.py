"""The stored catalog: one item per release keyed by product and version, imports that replace it, phases kept."""

import datetime

import pytest

from portal.adapters.dynamo.catalog import CATALOG, former_release_key
from portal.adapters.dynamo.models import CatalogItem, ReleaseModel
from portal.domain.catalog import parse_catalog
from portal.domain.charter import load_charter
from portal.domain.errors import BackendUnavailable
from portal.domain.lifecycle import lifecycle
from tests.builders import seeded_app

D = datetime.date


def catalog_of(*releases, product_id="cad"):
    return parse_catalog({"products": [{"id": product_id, "name": "Cad", "releases": [
        {"version": version, "released": released} for version, released in releases]}]})


def reread(storage):
    storage.catalog._kept = None
    return storage.catalog.catalog()


def release_keys(storage):
    return sorted(item.sk for item in CatalogItem.query(CATALOG) if isinstance(item, ReleaseModel))


def test_a_reimport_with_a_corrected_release_date_replaces_the_release(moto_storage):
    moto_storage.catalog.save(catalog_of(("2026.1", "2026-01-15")))
    moto_storage.catalog.save(catalog_of(("2026.1", "2026-01-20")))
    releases = reread(moto_storage).product("cad").releases
    assert [(r.version, r.released) for r in releases] == [("2026.1", D(2026, 1, 20))]
    assert release_keys(moto_storage) == ["RELEASE#cad#2026.1"]


def test_an_import_deletes_the_releases_and_products_no_longer_in_the_file(moto_storage):
    moto_storage.catalog.save(parse_catalog({"products": [
        {"id": "cad", "name": "Cad", "releases": [{"version": "1", "released": "2025-01-01"},
                                                  {"version": "2", "released": "2026-01-01"}]},
        {"id": "old", "name": "Old", "releases": [{"version": "1", "released": "2020-01-01"}]}]}))
    moto_storage.catalog.save(catalog_of(("2", "2026-01-01")))
    catalog = reread(moto_storage)
    assert [p.id for p in catalog.products] == ["cad"]
    assert [r.version for r in catalog.product("cad").releases] == ["2"]


def test_importing_the_same_file_again_keeps_the_phases_the_obsolescence_check_recorded(moto_storage):
    """Rules T9, T11: the recorded phase survives an import, so the next check reports no change."""
    catalog = catalog_of(("2025.1", "2025-06-01"), ("2026.1", "2026-01-15"))
    moto_storage.catalog.save(catalog)
    assert moto_storage.catalog.record_phase("cad", D(2025, 6, 1), "2025.1", None, "previous", True, D(2026, 2, 1))
    moto_storage.catalog.save(catalog)
    assert moto_storage.catalog.recorded_phases()[("cad", "2025.1")] == ("previous", True)


def test_same_day_releases_keep_the_files_order_once_stored(moto_storage):
    """Rule E8: of two releases out the same day, the one listed last in the file is the current one."""
    moto_storage.catalog.save(catalog_of(("9.9", "2026-05-01"), ("10.0", "2026-05-01")))
    product = reread(moto_storage).product("cad")
    assert [r.version for r in product.releases] == ["9.9", "10.0"]
    phases = {s.version: s.phase for s in lifecycle(load_charter("exer").version_policy, product, D(2026, 6, 1))}
    assert phases == {"9.9": "ended", "10.0": "current"}


def store_in_the_former_layout(released, version, phase=None):
    """A release as stored before releases were keyed by product and version (the release date in the key)."""
    ReleaseModel(CATALOG, former_release_key("cad", released, version), product_id="cad", version=version,
                 released=released, phase=phase).save()


def test_releases_stored_in_the_former_key_layout_are_read_recorded_and_rewritten_by_the_next_import(moto_storage):
    moto_storage.catalog.save(catalog_of())  # the product item only
    store_in_the_former_layout("2025-06-01", "2025.1", phase="current")
    store_in_the_former_layout("2026-01-15", "2026.1")
    assert [r.version for r in reread(moto_storage).product("cad").releases] == ["2025.1", "2026.1"]
    assert moto_storage.catalog.record_phase("cad", D(2025, 6, 1), "2025.1", "current", "previous", False,
                                             D(2026, 2, 1))
    moto_storage.catalog.save(catalog_of(("2025.1", "2025-06-01"), ("2026.1", "2026-01-15")))
    assert release_keys(moto_storage) == ["RELEASE#cad#2025.1", "RELEASE#cad#2026.1"]
    assert moto_storage.catalog.recorded_phases()[("cad", "2025.1")] == ("previous", False)


def test_a_stored_catalog_that_does_not_read_is_a_503_page_not_a_500(moto_storage, tmp_path):
    app = seeded_app(moto_storage, tmp_path)
    ReleaseModel(CATALOG, former_release_key("alpha-cam", "2026-01-15", "x"), product_id="alpha-cam", version=" ",
                 released="2026-01-15").save()  # a blank version: the stored catalog no longer reads
    with pytest.raises(BackendUnavailable):
        reread(moto_storage)
    moto_storage.catalog._kept = None
    response = app.test_client().get("/lifecycle?lang=fr")
    assert response.status_code == 503 and "Retry-After" in response.headers
