"""Deflection on the pages: a view counts on GET (from the intake when the suggestions say so), "This answered my
question" and "Was this article helpful?" are CSRF-protected POSTs that count once, and the static site counts
nothing."""

from __future__ import annotations

import re

import pytest

from portal.services.deflection import deflection_summary
from tests.builders import seeded_app, signed_in_client
from tests.call_counter import count_dynamodb_calls
from tests.unit.kb.kb_builders import build_store, make_indexed

ARTICLE = "vpn-tunnel-down"


@pytest.fixture
def app(moto_storage, tmp_path):
    store = build_store(tmp_path, [make_indexed(ARTICLE, language) for language in ("fr", "nl", "en")])
    app = seeded_app(moto_storage, tmp_path)
    app.config["KB_INDEX"] = str(store.path)
    return app


def counts(app):
    summary = deflection_summary(app.extensions["portal"].storage.kb_counters, [ARTICLE])
    return summary.articles[0], summary


def csrf_client(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get(f"/kb/{ARTICLE}?lang=en").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client, token


def test_reading_an_article_counts_one_view_with_one_update(app):
    client = app.test_client()
    with count_dynamodb_calls() as calls:
        assert client.get(f"/kb/{ARTICLE}").status_code == 200
    assert dict(calls) == {"UpdateItem": 1}
    article, _ = counts(app)
    assert (article.views, article.intake_views) == (1, 0)


def test_an_article_opened_from_the_intake_suggestions_counts_as_an_intake_view(app):
    app.test_client().get(f"/kb/{ARTICLE}?from=intake")
    article, _ = counts(app)
    assert (article.views, article.intake_views) == (1, 1)


def test_an_unknown_article_counts_nothing(app):
    client = app.test_client()
    with count_dynamodb_calls() as calls:
        assert client.get("/kb/no-such-article").status_code == 404
        assert client.post("/kb/no-such-article/helpful", data={"helpful": "yes"}).status_code == 404
        assert client.post("/kb/no-such-article/answered").status_code == 404
    assert dict(calls) == {}


@pytest.mark.parametrize(("answer", "yes", "no"), [("yes", 1, 0), ("no", 0, 1)])
def test_the_helpful_answer_counts_once_and_thanks_the_reader_without_counting_a_view(app, answer, yes, no):
    client, token = csrf_client(app)
    response = client.post(f"/kb/{ARTICLE}/helpful?lang=en", data={"helpful": answer, "csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/kb/{ARTICLE}?rated=1")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you for your feedback." in page and 'name="helpful"' not in page
    article, _ = counts(app)
    assert (article.helpful_yes, article.helpful_no, article.views) == (yes, no, 1)


@pytest.mark.parametrize(("language", "question"), [("fr", "Cet article vous a-t-il aidé ?"),
                                                    ("nl", "Was dit artikel nuttig?"),
                                                    ("en", "Was this article helpful?")])
def test_each_article_page_asks_whether_it_helped_in_the_readers_language(app, language, question):
    page = app.test_client().get(f"/kb/{ARTICLE}?lang={language}").get_data(as_text=True)
    assert question in page and 'value="yes"' in page and 'value="no"' in page


def test_the_helpful_form_needs_its_csrf_token(app):
    client, _ = csrf_client(app)
    response = client.post(f"/kb/{ARTICLE}/helpful", data={"helpful": "yes"})
    assert response.status_code == 400
    assert counts(app)[0].helpful_yes == 0


def test_an_answer_other_than_yes_or_no_is_refused_with_a_message(app):
    response = app.test_client().post(f"/kb/{ARTICLE}/helpful?lang=fr", data={"helpful": "maybe"})
    assert response.status_code == 400 and "Répondez par oui ou par non." in response.get_data(as_text=True)
    article, _ = counts(app)
    assert (article.helpful_yes, article.helpful_no) == (0, 0)


def test_this_answered_my_question_counts_and_ends_the_intake_on_the_home_page(app):
    client = signed_in_client(app, "owner@customer1.example")
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/kb/{ARTICLE}?lang=en").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    with count_dynamodb_calls() as calls:
        response = client.post(f"/kb/{ARTICLE}/answered?lang=en", headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.get_json() == {"next": "/"}
    assert dict(calls) == {"UpdateItem": 1}
    assert "no request was filed" in client.get("/?lang=en").get_data(as_text=True)
    article, summary = counts(app)
    assert article.answered == 1 and summary.deflection_rate == 1.0


def test_this_answered_my_question_needs_the_csrf_token(app):
    app.config["WTF_CSRF_ENABLED"] = True
    response = app.test_client().post(f"/kb/{ARTICLE}/answered")
    assert response.status_code == 400 and counts(app)[0].answered == 0


def test_the_suggestions_carry_the_button_labels_in_the_customers_language(app):
    body = app.test_client().get("/kb/suggestions?q=tunnel&lang=nl").get_json()
    assert body["labels"] == {"answered": "Dit beantwoordt mijn vraag", "still_need_help": "Ik heb nog hulp nodig"}
    assert body["articles"][0]["answered_url"] == f"/kb/{ARTICLE}/answered"


def test_a_database_failure_while_counting_still_shows_the_article(app):
    from portal.domain.errors import BackendUnavailable

    class Down:
        def add(self, article_id, events):
            raise BackendUnavailable("dynamodb", "timeout")

    app.extensions["portal"].storage.kb_counters = Down()
    response = app.test_client().get(f"/kb/{ARTICLE}")
    assert response.status_code == 200


def test_pages_rendered_for_the_static_site_count_nothing(app):
    static = app.test_client()
    static.environ_base["portal.static_site"] = True
    with count_dynamodb_calls() as calls:
        page = static.get(f"/kb/{ARTICLE}?from=intake").get_data(as_text=True)
    assert dict(calls) == {} and 'name="helpful"' not in page
    live = app.test_client().get(f"/kb/{ARTICLE}").get_data(as_text=True)
    assert 'name="helpful"' in live and "kb-static-search.js" not in app.test_client().get("/kb").get_data(as_text=True)
