"""Every 15 minutes: requests close by the charter's rules (S11, S12, S14, the confirmation window, G3); T8."""

from functions.wiring import run_scheduled


def handler(event, context):
    from portal.services.sweeps.closure import run_closure_sweep

    return run_scheduled(run_closure_sweep, event)
