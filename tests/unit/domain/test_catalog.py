"""Reading the product catalog JSON: products, releases in date order, clear errors."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from portal.domain.catalog import CatalogError, load_catalog, parse_catalog


def make_release(**overrides) -> dict:
    return {"version": "2025.1", "released": "2025-03-10", **overrides}


def make_product(**overrides) -> dict:
    return {"id": "alpha", "name": "Alpha CAM", "releases": [make_release()], **overrides}


def make_catalog(*products: dict) -> dict:
    return {"products": list(products) if products else [make_product()]}


def problems(document) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(document, "demo.json")
    return caught.value.problems


def test_a_catalog_is_read_into_products_and_releases():
    catalog = parse_catalog(make_catalog(make_product(line="cam")))
    product = catalog.product("alpha")
    assert (product.name, product.line) == ("Alpha CAM", "cam")
    assert product.release("2025.1").released == datetime.date(2025, 3, 10)


def test_releases_are_ordered_by_date_not_by_version_string():
    product = parse_catalog(make_catalog(make_product(releases=[
        make_release(version="10.0", released="2025-06-01"),
        make_release(version="9.0", released="2024-06-01"),
        make_release(version="9.5", released="2024-12-01"),
    ]))).product("alpha")
    assert [release.version for release in product.releases] == ["9.0", "9.5", "10.0"]


def test_withdrawn_and_support_ends_overrides_are_read():
    release = parse_catalog(make_catalog(make_product(releases=[
        make_release(withdrawn="2025-06-01", support_ends="2026-01-01")]))).product("alpha").releases[0]
    assert (release.withdrawn, release.support_ends) == (datetime.date(2025, 6, 1), datetime.date(2026, 1, 1))


def test_the_demo_catalog_reads():
    catalog = load_catalog(Path(__file__).resolve().parents[3] / "portal" / "catalog" / "demo.json")
    assert [product.id for product in catalog.products] == ["alpha-cam", "struct-design", "net-edge"]


def test_a_document_without_products_is_reported():
    assert problems({"items": []}) == ['demo.json: items: unknown key; expected "products"',
                                       "demo.json: products: must be a list"]


def test_a_bad_date_is_reported_with_where_it_is():
    assert problems(make_catalog(make_product(releases=[make_release(released="10/03/2025")]))) == [
        "demo.json: products[0].releases[0].released: must be a date YYYY-MM-DD, not '10/03/2025'"]


def test_an_impossible_date_is_reported():
    assert len(problems(make_catalog(make_product(releases=[make_release(released="2025-02-30")])))) == 1


def test_a_missing_release_date_is_reported():
    release = make_release()
    del release["released"]
    assert problems(make_catalog(make_product(releases=[release]))) == [
        "demo.json: products[0].releases[0].released: is missing (a date YYYY-MM-DD)"]


def test_duplicate_product_ids_and_versions_are_reported():
    found = problems(make_catalog(make_product(releases=[make_release(), make_release(released="2025-04-01")]),
                                  make_product()))
    assert found == ["demo.json: products[0].releases[1].version: duplicate version '2025.1'",
                     "demo.json: products[1].id: duplicate product id 'alpha'"]


def test_unknown_keys_are_reported():
    assert problems(make_catalog(make_product(title="x", releases=[make_release(date="2025-01-01")]))) == [
        "demo.json: products[0].title: unknown key; expected id, name, line, releases",
        "demo.json: products[0].releases[0].date: unknown key; expected version, released, withdrawn, support_ends"]


def test_an_end_of_support_before_the_release_is_reported():
    assert problems(make_catalog(make_product(releases=[make_release(support_ends="2024-01-01")]))) == [
        "demo.json: products[0].releases[0].support_ends: 2024-01-01 is before the release date 2025-03-10"]


def test_a_product_without_a_name_or_a_valid_id_is_reported():
    assert len(problems(make_catalog({"id": "Alpha CAM", "releases": []}))) == 2


def test_a_file_that_is_not_json_is_reported(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text("{products: []}", encoding="utf-8")
    with pytest.raises(CatalogError, match="is not valid JSON"):
        load_catalog(path)


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(CatalogError, match="cannot be read"):
        load_catalog(tmp_path / "none.json")


def test_a_catalog_file_round_trips(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(make_catalog()), encoding="utf-8")
    assert load_catalog(path).product("alpha").releases[0].version == "2025.1"
