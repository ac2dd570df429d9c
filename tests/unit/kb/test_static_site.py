"""The static site: the same templates rendered through the portal's app, links made relative, a search index per
language, the lifecycle page rebuilt alone, and `portal build-static`."""

from __future__ import annotations

import json

import pytest

from portal.kb.static_site import (
    StaticBuildError,
    build_static_site,
    page_file,
    rebuild_lifecycle_page,
    static_link,
)
from tests.builders import seeded_app
from tests.unit.kb.kb_builders import build_store, make_indexed

PORTAL = "https://portal.example.com"
ARTICLES = {"vpn-tunnel-down", "compress-large-files"}


def link(url, page_path="/kb/vpn-tunnel-down", language="fr", this_file="fr/kb/vpn-tunnel-down.html"):
    return static_link(url, page_path, language, this_file, ARTICLES, PORTAL)


@pytest.mark.parametrize(("path", "language", "expected"), [
    ("/kb", "nl", "nl/kb/index.html"),
    ("/kb/", "en", "en/kb/index.html"),
    ("/kb/vpn-tunnel-down", "fr", "fr/kb/vpn-tunnel-down.html"),
    ("/lifecycle", "en", "en/lifecycle.html"),
    ("/remote-support", "nl", "nl/remote-support.html"),
    ("/static/css/portal.css", "fr", "static/css/portal.css"),
    ("/kb/not-an-article", "fr", None),
    ("/login", "fr", None),
    ("/kb", "de", None),
])
def test_each_public_page_has_one_file_per_language(path, language, expected):
    assert page_file(path, language, ARTICLES) == expected


@pytest.mark.parametrize(("url", "expected"), [
    ("/kb", "index.html"),
    ("/kb/compress-large-files", "compress-large-files.html"),
    ("?lang=nl", "../../nl/kb/vpn-tunnel-down.html"),
    ("/kb/compress-large-files?lang=en", "../../en/kb/compress-large-files.html"),
    ("/lifecycle", "../lifecycle.html"),
    ("/static/css/portal.css", "../../static/css/portal.css"),
    ("/kb?product=net-edge&lang=fr", "index.html?product=net-edge"),
    ("#check-the-tunnel", "#check-the-tunnel"),
    ("/lifecycle#alpha", "../lifecycle.html#alpha"),
    ("/login", f"{PORTAL}/login"),
    ("/contact?lang=nl", f"{PORTAL}/contact?lang=nl"),
    ("/", f"{PORTAL}/"),
    ("mailto:support@vendor.example", "mailto:support@vendor.example"),
    ("https://get.teamviewer.com/graitec", "https://get.teamviewer.com/graitec"),
])
def test_links_to_static_pages_become_relative_and_the_others_go_to_the_portal(url, expected):
    assert link(url) == expected


@pytest.fixture
def site_app(moto_storage, tmp_path):
    store = build_store(tmp_path, [
        make_indexed("vpn-tunnel-down", language, title=f"VPN {language}", text=f"Le tunnel {language} firmware")
        for language in ("fr", "nl", "en")] + [make_indexed("english-only", "en", title="Only in English")])
    app = seeded_app(moto_storage, tmp_path)
    app.config["KB_INDEX"] = str(store.path)
    return app


def test_the_build_writes_every_page_in_each_language_with_relative_links(site_app, tmp_path):
    site = build_static_site(site_app, tmp_path / "site", PORTAL)
    for language in ("fr", "nl", "en"):
        for name in ("kb/index.html", "kb/vpn-tunnel-down.html", "kb/english-only.html", "lifecycle.html",
                     "remote-support.html", "kb/search-index.json"):
            assert f"{language}/{name}" in site.files and (site.out / language / name).is_file()
    assert (site.out / "static" / "css" / "portal.css").is_file() and "index.html" in site.files
    page = (site.out / "nl" / "kb" / "vpn-tunnel-down.html").read_text()
    assert 'lang="nl"' in page and 'href="../../static/css/portal.css"' in page
    assert 'href="../../fr/kb/vpn-tunnel-down.html"' in page and f'href="{PORTAL}/login"' in page
    assert 'href="/' not in page and 'src="/' not in page and 'action="/' not in page


def test_static_pages_carry_no_form_that_posts_and_the_search_page_loads_the_browser_search(site_app, tmp_path):
    site = build_static_site(site_app, tmp_path / "site", PORTAL)
    article = (site.out / "en" / "kb" / "vpn-tunnel-down.html").read_text()
    search = (site.out / "fr" / "kb" / "index.html").read_text()
    assert 'method="post"' not in article.lower() and "csrf_token" not in article
    assert 'src="../../static/js/kb-static-search.js"' in search and 'data-index="search-index.json"' in search
    assert "Résultats pour « {query} »" in search or "{query}" in search


