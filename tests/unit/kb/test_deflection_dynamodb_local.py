"""The deflection counters against DynamoDB Local (real DynamoDB's rules, which moto relaxes): ADD updates create
the item, a request filed anyway is one transaction, the summary one BatchGet."""

from __future__ import annotations

import pytest

from portal.services import deflection

pytestmark = pytest.mark.integration


def test_counts_and_the_summary_on_dynamodb_local(local_storage):
    counters = local_storage.kb_counters
    assert deflection.count_view(counters, "severity-levels", from_intake=True)
    assert deflection.count_answered(counters, "severity-levels")
    assert deflection.count_helpful(counters, "severity-levels", helpful=False)
    assert deflection.count_request_filed_anyway(counters, [f"article-{n}" for n in range(20)] + ["severity-levels"])
    summary = deflection.deflection_summary(counters, ["severity-levels", "article-0", "article-19", "never"])
    by_id = {article.article_id: article for article in summary.articles}
    assert (by_id["severity-levels"].views, by_id["severity-levels"].intake_views) == (1, 1)
    assert (by_id["severity-levels"].answered, by_id["severity-levels"].helpful_no) == (1, 1)
    assert by_id["article-0"].filed_anyway == 1 and by_id["article-19"].filed_anyway == 1
    assert by_id["severity-levels"].filed_anyway == 0  # only the first 20 shown articles are kept, as intake keeps
    assert by_id["never"].views == 0 and summary.filed_with_suggestions == 1
    assert summary.deflection_rate == 0.5
