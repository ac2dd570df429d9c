"""Search: FTS5 with bm25 (title above text), diacritics folded, filters, and no query that can break it."""

from __future__ import annotations

import random

import pytest

from portal.kb.index import match_expression, query_terms
from tests.unit.kb.kb_builders import build_store, make_indexed


def ids(hits):
    return [hit.article_id for hit in hits]


def test_an_accent_in_the_text_matches_a_query_without_it(tmp_path):
    store = build_store(tmp_path, [make_indexed(language="fr", title="Réseau", text="Le câble réseau est débranché.")])
    assert ids(store.search("cable reseau debranche", "fr")) == ["vpn-tunnel-down"]


def test_an_accent_in_the_query_matches_a_text_without_it(tmp_path):
    store = build_store(tmp_path, [make_indexed(language="fr", title="Licence", text="Deplacer une licence.")])
    assert ids(store.search("DÉPLACER", "fr")) == ["vpn-tunnel-down"]


def test_a_dutch_diaeresis_is_folded(tmp_path):
    store = build_store(tmp_path, [make_indexed(language="nl", title="Suggesties", text="Uw ideeën voor later.")])
    assert ids(store.search("ideeen", "nl")) == ["vpn-tunnel-down"]
    assert ids(store.search("ideeën", "nl")) == ["vpn-tunnel-down"]


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_text(tmp_path):
    store = build_store(tmp_path, [
        make_indexed("body-hit", title="Backing up the configuration", text="Before a firmware upgrade, back up."),
        make_indexed("title-hit", title="Firmware upgrade", text="Download the image and install it."),
    ])
    assert ids(store.search("firmware", "en")) == ["title-hit", "body-hit"]


def test_articles_with_every_word_come_before_those_with_some(tmp_path):
    store = build_store(tmp_path, [
        make_indexed("some-words", title="Licence transfer", text="Move a licence to a new computer."),
        make_indexed("every-word", title="Dongle", text="Replace a broken dongle to restore the licence."),
    ])
    assert ids(store.search("licence dongle", "en")) == ["every-word", "some-words"]


def test_results_are_in_the_visitors_language(tmp_path):
    store = build_store(tmp_path, [make_indexed(language=code, text="firewall backup") for code in ("fr", "nl", "en")])
    hits = store.search("firewall", "nl")
    assert [(hit.article_id, hit.language) for hit in hits] == [("vpn-tunnel-down", "nl")]


def test_an_article_missing_in_the_visitors_language_stands_in_once_from_another(tmp_path):
    store = build_store(tmp_path, [make_indexed(language="nl", text="firewall backup"),
                                   make_indexed(language="en", text="firewall backup")])
    hits = store.search("firewall", "fr")
    assert [(hit.article_id, hit.language) for hit in hits] == [("vpn-tunnel-down", "en")]
    assert hits[0].languages == ("en", "nl")


def test_an_article_with_no_product_matches_every_product_filter(tmp_path):
    store = build_store(tmp_path, [
        make_indexed("for-everyone", text="compress large files", products=()),
        make_indexed("for-cam", text="compress large files", products=("alpha-cam",)),
        make_indexed("for-firewall", text="compress large files", products=("net-edge",)),
    ])
    assert sorted(ids(store.search("compress", "en", product="alpha-cam"))) == ["for-cam", "for-everyone"]
    assert len(store.search("compress", "en")) == 3


def test_the_version_filter_keeps_articles_for_that_version_or_every_version(tmp_path):
    store = build_store(tmp_path, [
        make_indexed("any-version", text="firmware upgrade", products=("net-edge",)),
        make_indexed("only-8", text="firmware upgrade", products=("net-edge",), versions=("8.0",)),
        make_indexed("only-7", text="firmware upgrade", products=("net-edge",), versions=("7.2", "7.4")),
    ])
    assert sorted(ids(store.search("firmware", "en", product="net-edge", version="7.4"))) == ["any-version", "only-7"]


