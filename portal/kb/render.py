"""An article's Markdown as sanitized HTML, with ids on its headings, and as plain text for the search index.

Build time only: markdown-it-py parses (CommonMark with tables), nh3 keeps an allow-list of tags and
attributes, so no script, event handler or `javascript:` link from an article reaches a page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "em", "strong", "del", "code", "pre", "kbd",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "img",
}
ALLOWED_ATTRIBUTES = {
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"},
}  # no style attribute: the portal's Content-Security-Policy (style-src 'self') would refuse it anyway
URL_SCHEMES = {"http", "https", "mailto", "tel"}
DROPPED_WITH_CONTENT = {"script", "style"}


@dataclass(frozen=True)
class RenderedArticle:
    """What the portal shows (safe HTML) and what search reads (plain text)."""

    html: str
    text: str


def heading_slug(text: str) -> str:
    """A heading's anchor: lower-case ASCII words joined by '-' (accents folded: 'Étape 1' -> 'etape-1')."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "section"


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "typographer": False}).enable(["table", "strikethrough"])


def _give_headings_ids(tokens) -> None:
    used: dict[str, int] = {}
    for position, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        slug = heading_slug(tokens[position + 1].content)
        used[slug] = used.get(slug, 0) + 1
        token.attrSet("id", slug if used[slug] == 1 else f"{slug}-{used[slug]}")


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    """The words of safe HTML, for the search index (what a reader sees, never markup)."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return re.sub(r"\s+", " ", " ".join(collector.parts)).strip()


def sanitize(html: str) -> str:
    """Only the allowed tags and attributes survive; scripts go with their content, links keep safe schemes."""
    return nh3.clean(html, tags=ALLOWED_TAGS, clean_content_tags=DROPPED_WITH_CONTENT, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, strip_comments=True)


def render_article(markdown: str) -> RenderedArticle:
    """Markdown to safe HTML with heading anchors, plus its plain text for the search index."""
    parser = _parser()
    tokens = parser.parse(markdown)
    _give_headings_ids(tokens)
    html = sanitize(parser.renderer.render(tokens, parser.options, {}))
    return RenderedArticle(html=html, text=plain_text(html))
