"""`portal kb build|search`: build the knowledge-base index from the articles, and query it as the portal does."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.group()
def kb():
    """The knowledge base: build its search index, search it."""


@kb.command()
@click.option("--content", type=click.Path(path_type=Path), default=None,
              help="The articles folder (<id>/<language>.md). Default: content/kb of the project.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="The index file to write. Default: portal/kb/generated/knowledge_base.sqlite3.")
@click.option("--catalog", type=click.Path(path_type=Path), default=None,
              help="The product catalog articles are checked against. Default: portal/catalog/demo.json.")
def build(content, out, catalog):
    """Check every article and write the search index; exit 1 listing every invalid article."""
    from portal.kb.articles import ArticleErrors
    from portal.kb.index import DEFAULT_INDEX, build_index

    try:
        path = build_index(content, out or DEFAULT_INDEX, catalog)
    except ArticleErrors as error:
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        bad_files = len({problem.source for problem in error.problems})
        click.echo(f"{bad_files} invalid article file(s); no index written", err=True)
        raise SystemExit(1) from None
    from portal.kb.store import KnowledgeBase

    store = KnowledgeBase(path)
    articles, versions = store.size()
    store.close()
    click.echo(f"indexed {articles} articles ({versions} language versions) into {path}")


@kb.command()
@click.argument("query")
@click.option("--lang", "language", type=click.Choice(["fr", "nl", "en"]), required=True)
@click.option("--product", default=None, help="A product id of the catalog, e.g. net-edge.")
@click.option("--version", default=None, help="A version of that product, e.g. 7.4.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--index", "index_file", type=click.Path(path_type=Path), default=None,
              help="The index file. Default: portal/kb/generated/knowledge_base.sqlite3.")
def search(query, language, product, version, limit, index_file):
    """Print the best articles for QUERY as JSON (what the portal's search shows)."""
    from portal.cli.context import fail
    from portal.kb.index import DEFAULT_INDEX
    from portal.kb.store import KnowledgeBase, KnowledgeBaseUnavailable

    store = KnowledgeBase(index_file or DEFAULT_INDEX)
    try:
        hits = store.search(query, language, product, version, limit)
    except KnowledgeBaseUnavailable as error:
        fail(str(error))
    finally:
        store.close()
    click.echo(json.dumps([hit.as_json() for hit in hits], ensure_ascii=False, indent=2))
