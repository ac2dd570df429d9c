"""Knowledge-base articles as written: Markdown files with YAML front matter, one per article and language.

Layout: `<content>/<article-id>/<language>.md`. Build time only (imports PyYAML).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

LANGUAGES = ("fr", "nl", "en")
REQUIRED_FIELDS = ("id", "title", "language", "products", "versions", "tags", "updated")
ARTICLE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Taken by the portal's own /kb/ addresses ("suggestions") and by the deflection total's counter, which shares
# the articles' counter keys (kb#requests, rule T7).
RESERVED_IDS = {"suggestions", "requests"}
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONTENT = ROOT / "content" / "kb"
DEFAULT_CATALOG = ROOT / "portal" / "catalog" / "demo.json"


@dataclass(frozen=True)
class Article:
    """One article in one language, as its author wrote it."""

    article_id: str
    language: str
    title: str
    products: tuple[str, ...]
    versions: tuple[str, ...]
    tags: tuple[str, ...]
    updated: date
    body: str
    source: Path


@dataclass(frozen=True)
class ArticleProblem:
    """What is wrong with one article file, naming the file and the front-matter field."""

    source: Path
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.field}: {self.message}"


class ArticleErrors(ValueError):
    """Some articles are invalid; `problems` lists every one, so an author fixes them all in one go."""

    def __init__(self, problems: list[ArticleProblem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Catalog:
    """The products articles may name, with their versions and display names."""

    products: dict[str, tuple[str, ...]]
    names: dict[str, str]

    def knows(self, product: str) -> bool:
        return product in self.products

    def versions_of(self, products: tuple[str, ...]) -> set[str]:
        """The versions an article may name: those of its products, or of every product when it names none."""
        chosen = products or tuple(self.products)
        return {version for product in chosen for version in self.products.get(product, ())}


def load_catalog(path: Path = DEFAULT_CATALOG) -> Catalog:
    """The product catalog file (products with their releases) that articles are checked against."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    products = {product["id"]: tuple(str(release["version"]) for release in product.get("releases", ()))
                for product in data["products"]}
    names = {product["id"]: product.get("name", product["id"]) for product in data["products"]}
    return Catalog(products=products, names=names)


def _string_list(value, field: str, problems: list[tuple[str, str]]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append((field, f"must be a list (write [] for none), not {value!r}"))
        return ()
    items = []
    for item in value:
        if isinstance(item, str) and item.strip():
            items.append(item.strip())
        elif isinstance(item, int | float) and not isinstance(item, bool):
            problems.append((field, f"{item!r} must be quoted (\"{item}\"): YAML reads it as a number"))
        else:
            problems.append((field, f"every entry must be a non-empty text, not {item!r}"))
    return tuple(items)


def parse_article(path: Path, catalog: Catalog) -> tuple[Article | None, list[ArticleProblem]]:
    """Read one article file; return the article, or None and every problem found in it."""
    path = Path(path)
    found: list[tuple[str, str]] = []

    def problems() -> list[ArticleProblem]:
        return [ArticleProblem(path, field, message) for field, message in found]

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [ArticleProblem(path, "file", "is not UTF-8 text")]
    match = FRONT_MATTER.match(text)
    if match is None:
        return None, [ArticleProblem(path, "front matter", "the file must start with a block between two '---' lines")]
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        reason = getattr(error, "problem", None) or error
        return None, [ArticleProblem(path, "front matter", f"is not valid YAML{line}: {reason}")]
    if not isinstance(meta, dict):
        return None, [ArticleProblem(path, "front matter", "must be a set of 'field: value' lines")]
    body = text[match.end():].strip()

    for field in REQUIRED_FIELDS:
        if field not in meta:
            found.append((field, "is missing"))
    for field in sorted(set(meta) - set(REQUIRED_FIELDS), key=str):
        found.append((str(field), f"is not a known field (known: {', '.join(REQUIRED_FIELDS)})"))

    article_id = meta.get("id")
    if "id" in meta:
        if not isinstance(article_id, str) or not ARTICLE_ID.match(article_id):
            found.append(("id", f"must be lower-case words joined by '-', not {article_id!r}"))
        elif article_id in RESERVED_IDS:
            found.append(("id", f"{article_id!r} is reserved for the portal's own pages and counters"))
        elif article_id != path.parent.name:
            found.append(("id", f"{article_id!r} differs from the article's folder {path.parent.name!r}"))
    language = meta.get("language")
    if "language" in meta:
        if language not in LANGUAGES:
            found.append(("language", f"must be one of {', '.join(LANGUAGES)}, not {language!r}"))
        elif path.stem != language:
            found.append(("language", f"{language!r} differs from the file name {path.name!r}"))
    title = meta.get("title")
    if "title" in meta and (not isinstance(title, str) or not title.strip()):
        found.append(("title", "must be a non-empty text"))
    products = _string_list(meta.get("products"), "products", found)
    for product in products:
        if not catalog.knows(product):
            found.append(("products", f"unknown product {product!r} (known: {', '.join(sorted(catalog.products))})"))
    versions = _string_list(meta.get("versions"), "versions", found)
    allowed = catalog.versions_of(tuple(p for p in products if catalog.knows(p)))
    for version in versions:
        if version not in allowed:
            found.append(("versions", f"{version!r} is not a release of {', '.join(products) or 'any product'}"))
    tags = _string_list(meta.get("tags"), "tags", found)
    updated = meta.get("updated")
    if "updated" in meta and type(updated) is not date:
        found.append(("updated", f"must be a date written YYYY-MM-DD, not {updated!r}"))
    if not body:
        found.append(("body", "the article has no text after its front matter"))
    if found:
        return None, problems()
    return Article(article_id=article_id, language=language, title=title.strip(), products=products,
                   versions=versions, tags=tags, updated=updated, body=body, source=path), []


def load_articles(content: Path = DEFAULT_CONTENT, catalog: Catalog | None = None) -> list[Article]:
    """Every article under `content` (`<id>/<language>.md`), sorted by id then language.

    :raise ArticleErrors: listing every problem of every invalid file (nothing is half-loaded).
    """
    content = Path(content)
    catalog = catalog or load_catalog()
    if not content.is_dir():
        raise ArticleErrors([ArticleProblem(content, "content", "is not a folder")])
    articles, problems = [], []
    for path in sorted(content.glob("*/*.md")):
        article, found = parse_article(path, catalog)
        problems.extend(found)
        if article is not None:
            articles.append(article)
    for stray in sorted(content.glob("*.md")):
        problems.append(ArticleProblem(stray, "file", "articles live in a folder named after their id"))
    if problems:
        raise ArticleErrors(problems)
    return sorted(articles, key=lambda article: (article.article_id, article.language))
