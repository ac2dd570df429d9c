"""`portal sla`: when an answer is due for a tier, severity and receipt time, and why."""

from __future__ import annotations

import json
from datetime import datetime

import click

from portal.cli.context import fail


@click.command()
@click.option("--charter", "charter_id", required=True, help="A preset id or a charter file.")
@click.option("--tier", required=True)
@click.option("--severity", type=int, required=True)
@click.option("--received", required=True, help="ISO 8601 with an offset, e.g. 2026-11-20T17:30:00+01:00")
@click.option("--lang", type=click.Choice(["en", "fr", "nl"]), default="en", show_default=True)
def sla(charter_id, tier, severity, received, lang):
    """Print eligible, priority, response_due and the explanation as one JSON object."""
    from portal.domain.calendar import calendar_for
    from portal.domain.charter import CharterError, UnknownTier, load_charter
    from portal.domain.sla import eligibility, response_due
    from portal.services.explanations import explain

    try:
        charter = load_charter(charter_id)
    except CharterError as error:
        fail("; ".join(str(problem) for problem in error.problems))
    if not 1 <= severity <= 4:
        fail(f"severity must be 1 to 4, not {severity}")
    try:
        moment = datetime.fromisoformat(received)
    except ValueError:
        fail(f"not an ISO 8601 time: {received!r}")
    if moment.tzinfo is None:
        fail(f"the received time needs an offset or zone (e.g. {received}+01:00)")
    try:
        result = response_due(charter, tier, severity, moment)
        tier_obj = charter.tier(tier)
    except UnknownTier as error:
        fail(str(error))
    calendar = calendar_for(charter)
    click.echo(json.dumps({
        "eligible": eligibility(charter, tier),
        "priority": tier_obj.priority,
        "response_due": result.due.astimezone(calendar.zone).isoformat() if result.due else None,
        "target": result.target.astimezone(calendar.zone).isoformat() if result.target else None,
        "explanation": explain(result.parts, lang, calendar),
    }, ensure_ascii=False, indent=2))
