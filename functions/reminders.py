"""Every 15 minutes: the S12 reminder, response commitments about to be missed (warned) or missed (recorded)."""

from functions.wiring import run_scheduled


def handler(event, context):
    from portal.services.sweeps.reminders import run_reminders

    return run_scheduled(run_reminders, event)
