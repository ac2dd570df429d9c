"""The retention purge as Lambda runs it (Zappa's scheduled event, on moto) and `portal data purge` by hand."""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from portal.adapters.files import LocalFileStore
from tests.unit.staff.staff_builders import make_ticket, store_ticket
from tests.unit.stewardship.builders import CHARTER


@pytest.fixture
def environment(moto_storage, monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setenv("PORTAL_TABLE_PREFIX", moto_storage.settings.table_prefix)
    monkeypatch.setenv("PORTAL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("PORTAL_CHARTER", "example")
    old = datetime(2019, 1, 2, 9, 0, tzinfo=UTC)
    ticket = store_ticket(moto_storage.tickets, CHARTER, make_ticket("2019-000001", created_at=old, status_since=old))
    moto_storage.tickets.apply(replace(ticket, status="closed", status_since=old + timedelta(days=3)), [], None)
    return moto_storage


def test_the_nightly_handler_purges_at_the_events_time(environment, tmp_path):
    from functions.retention_purge import handler

    before = handler({"time": "2025-01-05T02:30:00Z"}, None)  # 72 months after closing: not yet
    after = handler({"time": "2025-01-05T09:00:01Z"}, None)
    assert (before["purged"], after["purged"]) == ([], ["2019-000001"])
    assert environment.tickets.ticket_with_history("2019-000001") is None
    assert LocalFileStore(tmp_path / "data" / "files").head("x") is None


def test_portal_data_purge_dry_run_prints_what_would_go_and_keeps_it(environment):
    from portal.cli import main

    result = CliRunner().invoke(main, ["data", "purge", "--now", "2026-11-23T09:00:00Z", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["purged"] == ["2019-000001"]
    assert environment.tickets.ticket_with_history("2019-000001") is not None


def test_portal_data_purge_refuses_a_time_without_offset(environment):
    from portal.cli import main

    result = CliRunner().invoke(main, ["data", "purge", "--now", "2026-11-23T09:00:00"])
    assert result.exit_code == 2 and "offset" in result.output
