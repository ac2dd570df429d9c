"""Deflection (rule T7: documentation first): how often a knowledge-base article answers a customer's question
before a request is filed.

Counted per article, one DynamoDB write per event: views of the article page (`views`), those opened from the
suggestions shown while a request is typed (`intake_views`), "This answered my question" clicks in those
suggestions (`answered`, which end the intake without a request), requests filed although the article was
shown (`filed_anyway`), and the yes/no of "Was this article helpful?" (`helpful_yes`, `helpful_no`).
Counting is best effort: a database failure is logged and never stops the page, the click or the request.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from portal.domain.errors import BackendUnavailable, ConcurrentUpdate

ARTICLE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SHOWN = 20  # what a request keeps of the articles shown (intake keeps as many)
log = logging.getLogger("portal.kb.deflection")


def _counted(action, what: str, article_ids) -> bool:
    try:
        action()
    except (BackendUnavailable, ConcurrentUpdate) as error:
        log.warning("knowledge-base count lost", extra={"event": what, "articles": list(article_ids),
                                                         "error": str(error)})
        return False
    return True


def count_view(counters, article_id: str, from_intake: bool = False) -> bool:
    """Count a view of the article page, and a view from the intake suggestions when it came from them."""
    events = ("views", "intake_views") if from_intake else ("views",)
    return _counted(lambda: counters.add(article_id, events), "view", [article_id])


def count_answered(counters, article_id: str) -> bool:
    """Count "This answered my question" on an article shown while a request was typed (the intake ends)."""
    return _counted(lambda: counters.add(article_id, ("answered",)), "answered", [article_id])


def count_helpful(counters, article_id: str, helpful: bool) -> bool:
    """Count a yes or a no to "Was this article helpful?"."""
    event = "helpful_yes" if helpful else "helpful_no"
    return _counted(lambda: counters.add(article_id, (event,)), event, [article_id])


def count_request_filed_anyway(counters, shown_article_ids: Iterable[str]) -> bool:
    """Count a request filed although articles were shown while it was typed: each shown article's
    `filed_anyway` and the total of such requests, in one database call. Ids that are not article ids are
    ignored; nothing is counted when no article was shown."""
    shown = [a for a in dict.fromkeys(shown_article_ids) if isinstance(a, str) and ARTICLE_ID.match(a)][:MAX_SHOWN]
    if not shown:
        return False
    return _counted(lambda: counters.add_filed_anyway(shown), "filed_anyway", shown)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class ArticleDeflection:
    """One article's counts and rates; a rate is None while its denominator is 0.

    - `deflection_rate` = answered / (answered + filed_anyway): of the intakes that ended with this article
      among the suggestions, the share it ended without a request (the customer said it answered the question).
    - `helpful_rate` = helpful_yes / (helpful_yes + helpful_no).
    - `intake_share` = intake_views / views: the share of the article's views that came from the intake.
    """

    article_id: str
    views: int
    intake_views: int
    answered: int
    filed_anyway: int
    helpful_yes: int
    helpful_no: int

    @property
    def deflection_rate(self) -> float | None:
        return _rate(self.answered, self.answered + self.filed_anyway)

    @property
    def helpful_rate(self) -> float | None:
        return _rate(self.helpful_yes, self.helpful_yes + self.helpful_no)

    @property
    def intake_share(self) -> float | None:
        return _rate(self.intake_views, self.views)

    def as_json(self) -> dict:
        return {"id": self.article_id, "views": self.views, "intake_views": self.intake_views,
                "answered": self.answered, "filed_anyway": self.filed_anyway, "helpful_yes": self.helpful_yes,
                "helpful_no": self.helpful_no, "deflection_rate": self.deflection_rate,
                "helpful_rate": self.helpful_rate, "intake_share": self.intake_share}


@dataclass(frozen=True)
class DeflectionSummary:
    """Every article's deflection and the overall figures; a rate is None while its denominator is 0.

    - `answered` = the sum of the articles' "This answered my question" clicks: intakes ended without a request.
    - `filed_with_suggestions` = requests filed although at least one article was shown (each counted once).
    - `deflection_rate` = answered / (answered + filed_with_suggestions): of the intakes that showed articles
      and ended, the share that ended without a request.
    - `helpful_rate` = all helpful yes / all helpful answers.
    - `intake_share` = all intake views / all views.
    """

    articles: tuple[ArticleDeflection, ...]
    filed_with_suggestions: int

    def _total(self, name: str) -> int:
        return sum(getattr(article, name) for article in self.articles)

    @property
    def views(self) -> int:
        return self._total("views")

    @property
    def intake_views(self) -> int:
        return self._total("intake_views")

    @property
    def answered(self) -> int:
        return self._total("answered")

    @property
    def deflection_rate(self) -> float | None:
        return _rate(self.answered, self.answered + self.filed_with_suggestions)

    @property
    def helpful_rate(self) -> float | None:
        yes = self._total("helpful_yes")
        return _rate(yes, yes + self._total("helpful_no"))

    @property
    def intake_share(self) -> float | None:
        return _rate(self.intake_views, self.views)

    def as_json(self) -> dict:
        return {"articles": [article.as_json() for article in self.articles],
                "overall": {"views": self.views, "intake_views": self.intake_views, "answered": self.answered,
                            "filed_with_suggestions": self.filed_with_suggestions,
                            "deflection_rate": self.deflection_rate, "helpful_rate": self.helpful_rate,
                            "intake_share": self.intake_share}}


def deflection_summary(counters, article_ids: Iterable[str]) -> DeflectionSummary:
    """The counts and rates of these articles (in this order) and overall, read in one BatchGet per 100 articles
    (never a scan). Pass every article id of the knowledge base (`KnowledgeBase.article_ids()`).

    :raise BackendUnavailable: the database did not answer.
    """
    counts, filed = counters.read(article_ids)
    articles = tuple(ArticleDeflection(article_id, **values) for article_id, values in counts.items())
    return DeflectionSummary(articles=articles, filed_with_suggestions=filed)
