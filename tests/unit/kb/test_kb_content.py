"""The shipped articles: at least 30, each in fr, nl and en, all valid, substantive, and findable."""

from __future__ import annotations

from collections import defaultdict

import pytest

from portal.kb.articles import DEFAULT_CONTENT, load_articles
from portal.kb.index import build_index
from portal.kb.render import render_article
from portal.kb.store import KnowledgeBase

MINIMUM_ARTICLES = 30


def languages_by_article() -> dict[str, set[str]]:
    found = defaultdict(set)
    for article in load_articles():
        found[article.article_id].add(article.language)
    return found


def test_at_least_30_articles_ship_each_in_french_dutch_and_english():
    found = languages_by_article()
    in_all_three = sorted(article_id for article_id, languages in found.items() if languages == {"fr", "nl", "en"})
    assert len(in_all_three) >= MINIMUM_ARTICLES, f"only {len(in_all_three)} articles in all three languages"


def test_every_shipped_article_has_150_to_400_words():
    lengths = {(a.article_id, a.language): len(render_article(a.body).text.split()) for a in load_articles()}
    outside = {key: words for key, words in lengths.items() if not 150 <= words <= 400}
    assert not outside, f"articles outside 150-400 words: {outside}"


def test_the_three_languages_of_an_article_share_products_and_versions():
    by_id = defaultdict(set)
    for article in load_articles():
        by_id[article.article_id].add((article.products, article.versions))
    assert {article_id: facts for article_id, facts in by_id.items() if len(facts) > 1} == {}


def test_each_article_folder_holds_only_language_files():
    stray = [path.name for folder in DEFAULT_CONTENT.iterdir() for path in folder.iterdir()
             if path.name not in ("fr.md", "nl.md", "en.md")]
    assert stray == []


@pytest.mark.parametrize("language, query, expected", [
    ("fr", "déplacer licence nouveau poste", "move-or-reinstall-a-licence"),
    ("nl", "vpn tunnel ligt plat", "netedge-vpn-tunnel-down"),
    ("en", "post-processor machine alarm", "alpha-cam-post-processor-output"),
    ("fr", "combinaisons de charges", "struct-design-load-combinations"),
    ("nl", "wachtwoord vergeten", "sign-in-and-password"),
    ("en", "compress 7z size limit", "compress-large-files"),
    ("fr", "severite production arretee", "severity-levels"),
])
def test_the_shipped_articles_are_found_by_a_customers_words(tmp_path, language, query, expected):
    store = KnowledgeBase(build_index(out=tmp_path / "kb.sqlite3"))
    hits = store.search(query, language, limit=3)
    assert hits and hits[0].article_id == expected and hits[0].language == language


def test_every_link_to_a_portal_page_in_the_articles_leads_to_a_page():
    import re

    from portal.domain.charter import load_charter
    from portal.web.app import create_app
    from tests.builders import make_settings

    urls = create_app(make_settings(), charter=load_charter("example"), storage=object()).url_map.bind("localhost")
    links = {link for article in load_articles()
             for link in re.findall(r'href="(/[^"#?]*)', render_article(article.body).html)}
    assert links, "the articles link to the portal's pages"
    for link in sorted(links):
        endpoint, _arguments = urls.match(link, method="GET")
        assert endpoint, link
