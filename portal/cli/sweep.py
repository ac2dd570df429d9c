"""`portal sweep closure|obsolescence|reminders|mail`: run one scheduled function by hand, print what it did."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from portal.cli.context import fail

SWEEPS = {
    "closure": ("portal.services.sweeps.closure", "run_closure_sweep"),
    "reminders": ("portal.services.sweeps.reminders", "run_reminders"),
    "obsolescence": ("portal.services.sweeps.obsolescence", "run_obsolescence_check"),
    "mail": ("portal.services.mail_retry", "retry_kept_mail"),
}


def _now(text: str | None) -> datetime:
    """`--now`: ISO 8601 with an offset (a time without one names no instant); the clock's time when absent."""
    if not text:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        fail(f"--now is not an ISO 8601 time: {text!r}")
    if moment.tzinfo is None:
        fail(f"--now needs an offset or Z, e.g. {text}+01:00")
    return moment


@click.command()
@click.argument("which", type=click.Choice(list(SWEEPS)))
@click.option("--now", "now_text", help="Run as if it were this instant (ISO 8601 with an offset).")
@click.option("--dry-run", is_flag=True, help="Say what would fire; write and send nothing.")
def sweep(which, now_text, dry_run):
    """Run one scheduled function by hand and print a JSON summary: what fired, on which requests."""
    import importlib

    from functions.wiring import sweep_context
    from portal.domain.charter import CharterError
    from portal.domain.errors import BackendUnavailable
    from portal.settings import SettingsError

    now = _now(now_text)
    module, name = SWEEPS[which]
    run_sweep = getattr(importlib.import_module(module), name)
    try:
        run = run_sweep(sweep_context(), now, dry_run=dry_run)
    except (SettingsError, CharterError) as error:
        fail(str(error))
    except BackendUnavailable as error:
        fail(f"the database does not answer ({error}); is it running?", 3)
    click.echo(json.dumps(run.as_json(), indent=2, ensure_ascii=False))
