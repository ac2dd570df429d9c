"""`make run` runs the same schedule as Lambda: the local scheduler reads the `events` of zappa_settings.json and
calls each handler with the event Zappa's rule would send."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from portal.domain.history import EventKind
from portal.local.scheduler import ScheduledEvent, call_handler, load_events
from tests.unit.sweeps.sweep_builders import event, file_request, paris, status_of

SETTINGS = Path(__file__).resolve().parents[3] / "zappa_settings.json"
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_the_local_schedule_is_the_dev_stages_events():
    events = {event.name: event for event in load_events(SETTINGS, "dev")}
    assert events["closure_sweep"].next_run(NOON) == datetime(2026, 11, 23, 12, 15, tzinfo=UTC)
    assert events["reminders"].next_run(NOON) == datetime(2026, 11, 23, 12, 15, tzinfo=UTC)
    assert events["obsolescence_check"].next_run(NOON) == datetime(2026, 11, 24, 5, 0, tzinfo=UTC)


def test_the_local_scheduler_calls_the_closure_sweep_as_zappa_would(environment):
    """Rule S12 on a laptop: the scheduler's call at Thursday 10:00 Paris closes the request."""
    number = file_request(environment, paris(11, 23, 9), "waiting_customer",
                          [event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10))])
    closure = ScheduledEvent("functions.closure_sweep.handler", "rate(15 minutes)", "closure_sweep")
    result = call_handler(closure, paris(11, 26, 10))
    assert result["counts"] == {"S12": 1}
    assert status_of(environment, number) == "closed"