def test_the_search_index_of_a_language_holds_its_articles_and_the_stand_ins(site_app, tmp_path):
    site = build_static_site(site_app, tmp_path / "site", PORTAL)
    index = json.loads((site.out / "nl" / "kb" / "search-index.json").read_text())
    by_id = {document["id"]: document for document in index["documents"]}
    assert index["language"] == "nl" and set(by_id) == {"vpn-tunnel-down", "english-only"}
    assert by_id["vpn-tunnel-down"]["language"] == "nl" and by_id["english-only"]["language"] == "en"
    assert by_id["vpn-tunnel-down"]["body"] == "Le tunnel nl firmware"
    assert by_id["vpn-tunnel-down"]["url"] == "vpn-tunnel-down.html"


def test_a_page_that_fails_to_render_leaves_the_previous_site_in_place(site_app, tmp_path):
    site = build_static_site(site_app, tmp_path / "site", PORTAL)
    before = sorted(path.name for path in site.out.rglob("*"))

    site_app.view_functions["public.lifecycle"] = lambda: ("", 500)
    with pytest.raises(StaticBuildError, match="/lifecycle"):
        build_static_site(site_app, tmp_path / "site", PORTAL)
    assert sorted(path.name for path in site.out.rglob("*")) == before
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".site-")] == []


def test_rebuilding_the_lifecycle_page_replaces_only_its_three_files(site_app, tmp_path):
    site = build_static_site(site_app, tmp_path / "site", PORTAL)
    (site.out / "en" / "lifecycle.html").write_text("stale")
    kb_page = (site.out / "en" / "kb" / "index.html").read_text()
    written = rebuild_lifecycle_page(site.out, site_app, PORTAL)
    assert sorted(path.relative_to(site.out).as_posix() for path in written) == [
        "en/lifecycle.html", "fr/lifecycle.html", "nl/lifecycle.html"]
    page = (site.out / "en" / "lifecycle.html").read_text()
    assert "Version support" in page and 'href="../static/css/portal.css"' in page
    assert (site.out / "en" / "kb" / "index.html").read_text() == kb_page


def test_the_public_remote_support_page_lists_each_tiers_tools_without_signing_in(moto_storage, tmp_path):
    app = seeded_app(moto_storage, tmp_path, charter_id="graitec")
    response = app.test_client().get("/remote-support?lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "TeamViewer QuickSupport" in page
    assert "GRAITEC Advantage contract" in page and "Not included in this level of service." in page
    assert 'href="/tools"' in page and "/download" not in page


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_public_remote_support_page_is_translated(moto_storage, tmp_path, language):
    app = seeded_app(moto_storage, tmp_path, charter_id="graitec")
    page = app.test_client().get(f"/remote-support?lang={language}").get_data(as_text=True)
    assert "Not included in this level of service." not in page and "TeamViewer QuickSupport" in page


def test_portal_build_static_writes_the_site_and_says_how_many_pages(monkeypatch, site_app, tmp_path):
    from click.testing import CliRunner

    from portal.cli import main

    monkeypatch.setattr("portal.web.app.create_app", lambda settings: site_app)
    result = CliRunner().invoke(main, ["build-static", str(tmp_path / "out"), "--portal-url", PORTAL])
    assert result.exit_code == 0, result.output
    assert "pages" in result.output and (tmp_path / "out" / "fr" / "kb" / "index.html").is_file()


def test_portal_build_static_fails_clearly_when_the_index_is_missing(monkeypatch, site_app, tmp_path):
    from click.testing import CliRunner

    from portal.cli import main

    monkeypatch.setattr("portal.web.app.create_app", lambda settings: site_app)
    site_app.extensions.pop("kb", None)
    result = CliRunner().invoke(main, ["build-static", str(tmp_path / "out"), "--index", str(tmp_path / "no.db")])
    assert result.exit_code == 2 and "static site not built" in result.output
    assert not (tmp_path / "out").exists()


def test_building_the_static_site_leaves_the_running_portal_as_it_was(site_app, tmp_path):
    build_static_site(site_app, tmp_path / "site", PORTAL)
    rebuild_lifecycle_page(tmp_path / "site", site_app, PORTAL)
    page = site_app.test_client().get("/kb/vpn-tunnel-down?lang=en").get_data(as_text=True)
    assert 'name="helpful"' in page and "kb-static-search.js" not in site_app.test_client().get("/kb").get_data(
        as_text=True)


def test_portal_build_static_can_render_the_lifecycle_page_alone(monkeypatch, site_app, tmp_path):
    from click.testing import CliRunner

    from portal.cli import main

    monkeypatch.setattr("portal.web.app.create_app", lambda settings: site_app)
    result = CliRunner().invoke(main, ["build-static", str(tmp_path / "out"), "--lifecycle-only"])
    assert result.exit_code == 0, result.output
    assert "3 version-support pages" in result.output
    assert sorted(path.relative_to(tmp_path / "out").as_posix() for path in (tmp_path / "out").rglob("*.html")) == [
        "en/lifecycle.html", "fr/lifecycle.html", "nl/lifecycle.html"]
