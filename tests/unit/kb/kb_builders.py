"""Builders for knowledge-base tests: article files, indexed articles and a built index, each in a tmp dir."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from portal.kb.index import IndexedArticle, write_index
from portal.kb.store import KnowledgeBase

PRODUCT_NAMES = {"alpha-cam": "Alpha CAM", "struct-design": "Struct Design", "net-edge": "NetEdge Firewall"}
PRODUCT_VERSIONS = {"alpha-cam": ("2024.1", "2025.1", "2026.1"), "struct-design": ("23", "24", "25", "26"),
                    "net-edge": ("7.2", "7.4", "8.0")}
DEFAULT_BODY = "## Check the tunnel\n\nThe tunnel stays down when the pre-shared keys differ on both ends.\n"


def write_article(content: Path, article_id: str = "vpn-tunnel-down", language: str = "en", body: str = DEFAULT_BODY,
                  omit: tuple[str, ...] = (), **front) -> Path:
    """An article file `<content>/<folder>/<language>.md`; `front` overrides fields, `omit` leaves some out."""
    fields = {"id": article_id, "title": "VPN tunnel down", "language": language, "products": ["net-edge"],
              "versions": [], "tags": ["vpn"], "updated": date(2026, 5, 4)}
    fields.update(front)
    for name in omit:
        fields.pop(name)
    folder = content / front.pop("folder", article_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{language}.md"
    path.write_text(f"---\n{yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)}---\n{body}", encoding="utf-8")
    return path


def make_indexed(article_id: str = "vpn-tunnel-down", language: str = "en", title: str = "VPN tunnel down",
                 text: str = "The tunnel stays down when the pre-shared keys differ.", **overrides) -> IndexedArticle:
    """An article as the index stores it (its HTML is its text in a paragraph unless given)."""
    values = {"html": f"<p>{text}</p>", "products": (), "versions": (), "tags": (), "updated": "2026-05-04"}
    values.update(overrides)
    return IndexedArticle(article_id=article_id, language=language, title=title, text=text, **values)


def build_store(tmp_path: Path, articles: list[IndexedArticle] | None = None) -> KnowledgeBase:
    """A knowledge base built in `tmp_path` from `articles` (one English article when none given)."""
    path = write_index(articles if articles is not None else [make_indexed()], tmp_path / "kb.sqlite3",
                       PRODUCT_NAMES, PRODUCT_VERSIONS)
    return KnowledgeBase(path)
