import json
from datetime import UTC, datetime

import pytest

from portal.local.scheduler import ScheduledEvent, ScheduleError, load_events, next_run, to_cron

NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday


def test_a_rate_fires_that_long_after_the_last_run():
    assert next_run("rate(15 minutes)", NOON) == datetime(2026, 11, 23, 12, 15, tzinfo=UTC)
    assert next_run("rate(1 hour)", NOON) == datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    assert next_run("rate(1 day)", NOON) == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_an_eventbridge_cron_fires_at_its_next_utc_time():
    assert next_run("cron(30 5 * * ? *)", NOON) == datetime(2026, 11, 24, 5, 30, tzinfo=UTC)


def test_eventbridge_numbers_weekdays_from_sunday():
    """cron(0 6 ? * 2 *) is Mondays at 06:00 on EventBridge (1 = Sunday)."""
    assert to_cron("cron(0 6 ? * 2 *)") == "0 6 * * 1"
    assert next_run("cron(0 6 ? * 2 *)", NOON) == datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    assert next_run("cron(0 6 ? * MON-FRI *)", NOON) == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize("expression", ["rate(soon)", "cron(0 6 * *)", "cron(0 6 ? * 2 2027)",
                                        "cron(99 6 ? * * *)", "every day"])
def test_an_expression_eventbridge_would_refuse_is_refused(expression):
    with pytest.raises(ScheduleError):
        next_run(expression, NOON)


def test_the_events_come_from_the_stage_in_zappa_settings(tmp_path):
    settings = tmp_path / "zappa_settings.json"
    settings.write_text(json.dumps({"dev": {"events": [
        {"function": "functions.example.handler", "expression": "rate(15 minutes)", "name": "sweep"}]},
        "production": {"events": []}}))
    assert load_events(settings, "dev") == [
        ScheduledEvent("functions.example.handler", "rate(15 minutes)", "sweep")]
    assert load_events(settings, "production") == []


def test_a_bad_expression_in_zappa_settings_stops_the_scheduler_at_start(tmp_path):
    settings = tmp_path / "zappa_settings.json"
    settings.write_text(json.dumps({"dev": {"events": [{"function": "f.g", "expression": "rate(0 x)"}]}}))
    with pytest.raises(ScheduleError):
        load_events(settings, "dev")
