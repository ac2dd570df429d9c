"""The scheduled functions in the zip Lambda runs: Zappa's handler, given the EventBridge event of a rule in
`events`, runs the closure sweep against DynamoDB Local (fixtures of test_packaged_app: the lean virtualenv,
`zappa package`, the unzipped task folder, the stage's tables)."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.integration import test_packaged_app as packaged
from tests.integration.test_packaged_app import FAKE_AWS, INVOKE, _clean_env, stage_settings

# The packaged app's fixtures, shared: the lean virtualenv, `zappa package`, the task folder, the stage's tables.
lean_venv, package, lambda_task, stage_tables = packaged.lean_venv, packaged.package, packaged.lambda_task, \
    packaged.stage_tables

pytestmark = pytest.mark.integration


def scheduled_event(function: str, name: str, time: str) -> dict:
    """The event of the rule Zappa creates for an entry of `events`: `<lambda>-<name>-<function>`."""
    return {"version": "0", "id": "5b1c2c1e-6f0b-4c47-9a55-0d3c1b0f9a10", "detail-type": "Scheduled Event",
            "source": "aws.events", "account": "123456789012", "time": time, "region": "eu-west-3",
            "resources": [f"arn:aws:events:eu-west-3:123456789012:rule/support-portal-dev-{name}-{function}"],
            "detail": {}}


def invoke_scheduled(lean_venv, task, database, event: dict, tmp_path):
    """Call the packaged handler once in a Python that sees only the unzipped package; SES is out of reach."""
    from portal.adapters.dynamodb_local import free_port

    event_file, result_file = tmp_path / "event.json", tmp_path / "result.json"
    event_file.write_text(json.dumps(event))
    dead = f"http://127.0.0.1:{free_port()}"
    env = _clean_env(PYTHONPATH=str(task), PORTAL_ENV="production", PORTAL_SECRET_KEY="packaged-test-secret",
                     PORTAL_DYNAMODB_ENDPOINT=database.endpoint, AWS_REGION="eu-west-3", AWS_MAX_ATTEMPTS="1",
                     AWS_ENDPOINT_URL_S3=dead, AWS_ENDPOINT_URL_SES=dead, **FAKE_AWS)
    run = subprocess.run([str(lean_venv / "bin" / "python"), "-S", "-c", INVOKE, str(event_file), str(result_file)],
                         cwd=task, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return json.loads(result_file.read_text()), run


def test_the_packaged_handler_runs_the_closure_sweep_on_its_scheduled_event(lean_venv, lambda_task, stage_tables,
                                                                           tmp_path):
    """Rule S12 in the package: asked Monday 23 November 10:00 in Paris, closed by the run of Thursday 09:00 UTC."""
    from portal.adapters.dynamo.storage import DynamoStorage
    from portal.domain.history import EventKind
    from portal.settings import Settings
    from tests.unit.sweeps.sweep_builders import event, file_request, paris, status_of, sweep_context

    variables = stage_settings()["environment_variables"]
    storage = DynamoStorage(Settings(env="test", secret_key="s", dynamodb_endpoint=stage_tables.endpoint,
                                     table_prefix=variables["PORTAL_TABLE_PREFIX"]))
    context = sweep_context(storage, tmp_path, variables["PORTAL_CHARTER"])
    number = file_request(context, paris(11, 23, 9), "waiting_customer",
                          [event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10))])
    [closure] = [e for e in stage_settings()["events"] if e["name"] == "closure_sweep"]
    result, run = invoke_scheduled(lean_venv, lambda_task, stage_tables,
                                   scheduled_event(closure["function"], closure["name"], "2026-11-26T09:00:00Z"),
                                   tmp_path)
    assert result["sweep"] == "closure" and result["counts"] == {"S12": 1}, run.stderr[-2000:]
    assert status_of(context, number) == "closed"
    assert "Traceback" not in run.stderr
    again, _ = invoke_scheduled(lean_venv, lambda_task, stage_tables,
                                scheduled_event(closure["function"], closure["name"], "2026-11-26T09:00:00Z"),
                                tmp_path)
    assert again["counts"] == {} and again["candidates"] == 0
