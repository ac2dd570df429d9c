"""`make run`'s stack (`portal dev`) as a newcomer meets it: it serves, keeps its data, stops cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from portal.adapters.dynamodb_local import free_port

pytestmark = pytest.mark.integration
PORTAL = Path(sys.executable).parent / "portal"


def start_portal(data_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PORTAL_PORT": str(port), "PORTAL_DATA": str(data_dir), "PORTAL_ENV": "dev"}
    env.pop("PORTAL_DYNAMODB_ENDPOINT", None)
    return subprocess.Popen([str(PORTAL), "dev"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def wait_for_health(port: int, process: subprocess.Popen, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"portal dev exited early:\n{process.stdout.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                return json.loads(response.read())
        except OSError:
            time.sleep(0.3)
    raise AssertionError("portal dev did not answer /healthz in time")


def stop_with_ctrl_c(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=30)
    return output


def java_processes_using(data_dir: Path) -> list[str]:
    """The DynamoDB Local processes whose command line names this data folder."""
    found = []
    for cmdline_file in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            cmdline = cmdline_file.read_bytes().decode(errors="replace")
        except OSError:
            continue
        if "DynamoDBLocal.jar" in cmdline and str(data_dir) in cmdline:
            found.append(cmdline_file.parent.name)
    return found


def test_the_portal_serves_health_keeps_its_data_and_leaves_no_java_behind(tmp_path):
    data_dir = tmp_path / "data"
    port = free_port()
    first = start_portal(data_dir, port)
    try:
        health = wait_for_health(port, first)
        assert health["status"] == "ok" and health["dynamodb"] == "ok"
        assert health["charter"] == "example"
        assert java_processes_using(data_dir), "DynamoDB Local should run with the data folder"
    finally:
        output = stop_with_ctrl_c(first)
    assert "http://127.0.0.1:" in output and "demo data loaded" in output
    assert "owner@customer1.example" in output  # the demo logins are printed
    assert not java_processes_using(data_dir), "Ctrl-C must stop DynamoDB Local too"
    assert (data_dir / "dynamodb").is_dir()

    second = start_portal(data_dir, port)
    try:
        assert wait_for_health(port, second)["dynamodb"] == "ok"
    finally:
        output = stop_with_ctrl_c(second)
    assert "demo data kept" in output and "0 table(s) created" in output
