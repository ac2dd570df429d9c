"""`portal sla`: when an answer is due for a tier, severity and receipt time, and why."""

from __future__ import annotations

import json
from datetime import datetime

import click

from portal.cli.context import fail


def _received(text: str) -> datetime:
    """The receipt time: ISO 8601 with an offset (a time without one names no instant)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail(f"--received is not an ISO 8601 time: {text!r}")
    if moment.tzinfo is None:
        fail(f"--received needs an offset or Z, e.g. {text}+01:00")
    return moment


@click.command()
@click.option("--charter", "charter_id", required=True, help="A preset id or a charter file.")
@click.option("--tier", required=True, help="A tier id of that charter, e.g. premium.")
@click.option("--severity", type=int, required=True, help="1 production stopped ... 4 no production impact.")
@click.option("--received", required=True, help="ISO 8601 with an offset, e.g. 2026-11-20T17:30:00+01:00")
@click.option("--lang", type=click.Choice(["en", "fr", "nl"]), default="en", show_default=True,
              help="Language of the explanation.")
def sla(charter_id, tier, severity, received, lang):
    """Print eligible, priority, response_due and the explanation as one JSON object (rules S4, T2, T3, E10)."""
    from portal.domain.calendar import calendar_for
    from portal.domain.charter import CharterError, UnknownTier, load_charter
    from portal.domain.sla import SEVERITIES, eligibility, render_explanation, response_due

    try:
        charter = load_charter(charter_id)
    except CharterError as error:
        fail("; ".join(str(problem) for problem in error.problems))
    if severity not in SEVERITIES:
        fail(f"--severity must be 1 to 4, not {severity}")
    moment = _received(received)
    try:
        priority = charter.tier(tier).priority
    except UnknownTier as error:
        fail(str(error))
    calendar = calendar_for(charter)
    result = response_due(charter, tier, severity, moment, calendar)
    click.echo(json.dumps({
        "eligible": eligibility(charter, tier),
        "priority": priority,
        "response_due": result.due.isoformat() if result.due else None,
        "target": result.target.isoformat() if result.target else None,
        "explanation": list(render_explanation(result.parts, lang, calendar)),
    }, ensure_ascii=False, indent=2))
