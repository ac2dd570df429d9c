"""Knowledge-base counters (deflection, rule T7): one item per article in the `counters` table, one number per event.

| who                                         | table    | key                                                  |
|---------------------------------------------|----------|------------------------------------------------------|
| an event on one article (view, answered, …) | counters | counter_id=`kb#<article id>` (one UpdateItem, ADD)   |
| a request filed with articles shown         | counters | `kb#<id>` of each shown article and `kb#requests`    |
|                                             |          | (one TransactWriteItems of ADD updates)              |
| the deflection summary                      | counters | the same keys, one BatchGet per 100 articles         |

The items share the table (and its connection settings) with the ticket-number counters; their key prefix keeps
them apart, and their numbers are separate attributes so that one item answers for one article.
"""

from __future__ import annotations

from collections.abc import Iterable

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from portal.adapters.dynamo.errors import dynamo_errors
from portal.adapters.dynamo.models import CounterModel

EVENTS = ("views", "intake_views", "answered", "filed_anyway", "helpful_yes", "helpful_no")
PREFIX = "kb#"
REQUESTS_KEY = f"{PREFIX}requests"  # `filed`: requests filed with at least one article shown
MAX_BATCH = 100  # DynamoDB's BatchGetItem limit
MAX_TRANSACTION = 100  # DynamoDB's TransactWriteItems limit


class KbCounterModel(Model):
    """An article's counters (or, under `kb#requests`, the requests filed with articles shown)."""

    Meta = CounterModel.Meta  # the same table, configured with it by `configure_tables`
    counter_id = UnicodeAttribute(hash_key=True)
    views = NumberAttribute(null=True)
    intake_views = NumberAttribute(null=True)
    answered = NumberAttribute(null=True)
    filed_anyway = NumberAttribute(null=True)
    helpful_yes = NumberAttribute(null=True)
    helpful_no = NumberAttribute(null=True)
    filed = NumberAttribute(null=True)


def article_key(article_id: str) -> str:
    return f"{PREFIX}{article_id}"


class KbCounters:
    def __init__(self):
        KbCounterModel._connection = None  # a new storage may point at another database

    @dynamo_errors
    def add(self, article_id: str, events: Iterable[str]) -> None:
        """Count one occurrence of each event on the article, in one atomic UpdateItem (no lost count)."""
        names = list(dict.fromkeys(events))
        unknown = set(names) - set(EVENTS)
        if unknown or not names:
            raise ValueError(f"unknown knowledge-base events {sorted(unknown)} (known: {', '.join(EVENTS)})")
        KbCounterModel(article_key(article_id)).update(
            actions=[getattr(KbCounterModel, name).add(1) for name in names])

    @dynamo_errors
    def add_filed_anyway(self, article_ids: Iterable[str]) -> None:
        """Count a request filed although these articles were shown: each article's `filed_anyway` and the total
        of such requests, all in one TransactWriteItems call."""
        wanted = list(dict.fromkeys(article_ids))[: MAX_TRANSACTION - 1]
        if not wanted:
            return
        connection = KbCounterModel._get_connection().connection
        with TransactWrite(connection=connection) as transaction:
            for article_id in wanted:
                transaction.update(KbCounterModel(article_key(article_id)),
                                   actions=[KbCounterModel.filed_anyway.add(1)])
            transaction.update(KbCounterModel(REQUESTS_KEY), actions=[KbCounterModel.filed.add(1)])

    @dynamo_errors
    def read(self, article_ids: Iterable[str]) -> tuple[dict[str, dict[str, int]], int]:
        """Each article's counts (0 for events never counted) and the number of requests filed with articles
        shown: one BatchGet per 100 keys."""
        wanted = list(dict.fromkeys(article_ids))
        counts = {article_id: dict.fromkeys(EVENTS, 0) for article_id in wanted}
        filed = 0
        keys = [article_key(article_id) for article_id in wanted] + [REQUESTS_KEY]
        for start in range(0, len(keys), MAX_BATCH):
            for item in KbCounterModel.batch_get(keys[start:start + MAX_BATCH]):
                if item.counter_id == REQUESTS_KEY:
                    filed = int(item.filed or 0)
                    continue
                counts[item.counter_id.removeprefix(PREFIX)] = {
                    name: int(getattr(item, name) or 0) for name in EVENTS}
        return counts, filed
