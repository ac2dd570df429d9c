"""The product catalog: products and their releases, from the JSON the demo data and imports use.

    {"products": [{"id": "alpha", "name": "Alpha CAM", "line": "cam",
                   "releases": [{"version": "2025.1", "released": "2025-03-10"}]}]}

`line` (optional) is the product line whose support address receives its e-mail (rule P5). A release
may carry `withdrawn` (the date it was withdrawn from sale) and `support_ends` (a date the vendor
published, which overrides the charter's version policy for that release, e.g. rule T12).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal.domain.errors import PortalError

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class CatalogError(PortalError):
    """A catalog could not be read; `problems` lists every problem as "where: what"."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(f"catalog invalid ({count} problem{'s' if count != 1 else ''})"
                         + "".join(f"\n  {problem}" for problem in self.problems))


@dataclass(frozen=True)
class Release:
    version: str
    released: datetime.date
    withdrawn: datetime.date | None = None  # withdrawn from sale on this date (rule T11)
    support_ends: datetime.date | None = None  # a published end of support: unsupported from this date


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    releases: tuple[Release, ...]  # oldest first, by release date
    line: str | None = None  # rule P5: the product line, for e-mail routing

    def release(self, version: str) -> Release:
        """The release with this version.

        :raise KeyError: when the product has no such release.
        """
        for release in self.releases:
            if release.version == version:
                return release
        raise KeyError(version)


@dataclass(frozen=True)
class Catalog:
    products: tuple[Product, ...]

    def product(self, product_id: str) -> Product:
        """The product with this id.

        :raise KeyError: when the catalog has no such product.
        """
        for product in self.products:
            if product.id == product_id:
                return product
        raise KeyError(product_id)


def load_catalog(path: str | Path) -> Catalog:
    """Read and check a catalog JSON file.

    :raise CatalogError: when the file cannot be read or is not a valid catalog.
    """
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CatalogError([f"{path}: cannot be read ({error.strerror})"]) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CatalogError([f"{path}: is not valid JSON ({error})"]) from None
    return parse_catalog(document, str(path))


def parse_catalog(document: Any, source: str = "catalog") -> Catalog:
    """Check a parsed catalog document and build the catalog, reporting every problem at once.

    :raise CatalogError: listing every problem (where in the document, what is wrong).
    """
    problems: list[str] = []

    def problem(where: str, what: str) -> None:
        problems.append(f"{source}: {where}: {what}" if where else f"{source}: {what}")

    if not isinstance(document, Mapping):
        raise CatalogError([f"{source}: must be a JSON object with a \"products\" list"])
    for key in document:
        if key != "products":
            problem(key, "unknown key; expected \"products\"")
    raw_products = document.get("products")
    if not isinstance(raw_products, list):
        problem("products", "must be a list")
        raw_products = []
    products = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_products):
        where = f"products[{index}]"
        product = _product(raw, where, problem)
        if product is None:
            continue
        if product.id in seen:
            problem(f"{where}.id", f"duplicate product id {product.id!r}")
        seen.add(product.id)
        products.append(product)
    if problems:
        raise CatalogError(problems)
    return Catalog(tuple(products))


def _product(raw: Any, where: str, problem) -> Product | None:
    if not isinstance(raw, Mapping):
        problem(where, "must be an object")
        return None
    for key in raw:
        if key not in ("id", "name", "line", "releases"):
            problem(f"{where}.{key}", "unknown key; expected id, name, line, releases")
    product_id = raw.get("id")
    if not isinstance(product_id, str) or not _ID.match(product_id):
        problem(f"{where}.id", f"must be an id (lower-case letters, digits, '.', '_' or '-'), not {product_id!r}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problem(f"{where}.name", "must be a non-empty string")
    line = raw.get("line")
    if line is not None and (not isinstance(line, str) or not _ID.match(line)):
        problem(f"{where}.line", f"must be a product-line id, not {line!r}")
    raw_releases = raw.get("releases", [])
    if not isinstance(raw_releases, list):
        problem(f"{where}.releases", "must be a list")
        raw_releases = []
    releases = []
    versions: set[str] = set()
    for index, raw_release in enumerate(raw_releases):
        release = _release(raw_release, f"{where}.releases[{index}]", problem)
        if release is None:
            continue
        if release.version in versions:
            problem(f"{where}.releases[{index}].version", f"duplicate version {release.version!r}")
        versions.add(release.version)
        releases.append(release)
    releases.sort(key=lambda release: release.released)  # stable: same-day releases keep the file's order
    if not isinstance(product_id, str) or not isinstance(name, str):
        return None
    return Product(product_id, name.strip(), tuple(releases), line if isinstance(line, str) else None)


def _release(raw: Any, where: str, problem) -> Release | None:
    if not isinstance(raw, Mapping):
        problem(where, "must be an object")
        return None
    for key in raw:
        if key not in ("version", "released", "withdrawn", "support_ends"):
            problem(f"{where}.{key}", "unknown key; expected version, released, withdrawn, support_ends")
    version = raw.get("version")
    if not isinstance(version, str) or not version.strip():
        problem(f"{where}.version", f"must be a non-empty string, not {version!r}")
    released = _date(raw.get("released"), f"{where}.released", problem, required=True)
    withdrawn = _date(raw.get("withdrawn"), f"{where}.withdrawn", problem)
    support_ends = _date(raw.get("support_ends"), f"{where}.support_ends", problem)
    for name, value in (("withdrawn", withdrawn), ("support_ends", support_ends)):
        if released is not None and value is not None and value < released:
            problem(f"{where}.{name}", f"{value.isoformat()} is before the release date {released.isoformat()}")
    if not isinstance(version, str) or released is None:
        return None
    return Release(version.strip(), released, withdrawn, support_ends)


def _date(value: Any, where: str, problem, required: bool = False) -> datetime.date | None:
    if value is None:
        if required:
            problem(where, "is missing (a date YYYY-MM-DD)")
        return None
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    problem(where, f"must be a date YYYY-MM-DD, not {value!r}")
    return None

