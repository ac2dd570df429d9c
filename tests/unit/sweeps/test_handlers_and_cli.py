"""The scheduled functions as Lambda runs them (handlers on moto, resolved from zappa_settings.json the way
Zappa's handler resolves a scheduled event), and `portal sweep` by hand with --now and --dry-run."""

from __future__ import annotations

import importlib
import inspect
import json
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from portal.domain.history import EventKind
from tests.unit.sweeps.sweep_builders import event, file_request, paris, status_of

ROOT = Path(__file__).resolve().parents[3]


def stage_events(stage: str) -> list[dict]:
    return json.loads((ROOT / "zappa_settings.json").read_text())[stage]["events"]


def scheduled_event(rule_name: str, time: str) -> dict:
    """The EventBridge event of a Zappa scheduled rule: `<lambda name>-<event name>-<function>`."""
    return {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event", "source": "aws.events",
            "account": "123456789012", "time": time, "region": "eu-west-3",
            "resources": [f"arn:aws:events:eu-west-3:123456789012:rule/{rule_name}"], "detail": {}}


def zappa_function(event: dict):
    """What Zappa's handler calls for a scheduled event: the dotted path after the rule name's last '-'."""
    whole = event["resources"][0].split("/")[-1].split("-")[-1]
    module, _, name = whole.rpartition(".")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("stage", ["dev", "production"])
def test_every_scheduled_function_resolves_the_way_zappas_handler_resolves_it(stage):
    names = {entry["name"] for entry in stage_events(stage)}
    assert names == {"closure_sweep", "reminders", "obsolescence_check", "retention_purge", "mail_retry"}
    for entry in stage_events(stage):
        handler = zappa_function(scheduled_event(f"support-portal-{stage}-{entry['name']}-{entry['function']}",
                                                 "2026-11-26T09:00:00Z"))
        assert list(inspect.signature(handler).parameters) == ["event", "context"]


def test_the_closure_handler_runs_the_sweep_at_the_events_time_and_returns_its_counts(environment, tmp_path):
    """Rule S12 through the Lambda handler: asked Monday 23 November 10:00 (Paris), the run scheduled for
    Thursday 09:00 UTC (10:00 in Paris) closes it and mails the customer."""
    number = file_request(environment, paris(11, 23, 9), "waiting_customer",
                          [event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10))])
    scheduled = scheduled_event("support-portal-dev-closure_sweep-functions.closure_sweep.handler",
                                "2026-11-26T08:59:00Z")
    assert zappa_function(scheduled)(scheduled, None)["counts"] == {}
    scheduled["time"] = "2026-11-26T09:00:00Z"
    result = zappa_function(scheduled)(scheduled, None)
    assert result["counts"] == {"S12": 1} and result["mails"] == 1
    assert status_of(environment, number) == "closed"
    from portal.adapters.mail import OutboxMailer

    [mail] = OutboxMailer(tmp_path / "data" / "outbox", "support@vendor.example").messages()
    assert f"https://support.vendor.example/requests/{number}" in mail.get_content()


def test_the_reminders_and_obsolescence_handlers_run_too(environment):
    number = file_request(environment, paris(11, 23, 9), "waiting_customer",
                          [event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10))])
    from functions import obsolescence_check, reminders

    assert reminders.handler(scheduled_event("x-reminders-functions.reminders.handler", "2026-11-25T09:00:00Z"),
                             None)["counts"] == {"S12-reminder": 1}
    assert status_of(environment, number) == "waiting_customer"
    result = obsolescence_check.handler(scheduled_event("x-o-functions.obsolescence_check.handler",
                                                        "2026-11-25T05:00:00Z"), None)
    assert result["sweep"] == "obsolescence"


def run_cli(*args):
    from portal.cli.sweep import sweep

    return CliRunner().invoke(sweep, list(args), catch_exceptions=False)


