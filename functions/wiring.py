"""Build what a scheduled function needs, once per process: settings, charter, storage, mailer.

The laptop's `portal sweep` and the local scheduler use the same builder as the Lambda handlers.
`PORTAL_PUBLIC_URL` is the portal's public address, for the links in the e-mails.
"""

from __future__ import annotations

import functools
import logging
import os
from datetime import UTC, datetime

from portal.logs import configure_logging

log = logging.getLogger("portal.sweeps")


@functools.cache
def sweep_context():
    """The SweepContext of the running environment (DynamoDB or DynamoDB Local; SES or the outbox folder)."""
    from portal.adapters.dynamo.storage import DynamoStorage
    from portal.domain.calendar import calendar_for
    from portal.domain.charter import load_charter
    from portal.services.sweeps.run import SweepContext
    from portal.settings import load_settings
    from portal.web.app import build_mailer

    settings = load_settings()
    charter = load_charter(settings.charter)
    base_url = os.environ.get("PORTAL_PUBLIC_URL") or f"http://127.0.0.1:{settings.port}"
    storage = DynamoStorage(settings)
    context = SweepContext.from_storage(storage, charter, calendar_for(charter), build_mailer(settings, storage),
                                        base_url)
    context.rebuild_lifecycle = lifecycle_rebuilder(settings, charter, base_url)
    return context


def lifecycle_rebuilder(settings, charter, base_url: str):
    """What rebuilds the public lifecycle page after a phase change, with the static site's own function: in
    production into the static-site bucket, elsewhere into the built site named by `PORTAL_STATIC_SITE`; None
    (the change is only recorded) on a laptop without a built site."""
    folder = os.environ.get("PORTAL_STATIC_SITE")
    if not (settings.is_production or folder):
        return None

    def rebuild():
        from portal.kb.static_site import rebuild_lifecycle_page
        from portal.web.app import create_app

        app = create_app(settings, charter=charter)
        if not settings.is_production:
            rebuild_lifecycle_page(folder, app, base_url)
            return
        import tempfile

        import boto3

        from portal.adapters.static_bucket import publish

        with tempfile.TemporaryDirectory() as work:
            written = rebuild_lifecycle_page(work, app, base_url)
            publish(boto3.client("s3", region_name=settings.aws_region), settings.static_bucket, work, written)

    return rebuild


def scheduled_time(event) -> datetime:
    """The time EventBridge scheduled the run for (`time` of the event), else the clock's."""
    text = (event or {}).get("time") if isinstance(event, dict) else None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except (AttributeError, ValueError):
        moment = None
    return moment if moment and moment.tzinfo else datetime.now(UTC)


def run_scheduled(sweep, event) -> dict:
    """Run one sweep at the event's time and log what it did; returns the counts."""
    configure_logging()
    run = sweep(sweep_context(), scheduled_time(event))
    summary = {"sweep": run.sweep, "now": run.now.isoformat(), "candidates": run.candidates,
               "counts": run.counts(), "skipped": len(run.skipped), "mails": run.mails}
    log.info("sweep ran", extra=summary)
    return summary
