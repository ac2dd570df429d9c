"""The knowledge-base search index: one SQLite file with the rendered articles and an FTS5 full-text index.

Written once at build time (`portal kb build`), then only read. This module imports the standard library
only: the web request path searches with it. Building from Markdown (`build_index`) loads the build-time
modules (`articles`, `render`) when it runs, never when this module is imported.
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from portal.kb.sqlite import sqlite3

SCHEMA_VERSION = "1"
# Not under a folder named "build": the Lambda package leaves every such folder out.
DEFAULT_INDEX = Path(__file__).resolve().parent / "generated" / "knowledge_base.sqlite3"
LANGUAGES = ("fr", "nl", "en")
# When an article is missing in the visitor's language, the version shown instead (first available).
FALLBACK_ORDER = {"fr": ("en", "nl"), "nl": ("en", "fr"), "en": ("fr", "nl")}
# bm25 weights of the FTS columns (title, body, tags): a word in the title counts ten times a word in the text.
TITLE_WEIGHT, BODY_WEIGHT, TAGS_WEIGHT = 10.0, 1.0, 4.0
MAX_QUERY_CHARACTERS = 500
MAX_TERMS = 16
PREFIX_MIN_LENGTH = 3
SNIPPET_TOKENS = 18
MARK_START, MARK_END = "\x02", "\x03"
ELISION = re.compile(r"^(?:[ldjmnstc]|qu)['’]", re.IGNORECASE)  # French l', d', qu' ... before a word
WORD = re.compile(r"[^\W_]+")

SCHEMA = f"""
CREATE TABLE build (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE products (product TEXT PRIMARY KEY, name TEXT NOT NULL, versions TEXT NOT NULL);
CREATE TABLE articles (
    doc INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    html TEXT NOT NULL,
    summary TEXT NOT NULL,
    products TEXT NOT NULL,      -- ' alpha-cam net-edge ' (padded for instr), '' = every product
    versions TEXT NOT NULL,      -- ' 2025.1 2026.1 ', '' = every version
    tags TEXT NOT NULL,          -- JSON list
    updated TEXT NOT NULL,       -- ISO date
    languages TEXT NOT NULL,     -- ' en fr nl ': the languages this article exists in
    stands_in_for TEXT NOT NULL, -- ' fr ': visitors' languages for which this row is shown instead
    UNIQUE (article_id, language)
);
CREATE VIRTUAL TABLE article_text USING fts5(
    title, body, tags, tokenize = "unicode61 remove_diacritics 2"
);
INSERT INTO build (key, value) VALUES ('schema', '{SCHEMA_VERSION}');
"""  # noqa: S608 (module constants only)

HITS = f"""
SELECT a.article_id, a.language, a.title, a.products, a.versions, a.languages,
       snippet(article_text, 1, char(2), char(3), '…', {SNIPPET_TOKENS}) AS snippet,
       bm25(article_text, {TITLE_WEIGHT}, {BODY_WEIGHT}, {TAGS_WEIGHT}) AS score
FROM article_text JOIN articles AS a ON a.doc = article_text.rowid
WHERE article_text MATCH :match
  AND (a.language = :language OR instr(a.stands_in_for, ' ' || :language || ' ') > 0)
  AND (:product IS NULL OR a.products = '' OR instr(a.products, ' ' || :product || ' ') > 0)
  AND (:version IS NULL OR a.versions = '' OR instr(a.versions, ' ' || :version || ' ') > 0)
ORDER BY score
LIMIT :limit
"""  # noqa: S608 (module constants only; the visitor's words are bound parameters)


@dataclass(frozen=True)
class IndexedArticle:
    """One article in one language, ready for the index: safe HTML and its plain text."""

    article_id: str
    language: str
    title: str
    html: str
    text: str
    products: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    updated: str = "2026-01-01"


@dataclass(frozen=True)
class SearchHit:
    """One search result: the article in the language shown, with an HTML snippet (matches in <mark>)."""

    article_id: str
    language: str
    title: str
    snippet_html: str
    products: tuple[str, ...]
    versions: tuple[str, ...]
    languages: tuple[str, ...]
    score: float

    def as_json(self) -> dict:
        return {"id": self.article_id, "language": self.language, "title": self.title,
                "snippet": self.snippet_html, "products": list(self.products), "versions": list(self.versions),
                "languages": list(self.languages), "score": round(self.score, 4)}


def _padded(words: Iterable[str]) -> str:
    words = list(words)
    return f" {' '.join(words)} " if words else ""


def _words(padded: str) -> tuple[str, ...]:
    return tuple(padded.split())


def summary_of(text: str, words: int = 40) -> str:
    """The first words of an article, for lists without a query."""
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def stand_ins(languages: set[str]) -> dict[str, set[str]]:
    """For each language an article exists in, the visitors' languages it is shown to instead of a missing one."""
    chosen: dict[str, set[str]] = {language: set() for language in languages}
    for visitor in LANGUAGES:
        if visitor in languages:
            continue
        shown = next(language for language in FALLBACK_ORDER[visitor] if language in languages)
        chosen[shown].add(visitor)
    return chosen


def write_index(articles: Iterable[IndexedArticle], out: Path, product_names: dict[str, str] | None = None,
                product_versions: dict[str, tuple[str, ...]] | None = None) -> Path:
    """Write the index file atomically (a reader never sees half an index); returns its path."""
    articles = list(articles)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    languages_of: dict[str, set[str]] = {}
    for article in articles:
        languages_of.setdefault(article.article_id, set()).add(article.language)
    handle, temporary = tempfile.mkstemp(prefix=".kb-", suffix=".sqlite3", dir=out.parent)
    os.close(handle)
    try:
        connection = sqlite3.connect(temporary)
        with connection:
            connection.executescript(SCHEMA)
            for product, name in sorted((product_names or {}).items()):
                versions = (product_versions or {}).get(product, ())
                connection.execute("INSERT INTO products VALUES (?, ?, ?)", (product, name, json.dumps(list(versions))))
            for doc, article in enumerate(sorted(articles, key=lambda a: (a.article_id, a.language)), start=1):
                languages = languages_of[article.article_id]
                connection.execute(
                    "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (doc, article.article_id, article.language, article.title, article.html, summary_of(article.text),
                     _padded(article.products), _padded(article.versions), json.dumps(list(article.tags)),
                     article.updated, _padded(sorted(languages)),
                     _padded(sorted(stand_ins(languages)[article.language]))))
                connection.execute("INSERT INTO article_text (rowid, title, body, tags) VALUES (?, ?, ?, ?)",
                                   (doc, article.title, article.text, " ".join(article.tags)))
            connection.execute("INSERT INTO article_text (article_text) VALUES ('optimize')")
        connection.execute("VACUUM")
        connection.close()
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return out