def test_portal_sweep_prints_what_fired_on_which_requests_and_a_dry_run_changes_nothing(environment):
    number = file_request(environment, paris(11, 23, 9), "waiting_customer",
                          [event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10))])
    dry = run_cli("closure", "--now", "2026-11-26T10:00:00+01:00", "--dry-run")
    assert dry.exit_code == 0, dry.output
    summary = json.loads(dry.output)
    assert summary["dry_run"] is True and summary["now"] == "2026-11-26T10:00:00+01:00"
    assert [(f["number"], f["rule"], f["action"]) for f in summary["fired"]] == [(number, "S12", "close")]
    assert status_of(environment, number) == "waiting_customer"
    done = json.loads(run_cli("closure", "--now", "2026-11-26T10:00:00+01:00").output)
    assert done["counts"] == {"S12": 1} and done["mails"] == 1
    again = json.loads(run_cli("closure", "--now", "2026-11-26T10:00:00+01:00").output)
    assert again["fired"] == [] and again["mails"] == 0


def test_portal_sweep_refuses_a_time_without_an_offset():
    from portal.cli.sweep import sweep

    result = CliRunner().invoke(sweep, ["reminders", "--now", "2026-11-26T10:00:00"])
    assert result.exit_code == 2 and "offset" in result.output


def test_a_phase_change_rebuilds_the_public_lifecycle_page_in_the_built_static_site(environment, monkeypatch,
                                                                                   tmp_path):
    """Rules T9, T11: the daily check records the phases and rebuilds the version-support page in fr, nl and en."""
    from functions import obsolescence_check, wiring
    from portal.domain.catalog import parse_catalog

    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setenv("PORTAL_STATIC_SITE", str(site))
    wiring.sweep_context.cache_clear()
    environment.catalog.save(parse_catalog({"products": [{"id": "cad", "name": "CadPro", "releases": [
        {"version": "2025.1", "released": "2025-06-01"}, {"version": "2026.1", "released": "2026-01-15"}]}]}))
    result = obsolescence_check.handler(scheduled_event("x-o-functions.obsolescence_check.handler",
                                                        "2026-11-25T05:00:00Z"), None)
    assert result["counts"].get("T9")
    pages = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    assert len(pages) == 3 and all("lifecycle" in page for page in pages)
    assert "2026.1" in (site / pages[0]).read_text()


def test_sweep_is_a_verb_of_the_portal_command():
    from portal.cli import main

    result = CliRunner().invoke(main, ["sweep", "--help"])
    assert result.exit_code == 0 and "--dry-run" in result.output and "--now" in result.output


def test_in_production_the_rebuilt_lifecycle_page_goes_to_the_static_site_bucket(environment, monkeypatch):
    """Rules T9, T11: on Lambda the page is rendered in a temporary folder and put in the static-site bucket."""
    import boto3

    from functions.wiring import lifecycle_rebuilder
    from portal.domain.catalog import parse_catalog
    from portal.settings import load_settings

    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "production-secret")
    monkeypatch.setenv("PORTAL_STATIC_BUCKET", "portal-test-static")
    settings = load_settings()
    s3 = boto3.client("s3", region_name=settings.aws_region)
    s3.create_bucket(Bucket="portal-test-static",
                     CreateBucketConfiguration={"LocationConstraint": settings.aws_region})
    environment.catalog.save(parse_catalog({"products": [{"id": "cad", "name": "CadPro", "releases": [
        {"version": "2025.1", "released": "2025-06-01"}]}]}))
    lifecycle_rebuilder(settings, environment.charter, "https://support.vendor.example")()
    objects = s3.list_objects_v2(Bucket="portal-test-static")["Contents"]
    assert len(objects) == 3 and all("lifecycle" in entry["Key"] for entry in objects)
    page = s3.get_object(Bucket="portal-test-static", Key=objects[0]["Key"])
    assert page["ContentType"].startswith("text/html") and b"2025.1" in page["Body"].read()
