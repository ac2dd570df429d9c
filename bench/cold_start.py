"""Cold start: how much longer importing the Lambda handler module takes than importing its libraries.

Each measurement is a fresh Python process that times one import statement:
- baseline: `import flask, boto3, pynamodb`, what any Flask-on-DynamoDB Lambda pays;
- portal:   `import portal.wsgi`, which builds the whole app (settings, charter, blueprints).
The two alternate (ABAB, then BABA) so that a slow moment of the machine hits both. The portal is
imported with production settings and its database endpoint on a port that counts connections:
importing must not call the database, so the count must stay zero.

Usage: python bench/cold_start.py [--rounds 15]   (writes bench/results/cold_start.txt)
Goal: portal / baseline at most 1.3.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "cold_start.txt"
GOAL = 1.3
TIMED_IMPORT = "import time; t = time.perf_counter(); import {modules}; print(time.perf_counter() - t)"
BASELINE = "flask, boto3, pynamodb"
PORTAL = "portal.wsgi"
# The same import, then the first request of the instance: what an instance pays before its first answer
# (the database layer, the translations and the calendar load at first use). The database does not answer.
FIRST_REQUEST = ("portal.wsgi; portal.wsgi.app.test_client().get('/contact'); "
                 "portal.wsgi.app.test_client().get('/healthz')")


class ConnectionCounter:
    """A listening socket that accepts and counts connections (a database the import must not call)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.count = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self):
        while not self.stopped.is_set():
            try:
                connection, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.count += 1
            connection.close()

    def close(self):
        self.stopped.set()
        self.thread.join()
        self.sock.close()


def measure(modules: str, env: dict[str, str]) -> tuple[float, float]:
    """(import seconds inside the process, whole process seconds) for one fresh interpreter."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", TIMED_IMPORT.format(modules=modules)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"import {modules} failed:\n{result.stderr}")
    return float(result.stdout.strip().splitlines()[-1]), wall


def production_env(endpoint: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PORTAL_")}
    env.update(PORTAL_ENV="production", PORTAL_SECRET_KEY="cold-start-benchmark", PORTAL_DYNAMODB_ENDPOINT=endpoint,
               AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="eu-west-3")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # both sides run with warm bytecode caches
    return env


def run(rounds: int) -> str:
    database = ConnectionCounter()
    try:
        env = production_env(database.endpoint)
        closed_env = production_env("http://127.0.0.1:9")  # refuses at once: the request answers 503
        measure(PORTAL, env)  # one untimed run of each writes the bytecode caches
        measure(BASELINE, env)
        samples: dict[str, list[tuple[float, float]]] = {BASELINE: [], PORTAL: [], FIRST_REQUEST: []}
        for index in range(rounds):
            order = (BASELINE, PORTAL) if index % 2 == 0 else (PORTAL, BASELINE)
            for modules in order:
                samples[modules].append(measure(modules, env))
            samples[FIRST_REQUEST].append(measure(FIRST_REQUEST, closed_env))
        connections = database.count
    finally:
        database.close()
    if connections:
        raise SystemExit(f"importing {PORTAL} opened {connections} connection(s) to the database")

    def median(modules, which):
        return statistics.median(sample[which] for sample in samples[modules])

    base_import, portal_import = median(BASELINE, 0), median(PORTAL, 0)
    base_wall, portal_wall = median(BASELINE, 1), median(PORTAL, 1)
    first_request = median(FIRST_REQUEST, 0)
    ratio = portal_import / base_import
    verdict = "within" if ratio <= GOAL else "OVER"
    return "\n".join([
        "Cold start of the Lambda handler module (bench/cold_start.py)",
        f"python {platform.python_version()}, {rounds} rounds, alternating, fresh process each, medians",
        "",
        f"{'import':<34}{'import (ms)':>12}{'process (ms)':>14}",
        f"{'flask, boto3, pynamodb (baseline)':<34}{base_import * 1000:>12.1f}{base_wall * 1000:>14.1f}",
        f"{'portal.wsgi (builds the app)':<34}{portal_import * 1000:>12.1f}{portal_wall * 1000:>14.1f}",
        f"{'portal.wsgi + first two requests':<34}{first_request * 1000:>12.1f}",
        "",
        f"ratio portal / baseline, import: {ratio:.2f}x  ({verdict} the {GOAL}x goal)",
        f"ratio portal / baseline, whole process: {portal_wall / base_wall:.2f}x",
        f"ratio (import + first two requests) / baseline import: {first_request / base_import:.2f}x",
        f"database connections while importing: {connections}",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    report = run(parser.parse_args().rounds)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report)
    print(report, end="")


if __name__ == "__main__":
    main()
