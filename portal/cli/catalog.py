"""`portal catalog import FILE`: store the product catalog (products, releases, withdrawals, end of support)."""

from __future__ import annotations

from pathlib import Path

import click

from portal.cli.context import fail


@click.group()
def catalog():
    """The product catalog the portal checks versions against (rules E8, G6, T9, T11)."""


@catalog.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_file(file):
    """Check FILE (the JSON format of portal/catalog/*.json) and store its products and releases; importing the
    same file twice changes nothing. A file with problems stores nothing and lists every problem."""
    from portal.cli.context import storage_from_environment
    from portal.domain.catalog import CatalogError, load_catalog

    try:
        parsed = load_catalog(file)
    except CatalogError as error:
        fail("the catalog is not valid:\n  " + "\n  ".join(error.problems))
    storage, _settings = storage_from_environment()
    storage.catalog.save(parsed)
    releases = sum(len(product.releases) for product in parsed.products)
    click.echo(f"stored {len(parsed.products)} products and {releases} releases")
