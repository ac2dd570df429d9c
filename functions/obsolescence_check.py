"""Daily: end of support 30 and 7 days ahead (T9, G6), phase changes (T11), contract notices (P1)."""

from functions.wiring import run_scheduled


def handler(event, context):
    from portal.services.sweeps.obsolescence import run_obsolescence_check

    return run_scheduled(run_obsolescence_check, event)
