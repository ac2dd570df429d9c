"""`portal charter ...` (list, check, show) and `portal lifecycle`: the charter as data, from the shell."""

from __future__ import annotations

import datetime
import json
import re

import click

from portal.cli.context import fail

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
POLICY_SUMMARIES = {
    "current_only": "current version only",
    "n_minus": "the current version and the {n} before it (N-{n})",
    "previous_for_months": "the previous version for {months} months after its successor's release",
    "all_releases": "every release (no version limit)",
}


@click.group()
def charter():
    """Support charters: list the presets, check a file, show a summary."""


@charter.command("list")
def list_charters():
    """The charters shipped with the portal (`example` is the default)."""
    from portal.domain.charter import CharterError, list_presets, load_charter

    for charter_id in list_presets():
        try:
            name = load_charter(charter_id).name
        except CharterError as error:
            name = f"INVALID ({len(error.problems)} problems)"
        click.echo(f"{charter_id:<12} {name}")


@charter.command("check")
@click.argument("file")
def check(file):
    """Check a charter file (or preset id); exit 1 listing every problem."""
    from portal.domain.charter import CharterError, load_charter

    try:
        loaded = load_charter(file)
    except CharterError as error:
        if _not_found(error):
            fail(str(error.problems[0]))
        for problem in error.problems:
            click.echo(str(problem))
        count = len(error.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''}", err=True)
        raise SystemExit(1) from None
    click.echo(f"{file}: ok (charter {loaded.id!r}, {len(loaded.tiers)} tiers)")


def _not_found(error) -> bool:
    """A charter that does not exist is a usage error (exit 2), not a charter with problems."""
    return len(error.problems) == 1 and not error.problems[0].key and (
        "no such charter" in error.problems[0].message or "cannot be read" in error.problems[0].message)


def _load(ref: str):
    from portal.domain.charter import CharterError, load_charter

    try:
        return load_charter(ref)
    except CharterError as error:
        if _not_found(error):
            fail(str(error.problems[0]))
        fail(f"charter {ref!r} is invalid ({len(error.problems)} problems): {error.problems[0]}; "
             f"run `portal charter check {ref}`")


@charter.command("show")
@click.argument("charter_id")
@click.option("--lang", type=click.Choice(["fr", "nl", "en"]), default="en", show_default=True,
              help="Language of the charter's texts.")
def show(charter_id, lang):
    """A readable summary of a charter: hours, holidays, tiers, commitments, versions, closure."""
    loaded = _load(charter_id)
    for line in summary_lines(loaded, lang):
        click.echo(line)


def summary_lines(charter, lang: str = "en") -> list[str]:
    """The lines of `portal charter show`."""
    lines = [f"{charter.name} ({charter.id})"]
    if charter.vendor:
        contacts = [charter.vendor.email, charter.vendor.website] + [phone.number for phone in charter.vendor.phones]
        lines.append("Contact: " + ", ".join(item for item in contacts if item))
        lines += [f"  e-mail for line {line}: {address}" for line, address in charter.vendor.line_emails.items()]
    lines.append(f"Languages: {', '.join(charter.languages)} (texts default to {charter.default_language})")
    lines.append(f"Time zone: {charter.timezone}")
    holidays = "none"
    if charter.holiday_country:
        holidays = charter.holiday_country + (f"-{charter.holiday_subdivision}" if charter.holiday_subdivision else "")
    extra = ", ".join(day.isoformat() for day in charter.extra_closed_dates)
    lines.append(f"Public holidays: {holidays}" + (f"; also closed {extra}" if extra else ""))
    lines.append("Opening hours:")
    for index, day in enumerate(WEEKDAY_NAMES):
        intervals = charter.weekly_hours.get(index, ())
        lines.append(f"  {day:<10} {'  '.join(str(interval) for interval in intervals) or 'closed'}")
    if charter.customer_hours != charter.weekly_hours:
        lines.append("Customer working hours:")
        for index, day in enumerate(WEEKDAY_NAMES):
            intervals = charter.customer_hours.get(index, ())
            lines.append(f"  {day:<10} {'  '.join(str(interval) for interval in intervals) or '-'}")
    lines.append("Tiers, in priority order:")
    for tier in charter.tiers:
        flags = [("channels: " + ", ".join(tier.channels)) if tier.channels else "no channel"]
        if not tier.may_open_requests:
            flags = ["may not open requests"]
        if tier.remote_support:
            flags.append("remote support")
        if tier.end_customers_via_reseller:
            flags.append("end customers via reseller")
        lines.append(f"  {tier.priority}. {tier.id} - {tier.label.get(lang)} ({'; '.join(flags)})")
    if charter.channel_priority:
        lines.append(f"Channel priority: {' > '.join(charter.channel_priority)}")
    lines += _commitment_table(charter)
    policy = charter.version_policy
    lines.append("Version policy: " + POLICY_SUMMARIES[policy.kind].format(n=policy.n, months=policy.months)
                 + ("; withdrawn from sale when its successor is out" if policy.withdrawn_on_successor else ""))
    allowed = ", ".join(policy.unsupported_allows) or "nothing"
    lines.append(f"  an unsupported version may still file: {allowed}")
    lines += _closure_lines(charter.closure)
    if charter.survey.enabled:
        lines.append(f"Survey on closure: scale 1-{charter.survey.scale}, "
                     f"dissatisfied at or below {charter.survey.dissatisfied_at_or_below}")
    if charter.professional_services.enabled:
        blocks = ", ".join(f"{hours} h" for hours in charter.professional_services.blocks_hours) or "on request"
        lines.append(f"Professional Services: blocks of {blocks}")
    for tool in charter.remote_tools:
        lines.append(f"Remote tool: {tool.name} (tiers: {', '.join(tool.tiers)})")
    if charter.out_of_scope:
        lines.append("Out of scope: " + "; ".join(f"{topic.label.get(lang)} -> {topic.alternative}"
                                                  for topic in charter.out_of_scope))
    lines.append("Request categories: " + ", ".join(category.id for category in charter.categories))
    return lines


