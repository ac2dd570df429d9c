"""Article files: the front matter is checked field by field, and every problem names its file and field."""

from __future__ import annotations

from datetime import date

import pytest

from portal.kb.articles import ArticleErrors, load_articles, load_catalog, parse_article
from tests.unit.kb.kb_builders import write_article


def problems_of(path):
    article, problems = parse_article(path, load_catalog())
    assert article is None
    return {(problem.field, problem.message) for problem in problems}


def fields_of(path):
    return {field for field, _message in problems_of(path)}


def test_a_complete_article_loads_with_its_fields(tmp_path):
    path = write_article(tmp_path, products=["net-edge"], versions=["7.4", "8.0"], tags=["vpn", "ipsec"])
    article, problems = parse_article(path, load_catalog())
    assert problems == []
    assert article.article_id == "vpn-tunnel-down" and article.language == "en"
    assert article.products == ("net-edge",) and article.versions == ("7.4", "8.0")
    assert article.updated == date(2026, 5, 4) and article.body.startswith("## Check the tunnel")


def test_empty_products_and_versions_mean_every_product_and_version(tmp_path):
    article, problems = parse_article(write_article(tmp_path, products=[], versions=[]), load_catalog())
    assert problems == [] and article.products == () and article.versions == ()


@pytest.mark.parametrize("field", ["id", "title", "language", "products", "versions", "tags", "updated"])
def test_a_missing_field_is_named(tmp_path, field):
    assert (field, "is missing") in problems_of(write_article(tmp_path, omit=(field,)))


def test_an_unknown_field_is_named_so_a_typo_never_goes_unnoticed(tmp_path):
    assert "product" in fields_of(write_article(tmp_path, product=["net-edge"]))


def test_a_version_written_as_a_number_must_be_quoted(tmp_path):
    path = write_article(tmp_path, versions=[7.4])
    assert ("versions", "7.4 must be quoted (\"7.4\"): YAML reads it as a number") in problems_of(path)


def test_an_unknown_product_is_refused(tmp_path):
    assert "products" in fields_of(write_article(tmp_path, products=["net-egde"]))


def test_a_version_must_be_a_release_of_the_articles_products(tmp_path):
    assert "versions" in fields_of(write_article(tmp_path, products=["net-edge"], versions=["2025.1"]))


def test_an_id_differing_from_its_folder_is_refused(tmp_path):
    assert "id" in fields_of(write_article(tmp_path, article_id="vpn-down", folder="vpn-tunnel-down"))


def test_an_id_with_capitals_or_spaces_is_refused(tmp_path):
    assert "id" in fields_of(write_article(tmp_path, article_id="VPN down", folder="vpn-down"))


def test_an_id_reserved_for_the_portals_pages_is_refused(tmp_path):
    assert "id" in fields_of(write_article(tmp_path, article_id="suggestions"))


def test_an_id_that_would_share_the_deflection_totals_counter_is_refused_rule_t7(tmp_path):
    """Rule T7: an article `requests` would count into kb#requests, the requests filed with articles shown."""
    from portal.adapters.dynamo.kb_counters import REQUESTS_KEY, article_key

    assert article_key("requests") == REQUESTS_KEY  # why the id is reserved
    assert "id" in fields_of(write_article(tmp_path, article_id="requests"))


def test_the_language_must_match_the_file_name(tmp_path):
    path = write_article(tmp_path, language="fr")
    path.rename(path.with_name("nl.md"))
    assert "language" in fields_of(path.with_name("nl.md"))


def test_an_unknown_language_is_refused(tmp_path):
    assert "language" in fields_of(write_article(tmp_path, language="de"))


def test_the_update_date_must_be_a_date(tmp_path):
    assert "updated" in fields_of(write_article(tmp_path, updated="last week"))


def test_an_article_without_text_is_refused(tmp_path):
    assert "body" in fields_of(write_article(tmp_path, body=""))


def test_a_file_without_front_matter_is_refused(tmp_path):
    path = tmp_path / "vpn-tunnel-down" / "en.md"
    path.parent.mkdir()
    path.write_text("# VPN tunnel down\n\nText.\n", encoding="utf-8")
    assert fields_of(path) == {"front matter"}


def test_invalid_yaml_is_reported_with_its_line(tmp_path):
    path = tmp_path / "vpn-tunnel-down" / "en.md"
    path.parent.mkdir()
    path.write_text("---\nid: vpn-tunnel-down\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    (field, message), = problems_of(path)
    assert field == "front matter" and "line" in message


def test_loading_lists_every_problem_of_every_file_with_file_and_field(tmp_path):
    write_article(tmp_path, article_id="good-one")
    bad_title = write_article(tmp_path, article_id="bad-title", title="")
    bad_product = write_article(tmp_path, article_id="bad-product", language="nl", products=["nope"])
    with pytest.raises(ArticleErrors) as raised:
        load_articles(tmp_path)
    listed = {(problem.source, problem.field) for problem in raised.value.problems}
    assert listed == {(bad_title, "title"), (bad_product, "products")}
    assert str(bad_title) in str(raised.value) and "title" in str(raised.value)


def test_articles_load_sorted_by_id_then_language(tmp_path):
    for article_id, language in [("b-article", "nl"), ("a-article", "fr"), ("b-article", "en")]:
        write_article(tmp_path, article_id=article_id, language=language)
    assert [(a.article_id, a.language) for a in load_articles(tmp_path)] == [
        ("a-article", "fr"), ("b-article", "en"), ("b-article", "nl")]