def build_index(content: Path | None = None, out: Path = DEFAULT_INDEX, catalog_file: Path | None = None) -> Path:
    """Read, check and render every article under `content`, then write the index to `out`.

    :raise ArticleErrors: listing every invalid article; no index is written then.
    """
    from portal.kb.articles import DEFAULT_CATALOG, DEFAULT_CONTENT, load_articles, load_catalog
    from portal.kb.render import render_article

    catalog = load_catalog(catalog_file or DEFAULT_CATALOG)
    indexed = []
    for article in load_articles(content or DEFAULT_CONTENT, catalog):
        rendered = render_article(article.body)
        indexed.append(IndexedArticle(
            article_id=article.article_id, language=article.language, title=article.title, html=rendered.html,
            text=rendered.text, products=article.products, versions=article.versions, tags=article.tags,
            updated=article.updated.isoformat()))
    return write_index(indexed, out, catalog.names, catalog.products)


def query_terms(query: str) -> list[str]:
    """The visitor's words as FTS5 phrases: letters and digits only, so no input can form query syntax.

    A word joined by punctuation stays one phrase ("7.4" -> "7 4", "wi-fi" -> "wi fi"); a French elision
    is dropped ("l'export" -> "export"). Operators (AND, OR, NOT, NEAR), quotes, '*', '-', ':', '^' and
    parentheses end up as plain words or nothing.
    """
    terms = []
    for chunk in unicodedata.normalize("NFKC", query[:MAX_QUERY_CHARACTERS]).split():
        words = WORD.findall(ELISION.sub("", chunk))
        if words:
            terms.append(" ".join(words))
    return terms[:MAX_TERMS]


def match_expression(query: str, every_word: bool = True) -> str | None:
    """The FTS5 MATCH text for a visitor's query, or None when it has no word to look for.

    The last word also matches as a prefix while it is being typed (no trailing space, 3+ letters).
    """
    terms = query_terms(query)
    if not terms:
        return None
    phrases = [f'"{term}"' for term in terms]
    still_typing = not query[:MAX_QUERY_CHARACTERS].endswith((" ", "\t", "\n"))
    if still_typing and len(terms[-1].split()[-1]) >= PREFIX_MIN_LENGTH and len(query) <= MAX_QUERY_CHARACTERS:
        phrases[-1] += "*"
    return (" " if every_word else " OR ").join(phrases)


def snippet_html(snippet: str) -> str:
    """The FTS5 snippet as safe HTML: the text escaped, the matched words in <mark>."""
    return html.escape(snippet or "").replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _hits(connection: sqlite3.Connection, match: str, language: str, product: str | None, version: str | None,
          limit: int) -> list[SearchHit]:
    rows = connection.execute(HITS, {"match": match, "language": language, "product": product or None,
                                     "version": version or None, "limit": limit})
    return [SearchHit(article_id=row[0], language=row[1], title=row[2], products=_words(row[3]),
                      versions=_words(row[4]), languages=_words(row[5]), snippet_html=snippet_html(row[6]),
                      score=row[7]) for row in rows]


def search(connection: sqlite3.Connection, query: str, language: str, product: str | None = None,
           version: str | None = None, limit: int = 10) -> list[SearchHit]:
    """The best articles for a query in the visitor's language, best first (bm25, title above text).

    Articles holding every word come first, then those holding some; an article missing in `language`
    appears in its stand-in language (FALLBACK_ORDER). An empty or punctuation-only query finds nothing.
    """
    if language not in LANGUAGES or limit <= 0:
        return []
    every_word = match_expression(query, every_word=True)
    if every_word is None:
        return []
    hits = _hits(connection, every_word, language, product, version, limit)
    some_words = match_expression(query, every_word=False)
    if len(hits) < limit and some_words != every_word:
        found = {hit.article_id for hit in hits}
        more = _hits(connection, some_words, language, product, version, limit + len(hits))
        hits += [hit for hit in more if hit.article_id not in found][: limit - len(hits)]
    return hits