def _commitment_text(commitment) -> str:
    if commitment.kind == "business_hours":
        text = f"{commitment.amount:g} business hours"
    elif commitment.kind == "business_days":
        text = f"{commitment.amount:g} business days"
    elif commitment.kind == "end_of_business_day":
        text = "end of business day"
    else:
        text = "no commitment"
    if commitment.target_business_hours is not None:
        text += f" (target {commitment.target_business_hours:g} h)"
    return text


def _commitment_table(charter) -> list[str]:
    tiers = [tier for tier in charter.tiers if tier.may_open_requests]
    if not tiers:
        return []
    cells = [[_commitment_text(charter.commitment(tier.id, severity)) for tier in tiers] for severity in range(1, 5)]
    widths = [max(len(tier.id), *(len(row[column]) for row in cells)) for column, tier in enumerate(tiers)]
    lines = ["Response commitments:",
             "  severity  " + "  ".join(tier.id.ljust(width) for tier, width in zip(tiers, widths, strict=True))]
    for severity, row in enumerate(cells, start=1):
        lines.append(f"  {severity:<8}  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths,
                                                                                              strict=True)))
    return [line.rstrip() for line in lines]


def _closure_lines(closure) -> list[str]:
    rules = []
    if closure.failed_contacts:
        rules.append(f"after {closure.failed_contacts} failed contact attempts within "
                     f"{closure.failed_contacts_within_business_days} business days")
    if closure.awaiting_customer_business_days:
        reminder = closure.awaiting_customer_reminder_business_days
        rules.append(f"when the customer has not replied for {closure.awaiting_customer_business_days} business days"
                     + (f" (reminder {reminder} business day{'s' if reminder != 1 else ''} before)" if reminder
                        else ""))
    if closure.close_while_awaiting_files:
        rules.append("while files are awaited (reopened when they arrive)")
    if closure.mutual_agreement:
        rules.append("by mutual agreement")
    if closure.confirmation_window_business_days:
        rules.append(f"{closure.confirmation_window_business_days} business days after resolution")
    lines = ["Closure: " + ("; ".join(rules) if rules else "no automatic rule")]
    if closure.director_review_business_days:
        lines.append(f"Director review of requests open {closure.director_review_business_days} business days")
    return lines


def _date(text: str) -> datetime.date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    fail(f"--at must be a date YYYY-MM-DD, not {text!r}")


@click.command()
@click.option("--charter", "charter_ref", required=True, help="Charter id or path to a .toml file.")
@click.option("--catalog", "catalog_path", required=True, help="Catalog JSON file.")
@click.option("--at", "at", required=True, help="The date, YYYY-MM-DD.")
def lifecycle(charter_ref, catalog_path, at):
    """Each release's support status on a date, as a JSON list (rules E8, G6, T9, T11)."""
    from portal.domain.catalog import CatalogError, load_catalog
    from portal.domain.lifecycle import catalog_lifecycle

    day = _date(at)
    loaded = _load(charter_ref)
    try:
        catalog = load_catalog(catalog_path)
    except CatalogError as error:
        more = f" (and {len(error.problems) - 1} more)" if len(error.problems) > 1 else ""
        fail(f"{error.problems[0]}{more}")
    statuses = catalog_lifecycle(loaded.version_policy, catalog, day)
    click.echo(json.dumps([status.as_json() for status in statuses], indent=2, ensure_ascii=False))