def test_a_version_filter_does_not_match_part_of_another_version(tmp_path):
    store = build_store(tmp_path, [make_indexed("v-24", text="load combinations", versions=("24",))])
    assert store.search("load", "en", version="2") == []


def test_the_snippet_marks_the_matched_words_and_escapes_the_text(tmp_path):
    store = build_store(tmp_path, [make_indexed(text="Type <b>backup</b> & press Enter")])
    snippet = store.search("backup", "en")[0].snippet_html
    assert "&lt;b&gt;<mark>backup</mark>&lt;/b&gt; &amp; press" in snippet


def test_the_last_word_matches_as_a_prefix_while_typing(tmp_path):
    store = build_store(tmp_path, [make_indexed(title="Firmware upgrade")])
    assert ids(store.search("firmw", "en")) == ["vpn-tunnel-down"]
    assert store.search("firmw ", "en") == []


def test_the_limit_caps_the_results(tmp_path):
    store = build_store(tmp_path, [make_indexed(f"article-{n}", text="licence") for n in range(8)])
    assert len(store.search("licence", "en", limit=3)) == 3


HOSTILE_QUERIES = [
    "", "   ", '"', '""', "'", "*", "-", "-licence", "licence -", "NEAR", "NEAR(licence tunnel)", "NEAR/2",
    "licence AND", "OR", "NOT", "AND OR NOT", "(", ")", "((licence)", "title:licence", "{title}: x", "^licence",
    "lic*", "*licence", "licence*", '"licence', 'licence"', "a\"b'c", ":::", "+", "\\", "%", "_", "%_",
    "\x00", "licence\x00tunnel", "-- DROP TABLE articles", "'; SELECT 1; --", "😀", "ﬁrmware", "l'", "qu'",
    "licence " * 200, "x" * 5000,
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_never_raise(tmp_path, query):
    store = build_store(tmp_path, [make_indexed(title="Licence tunnel", text="licence and tunnel")])
    assert isinstance(store.search(query, "en", product="net-edge", version="7.4"), list)


@pytest.mark.parametrize("query", ["", "   ", "*", "-", '"', "()", "?!", "…", "—", "''", "_"])
def test_an_empty_or_punctuation_only_query_finds_nothing(tmp_path, query):
    store = build_store(tmp_path, [make_indexed(title="Licence tunnel", text="licence and tunnel")])
    assert store.search(query, "en") == []
    assert match_expression(query) is None


def test_operator_words_are_searched_as_plain_words(tmp_path):
    store = build_store(tmp_path, [make_indexed(title="Near the firewall", text="not or and")])
    assert ids(store.search("NEAR", "en")) == ["vpn-tunnel-down"]
    assert ids(store.search("NOT OR AND", "en")) == ["vpn-tunnel-down"]


def test_random_text_never_breaks_the_query(tmp_path):
    store = build_store(tmp_path, [make_indexed(title="Licence tunnel", text="licence and tunnel")])
    rng = random.Random(20260504)
    alphabet = "abcé ë\"'*-+:^(){}[]./\\|&!?~`NEARORANDNOT0123456789\t\n€😀"
    for _ in range(400):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert isinstance(store.search(query, rng.choice(["fr", "nl", "en"])), list)


def test_words_joined_by_punctuation_stay_one_phrase_and_elisions_are_dropped():
    assert query_terms("NetEdge 7.4 wi-fi l'export qu’il") == ["NetEdge", "7 4", "wi fi", "export", "il"]


def test_an_unknown_language_finds_nothing(tmp_path):
    store = build_store(tmp_path)
    assert store.search("tunnel", "de") == []


def test_the_search_box_accepts_as_many_characters_as_the_index_reads():
    from portal.kb.index import MAX_QUERY_CHARACTERS
    from portal.web.kb.routes import QUERY_CHARACTERS

    assert QUERY_CHARACTERS == MAX_QUERY_CHARACTERS
