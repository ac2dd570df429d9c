"""Every night: closed requests past the charter's [retention] go, with their history and files."""

import logging

from functions.wiring import scheduled_time

log = logging.getLogger("portal.sweeps")


def purge(now, dry_run=False):
    """Build the purge's adapters from the environment and run it once at `now`."""
    from portal.adapters.dynamo.raw_tables import RawTables
    from portal.adapters.dynamo.retention import RetentionRepository
    from portal.domain.charter import load_charter
    from portal.services.retention import run_retention_purge
    from portal.settings import load_settings
    from portal.web.app import build_file_store

    settings = load_settings()
    return run_retention_purge(RetentionRepository(RawTables(settings)), build_file_store(settings),
                               load_charter(settings.charter), now, dry_run=dry_run)


def handler(event, context):
    from portal.logs import configure_logging

    configure_logging()
    summary = purge(scheduled_time(event)).as_json()
    log.info("retention purge ran", extra={key: value for key, value in summary.items() if key != "purged"})
    return summary
