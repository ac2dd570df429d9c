"""`portal kb build` checks every article and writes the index; `portal kb search` prints what the portal finds."""

from __future__ import annotations

import json

from click.testing import CliRunner

from portal.cli import main
from tests.unit.kb.kb_builders import write_article


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_kb_is_listed_in_the_portal_help():
    assert "kb" in run("--help").output


def test_build_writes_an_index_that_search_reads(tmp_path):
    content = tmp_path / "content"
    for language in ("fr", "nl", "en"):
        write_article(content, language=language, title=f"Tunnel VPN {language}")
    out = tmp_path / "out" / "kb.sqlite3"
    built = run("kb", "build", "--content", str(content), "--out", str(out))
    assert built.exit_code == 0, built.output
    assert "1 articles (3 language versions)" in built.output and out.is_file()
    found = run("kb", "search", "tunnel", "--lang", "nl", "--product", "net-edge", "--index", str(out))
    assert found.exit_code == 0, found.output
    hits = json.loads(found.output)
    assert [(hit["id"], hit["language"], hit["title"]) for hit in hits] == [("vpn-tunnel-down", "nl", "Tunnel VPN nl")]


def test_build_exits_1_listing_every_bad_article_and_writes_nothing(tmp_path):
    content = tmp_path / "content"
    write_article(content, article_id="good-article")
    first = write_article(content, article_id="no-title", omit=("title",))
    second = write_article(content, article_id="bad-version", language="fr", versions=["9.9"])
    out = tmp_path / "kb.sqlite3"
    result = run("kb", "build", "--content", str(content), "--out", str(out))
    assert result.exit_code == 1
    assert f"{first}: title: is missing" in result.output and f"{second}: versions:" in result.output
    assert "2 invalid article file(s)" in result.output and not out.exists()


def test_search_on_a_missing_index_fails_with_a_clear_message(tmp_path):
    result = run("kb", "search", "licence", "--lang", "fr", "--index", str(tmp_path / "none.sqlite3"))
    assert result.exit_code == 2 and "portal kb build" in result.output


def test_search_with_an_empty_query_prints_an_empty_list(tmp_path):
    content = tmp_path / "content"
    write_article(content)
    out = tmp_path / "kb.sqlite3"
    assert run("kb", "build", "--content", str(content), "--out", str(out)).exit_code == 0
    result = run("kb", "search", "  \"* ", "--lang", "en", "--index", str(out))
    assert result.exit_code == 0 and json.loads(result.output) == []
