"""The public static site: the knowledge base, the version-support page and the remote-support page in fr, nl and
en, with CSS, JS and images, in a folder ready to copy to the static-site bucket.

One rendering path: every page is rendered by the portal's own Flask app (its test client), from the same
templates the portal serves; each of these requests carries `portal.static_site` in its WSGI environ (the app
itself is left as it is: a running portal may rebuild a page), so that pages leave out what needs a server (view
counting, the helpful yes/no form) and the search page loads the browser-side search. Links are then
rewritten: a page of the static site becomes a relative link to its file (`?lang=nl` to the file of the Dutch
version), any other page an absolute link to the portal. Search runs in the browser on a per-language JSON index
written from the same FTS rows the portal searches (`<lang>/kb/search-index.json`, static/js/kb-static-search.js).

Layout: `index.html` (to the charter's language), `<lang>/kb/index.html`, `<lang>/kb/<article>.html`,
`<lang>/kb/search-index.json`, `<lang>/lifecycle.html`, `<lang>/remote-support.html`, `static/...`.
Build time only: never imported by a web request.
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from portal.kb.index import LANGUAGES

ARTICLE_PATH = re.compile(r"^/kb/([a-z0-9]+(?:-[a-z0-9]+)*)$")
LINK_ATTRIBUTE = re.compile(r'\b(href|src|action)="([^"]*)"')
KEPT_SCHEMES = ("http:", "https:", "mailto:", "tel:", "data:", "javascript:")
PAGE_FILES = {"/kb": "kb/index.html", "/lifecycle": "lifecycle.html", "/remote-support": "remote-support.html"}
SEARCH_INDEX = "kb/search-index.json"
INTERNAL_HOST = "http://portal.invalid"


class StaticBuildError(RuntimeError):
    """A page of the static site did not render (its path and HTTP status are in the message); nothing is
    replaced in the output folder then."""


@dataclass(frozen=True)
class StaticSite:
    """What a build wrote: the output folder and the files, relative to it."""

    out: Path
    files: tuple[str, ...]


def page_file(path: str, language: str, articles: Iterable[str] = ()) -> str | None:
    """The file of the static site holding the portal page `path` in `language`, or None when that page is
    not on the static site (it then stays on the portal)."""
    path = path.rstrip("/") or "/"
    if path.startswith("/static/"):
        return path.lstrip("/")
    if language not in LANGUAGES:
        return None
    if path in PAGE_FILES:
        return f"{language}/{PAGE_FILES[path]}"
    article = ARTICLE_PATH.match(path)
    if article and article.group(1) in set(articles):
        return f"{language}/kb/{article.group(1)}.html"
    return None


def static_link(url: str, page_path: str, language: str, this_file: str, articles: set[str], portal_url: str) -> str:
    """A link of the page `page_path` (written to `this_file`) as the static site needs it: relative to a
    static file when the target is on the static site, else absolute to the portal."""
    if not url or url.startswith("#") or url.lower().startswith(KEPT_SCHEMES) or url.startswith("//"):
        return url
    target = urlsplit(urljoin(INTERNAL_HOST + page_path, url))
    query = parse_qsl(target.query, keep_blank_values=True)
    asked = [value for name, value in query if name == "lang"]
    rest = [(name, value) for name, value in query if name != "lang"]
    file = page_file(target.path, asked[-1] if asked else language, articles)
    fragment = f"#{target.fragment}" if target.fragment else ""
    if file is None:
        return f"{portal_url.rstrip('/')}{target.path}{'?' + target.query if target.query else ''}{fragment}"
    relative = posixpath.relpath(file, posixpath.dirname(this_file) or ".")
    return f"{relative}{'?' + urlencode(rest) if rest else ''}{fragment}"


def relative_links(page: str, page_path: str, language: str, this_file: str, articles: set[str],
                   portal_url: str) -> str:
    """Every href, src and action of a rendered page rewritten by `static_link`."""

    def rewrite(match: re.Match) -> str:
        url = html.unescape(match.group(2))
        new = static_link(url, page_path, language, this_file, articles, portal_url)
        return f'{match.group(1)}="{html.escape(new, quote=True)}"'

    return LINK_ATTRIBUTE.sub(rewrite, page)


def _client(app):
    from portal.web.kb.routes import STATIC_SITE

    client = app.test_client()
    client.environ_base[STATIC_SITE] = True
    return client


def _render(client, path: str, language: str) -> str:
    response = client.get(path, query_string={"lang": language})
    try:
        if response.status_code != 200:
            raise StaticBuildError(f"{path} in {language} answered {response.status_code}")
        return response.get_data(as_text=True)
    finally:
        response.close()


def _knowledge_base(app):
    from portal.web.kb.routes import knowledge_base

    with app.app_context():
        return knowledge_base()


def _write(out: Path, name: str, text: str) -> None:
    path = out / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _render_page(app, out: Path, path: str, language: str, articles: set[str], portal_url: str) -> str:
    file = page_file(path, language, articles)
    page = _render(_client(app), path, language)
    _write(out, file, relative_links(page, path, language, file, articles, portal_url))
    return file


def _search_index(store, language: str) -> str:
    documents = [{**document, "url": f"{document['id']}.html"} for document in store.search_documents(language)]
    return json.dumps({"language": language, "documents": documents}, ensure_ascii=False, separators=(",", ":"))


def _home_page(default_language: str) -> str:
    names = {"fr": "Français", "nl": "Nederlands", "en": "English"}
    links = "\n".join(f'    <li><a href="{code}/kb/index.html" lang="{code}">{names[code]}</a></li>'
                      for code in LANGUAGES)
    return (f'<!doctype html>\n<html lang="{default_language}">\n<head>\n  <meta charset="utf-8">\n'
            f'  <meta http-equiv="refresh" content="0; url={default_language}/kb/index.html">\n'
            f'  <title>Support</title>\n  <link rel="stylesheet" href="static/css/portal.css">\n</head>\n<body>\n'
            f'  <main id="content">\n  <ul class="languages">\n{links}\n  </ul>\n  </main>\n</body>\n</html>\n')


def build_static_site(app, out: Path, portal_url: str, static_folder: Path | None = None) -> StaticSite:
    """Render every public page in fr, nl and en with `app` into `out` (replaced whole, only once every page
    rendered), with the static files and the per-language search indexes.

    :raise StaticBuildError: a page did not render; `out` is left as it was.
    """
    from portal.web.app import STATIC_FOLDER

    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        store = _knowledge_base(app)
        files = []
        shutil.copytree(static_folder or STATIC_FOLDER, work / "static")
        files += [path.relative_to(work).as_posix() for path in sorted((work / "static").rglob("*")) if path.is_file()]
        for language in LANGUAGES:
            articles = {item.article_id for item in store.articles(language)}
            for path in ["/kb", *(f"/kb/{article}" for article in sorted(articles)), "/lifecycle", "/remote-support"]:
                files.append(_render_page(app, work, path, language, articles, portal_url))
            _write(work, f"{language}/{SEARCH_INDEX}", _search_index(store, language))
            files.append(f"{language}/{SEARCH_INDEX}")
        _write(work, "index.html", _home_page(app.extensions["portal"].charter.default_language))
        files.append("index.html")
        if out.exists():
            shutil.rmtree(out)
        os.replace(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return StaticSite(out, tuple(files))


def rebuild_lifecycle_page(out_dir: Path, app, portal_url: str) -> list[Path]:
    """Render the version-support page again in fr, nl and en into a built static site (the obsolescence job
    calls it when a version's support ends); each file is replaced atomically. Returns the files written.

    :raise StaticBuildError: the page did not render; the files already there stay.
    """
    out_dir = Path(out_dir)
    articles = {item.article_id for item in _knowledge_base(app).articles("en")}
    written = []
    for language in LANGUAGES:
        file = page_file("/lifecycle", language)
        page = relative_links(_render(_client(app), "/lifecycle", language), "/lifecycle", language, file,
                              articles, portal_url)
        target = out_dir / file
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(page, encoding="utf-8")
        os.replace(temporary, target)
        written.append(target)
    return written
