"""Deflection (rule T7): each counted event is one DynamoDB write, the summary one read, the rates as defined, and
counting never stops a page, a click or a request."""

from __future__ import annotations

import pytest

from portal.adapters.dynamo.kb_counters import KbCounters
from portal.domain.errors import BackendUnavailable
from portal.services import deflection
from tests.call_counter import count_dynamodb_calls


@pytest.fixture
def counters(moto_storage):
    return KbCounters()


def test_a_view_from_the_intake_counts_a_view_and_an_intake_view_in_one_update(counters):
    with count_dynamodb_calls() as calls:
        assert deflection.count_view(counters, "severity-levels", from_intake=True)
    assert dict(calls) == {"UpdateItem": 1}
    deflection.count_view(counters, "severity-levels")
    article = deflection.deflection_summary(counters, ["severity-levels"]).articles[0]
    assert (article.views, article.intake_views) == (2, 1)


def test_answered_and_helpful_clicks_each_cost_one_update(counters):
    with count_dynamodb_calls() as calls:
        deflection.count_answered(counters, "severity-levels")
        deflection.count_helpful(counters, "severity-levels", True)
        deflection.count_helpful(counters, "severity-levels", False)
        deflection.count_helpful(counters, "severity-levels", False)
    assert dict(calls) == {"UpdateItem": 4}
    article = deflection.deflection_summary(counters, ["severity-levels"]).articles[0]
    assert (article.answered, article.helpful_yes, article.helpful_no) == (1, 1, 2)


def test_a_request_filed_anyway_counts_every_shown_article_and_the_request_in_one_call(counters):
    with count_dynamodb_calls() as calls:
        assert deflection.count_request_filed_anyway(counters, ["a-one", "b-two", "a-one", "Not An Id", "../x"])
    assert dict(calls) == {"TransactWriteItems": 1}
    summary = deflection.deflection_summary(counters, ["a-one", "b-two", "c-three"])
    assert [a.filed_anyway for a in summary.articles] == [1, 1, 0]
    assert summary.filed_with_suggestions == 1


def test_a_request_filed_without_suggestions_counts_nothing(counters):
    with count_dynamodb_calls() as calls:
        assert deflection.count_request_filed_anyway(counters, []) is False
        assert deflection.count_request_filed_anyway(counters, ["<script>"]) is False
    assert dict(calls) == {}


def test_the_summary_reads_every_article_with_one_batch_get_and_never_scans(counters):
    ids = [f"article-{n}" for n in range(40)]
    for article_id in ids[:5]:
        deflection.count_view(counters, article_id)
    with count_dynamodb_calls() as calls:
        summary = deflection.deflection_summary(counters, ids)
    assert dict(calls) == {"BatchGetItem": 1}
    assert [a.article_id for a in summary.articles] == ids and summary.views == 5


def test_the_rates_follow_their_definitions():
    article = deflection.ArticleDeflection("a", views=10, intake_views=4, answered=3, filed_anyway=1, helpful_yes=6,
                                           helpful_no=2)
    other = deflection.ArticleDeflection("b", views=10, intake_views=0, answered=1, filed_anyway=5, helpful_yes=0,
                                         helpful_no=0)
    assert (article.deflection_rate, article.helpful_rate, article.intake_share) == (0.75, 0.75, 0.4)
    assert other.helpful_rate is None and other.intake_share == 0
    summary = deflection.DeflectionSummary((article, other), filed_with_suggestions=4)
    assert (summary.answered, summary.deflection_rate, summary.helpful_rate, summary.intake_share) == (
        4, 0.5, 0.75, 0.2)
    assert summary.as_json()["overall"]["filed_with_suggestions"] == 4


def test_without_any_count_every_rate_is_none(counters):
    summary = deflection.deflection_summary(counters, ["never-seen"])
    assert summary.deflection_rate is None and summary.articles[0].deflection_rate is None
    assert summary.articles[0].as_json()["views"] == 0


class DownCounters:
    def add(self, article_id, events):
        raise BackendUnavailable("dynamodb", "timeout")

    def add_filed_anyway(self, article_ids):
        raise BackendUnavailable("dynamodb", "timeout")


def test_a_database_failure_loses_the_count_but_never_raises():
    assert deflection.count_view(DownCounters(), "severity-levels") is False
    assert deflection.count_answered(DownCounters(), "severity-levels") is False
    assert deflection.count_helpful(DownCounters(), "severity-levels", True) is False
    assert deflection.count_request_filed_anyway(DownCounters(), ["severity-levels"]) is False


def test_an_unknown_event_is_refused(counters):
    with pytest.raises(ValueError, match="unknown"):
        counters.add("severity-levels", ["likes"])


def test_the_counters_live_in_the_counters_table_under_their_own_prefix(moto_storage, counters):
    from portal.adapters.dynamo.models import CounterModel

    deflection.count_view(counters, "severity-levels")
    item = CounterModel.get("kb#severity-levels")
    assert item.counter_id == "kb#severity-levels"
