"""Words for a due-time explanation (portal.domain.sla parts) in the reader's language: one wording, the
domain's (times in the charter's zone, holidays and closed days named), for pages, e-mails and the API."""

from __future__ import annotations

from portal.domain.sla import render_explanation


def explain(parts, language: str, calendar=None) -> list[str]:
    """The explanation's sentences in `language` (fr, nl or en); holiday names in that language where the
    calendar's holiday data has it."""
    return list(render_explanation(parts, language, calendar))
