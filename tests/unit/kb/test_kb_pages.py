"""The public knowledge-base pages: search with snippets and filters, one article, in fr, nl and en."""

from __future__ import annotations

import pytest

from portal.domain.charter import load_charter
from portal.web.app import create_app
from tests.builders import make_settings
from tests.unit.kb.kb_builders import build_store, make_indexed

HEADINGS = {"fr": "Base de connaissances", "nl": "Kennisbank", "en": "Knowledge base"}


class RecordingCounters:
    """Deflection counters that remember the events counted."""

    def __init__(self):
        self.events = []

    def add(self, article_id, events):
        self.events.append((article_id, tuple(events)))


class NoStorage:
    """Knowledge-base pages touch the database only to count (kb_counters): any other use fails the test."""

    def __init__(self):
        self.kb_counters = RecordingCounters()

    def __getattr__(self, name):
        raise AssertionError(f"the knowledge base used storage.{name}")


def make_client(tmp_path, articles=None):
    store = build_store(tmp_path, articles)
    app = create_app(make_settings(), charter=load_charter("example"), storage=NoStorage())
    app.config["KB_INDEX"] = str(store.path)
    return app.test_client()


def page(client, path, language="en"):
    response = client.get(path, headers={"Accept-Language": language})
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_search_page_lists_the_articles_in_the_visitors_language_without_signing_in(tmp_path, language):
    client = make_client(tmp_path, [make_indexed(language=code, title=f"Title {code}") for code in ("fr", "nl", "en")])
    status, html = page(client, "/kb", language)
    assert status == 200 and HEADINGS[language] in html
    assert f"Title {language}" in html and html.count("Title ") == 1


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_search_results_show_a_snippet_with_the_match_marked(tmp_path, language):
    client = make_client(tmp_path, [make_indexed(language=language, text="Back up the configuration first.")])
    status, html = page(client, "/kb?q=configuration", language)
    assert status == 200 and "<mark>configuration</mark>" in html and "/kb/vpn-tunnel-down" in html


def test_the_query_is_escaped_on_the_page(tmp_path):
    client = make_client(tmp_path)
    status, html = page(client, "/kb?q=%3Cscript%3Ealert(1)%3C/script%3E%22%3E")
    assert status == 200 and "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_a_search_without_result_says_so(tmp_path):
    status, html = page(make_client(tmp_path), "/kb?q=nothinglikethis", "fr")
    assert status == 200 and "Aucun article" in html


def test_a_result_only_in_another_language_is_flagged(tmp_path):
    client = make_client(tmp_path, [make_indexed(language="en", text="firmware upgrade")])
    status, html = page(client, "/kb?q=firmware", "nl")
    assert status == 200 and "alleen in het Engels" in html


def test_the_product_and_version_filters_narrow_the_results(tmp_path):
    client = make_client(tmp_path, [
        make_indexed("cam-article", title="Post-processor output", products=("alpha-cam",)),
        make_indexed("firewall-article", title="Post-processor firewall", products=("net-edge",), versions=("8.0",)),
    ])
    _status, html = page(client, "/kb?q=post&product=net-edge&version=8.0")
    assert "firewall-article" in html and "cam-article" not in html
    assert '<option value="net-edge" selected>' in html


def test_an_unknown_product_or_version_filter_is_ignored(tmp_path):
    client = make_client(tmp_path, [make_indexed(products=("alpha-cam",))])
    status, html = page(client, "/kb?q=tunnel&product=%22%3E%3Cx&version=99")
    assert status == 200 and "/kb/vpn-tunnel-down" in html


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_an_article_shows_in_the_visitors_language(tmp_path, language):
    client = make_client(tmp_path, [make_indexed(language=code, title=f"Title {code}", html=f"<h2>Body {code}</h2>")
                                    for code in ("fr", "nl", "en")])
    status, html = page(client, "/kb/vpn-tunnel-down", language)
    assert status == 200 and f"Title {language}" in html and f"Body {language}" in html
    assert f'<article lang="{language}">' in html


def test_an_article_missing_in_the_visitors_language_shows_another_with_a_note(tmp_path):
    client = make_client(tmp_path, [make_indexed(language="nl", title="Titel"), make_indexed(language="en")])
    status, html = page(client, "/kb/vpn-tunnel-down", "fr")
    assert status == 200 and '<article lang="en">' in html
    assert "le voici en anglais" in html and "?lang=nl" in html


@pytest.mark.parametrize("address", ["/kb/no-such-article", "/kb/Bad%20Id", "/kb/..%2F..%2Fetc"])
def test_an_unknown_article_gets_a_404(tmp_path, address):
    status, _html = page(make_client(tmp_path), address)
    assert status == 404


def test_a_missing_index_gets_a_503_that_says_to_retry(tmp_path):
    app = create_app(make_settings(), charter=load_charter("example"), storage=NoStorage())
    app.config["KB_INDEX"] = str(tmp_path / "not-built.sqlite3")
    response = app.test_client().get("/kb?q=licence")
    assert response.status_code == 503 and response.headers["Retry-After"]


def test_suggestions_give_intake_the_five_best_articles_as_json(tmp_path):
    client = make_client(tmp_path, [make_indexed(f"licence-{n}", title=f"Licence {n}") for n in range(7)])
    response = client.get("/kb/suggestions?q=licence", headers={"Accept-Language": "en"})
    body = response.get_json()["articles"]
    assert response.status_code == 200 and len(body) == 5
    assert body[0]["url"].startswith("/kb/licence-") and body[0]["answered_url"] == body[0]["url"] + "/answered"
    assert all(set(hit) >= {"id", "title", "snippet", "language", "url"} for hit in body)
