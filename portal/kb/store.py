"""The built knowledge base, opened read-only: search, one article, the article list, the product filter.

Standard library only (sqlite3): this is what a web request (on Lambda) loads. The file is opened
immutable, so a read takes no lock and nothing can write to it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from portal.domain.errors import BackendUnavailable
from portal.kb import index
from portal.kb.index import DEFAULT_INDEX, FALLBACK_ORDER, LANGUAGES, SearchHit
from portal.kb.sqlite import sqlite3


class KnowledgeBaseUnavailable(BackendUnavailable):
    """The index file is missing or unreadable (not built, or built by another schema): pages answer 503."""

    def __init__(self, path: Path, detail: str):
        super().__init__("knowledge base", f"{path}: {detail}")
        self.path = path


@dataclass(frozen=True)
class ArticlePage:
    """An article as shown: in the visitor's language when it exists, else in a stand-in language."""

    article_id: str
    language: str
    title: str
    html: str
    products: tuple[str, ...]
    versions: tuple[str, ...]
    tags: tuple[str, ...]
    updated: str
    languages: tuple[str, ...]

    def is_in(self, language: str) -> bool:
        return self.language == language


@dataclass(frozen=True)
class ArticleSummary:
    """A line of the article list: title and first words."""

    article_id: str
    language: str
    title: str
    summary: str


@dataclass(frozen=True)
class ProductVersions:
    """A product the articles may be filtered by, with its versions."""

    product: str
    name: str
    versions: tuple[str, ...]


class KnowledgeBase:
    """Reads one built index file; each thread gets its own read-only connection."""

    def __init__(self, path: Path = DEFAULT_INDEX):
        self.path = Path(path)
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._open()
            self._local.connection = connection
        return connection

    def _open(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise KnowledgeBaseUnavailable(self.path, "no index here: run `portal kb build`")
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro&immutable=1"
        try:
            connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            row = connection.execute("SELECT value FROM build WHERE key = 'schema'").fetchone()
        except sqlite3.DatabaseError as error:
            raise KnowledgeBaseUnavailable(self.path, f"not a knowledge-base index ({error})") from error
        if row is None or row[0] != index.SCHEMA_VERSION:
            connection.close()
            raise KnowledgeBaseUnavailable(self.path, "built by another version of the portal: rebuild it")
        return connection

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def search(self, query: str, language: str, product: str | None = None, version: str | None = None,
               limit: int = 10) -> list[SearchHit]:
        """Articles matching the visitor's words, best first; never raises on what the visitor typed."""
        return index.search(self._connection(), query, language, product, version, limit)

    def article(self, article_id: str, language: str) -> ArticlePage | None:
        """The article in `language`, else in the first available of FALLBACK_ORDER; None when unknown."""
        rows = self._connection().execute(
            "SELECT article_id, language, title, html, products, versions, tags, updated, languages "
            "FROM articles WHERE article_id = ?", (article_id,)).fetchall()
        by_language = {row[1]: row for row in rows}
        preferred = (language, *FALLBACK_ORDER.get(language, LANGUAGES))
        chosen = next((by_language[code] for code in preferred if code in by_language), None)
        if chosen is None:
            return None
        return ArticlePage(article_id=chosen[0], language=chosen[1], title=chosen[2], html=chosen[3],
                           products=tuple(chosen[4].split()), versions=tuple(chosen[5].split()),
                           tags=tuple(json.loads(chosen[6])), updated=chosen[7], languages=tuple(chosen[8].split()))

    def articles(self, language: str, product: str | None = None, version: str | None = None) -> list[ArticleSummary]:
        """Every article a visitor of `language` can read (stand-ins included), by title."""
        rows = self._connection().execute(
            "SELECT article_id, language, title, summary FROM articles "
            "WHERE (language = :language OR instr(stands_in_for, ' ' || :language || ' ') > 0) "
            "AND (:product IS NULL OR products = '' OR instr(products, ' ' || :product || ' ') > 0) "
            "AND (:version IS NULL OR versions = '' OR instr(versions, ' ' || :version || ' ') > 0) "
            "ORDER BY title COLLATE NOCASE",
            {"language": language, "product": product or None, "version": version or None})
        return [ArticleSummary(*row) for row in rows]

    def size(self) -> tuple[int, int]:
        """How many articles the index holds, and how many language versions of them."""
        articles, versions = self._connection().execute(
            "SELECT count(DISTINCT article_id), count(*) FROM articles").fetchone()
        return articles, versions

    def products(self) -> list[ProductVersions]:
        """The products of the catalog the index was built with, for the search filters."""
        rows = self._connection().execute("SELECT product, name, versions FROM products ORDER BY name")
        return [ProductVersions(row[0], row[1], tuple(json.loads(row[2]))) for row in rows]

    def search_documents(self, language: str) -> list[dict]:
        """What a visitor of `language` can find (stand-ins included), with the indexed text, for a search that
        runs in the browser (the static site): the same rows and words the FTS index holds."""
        rows = self._connection().execute(
            "SELECT a.article_id, a.language, a.title, a.products, a.versions, a.languages, t.body, t.tags "
            "FROM articles AS a JOIN article_text AS t ON t.rowid = a.doc "
            "WHERE a.language = :language OR instr(a.stands_in_for, ' ' || :language || ' ') > 0 "
            "ORDER BY a.title COLLATE NOCASE", {"language": language})
        return [{"id": row[0], "language": row[1], "title": row[2], "products": row[3].split(),
                 "versions": row[4].split(), "languages": row[5].split(), "body": row[6], "tags": row[7]}
                for row in rows]

    def article_ids(self) -> list[str]:
        """Every article's id, sorted (for the deflection summary)."""
        return [row[0] for row in self._connection().execute(
            "SELECT DISTINCT article_id FROM articles ORDER BY article_id")]
