"""The portal under load, as its customers use it: page views, API reads and request submissions at once.

DynamoDB Local keeps its data on disk (a temporary folder); the portal runs under gunicorn (2 sync workers) on
127.0.0.1. After the tables and the demo data, each client signs in (untimed) and holds a personal API token;
then N clients (8) loop for a bounded time (60 s) and a bounded number of requests, each request picked at
random from the mix:

    page: home            GET /                               a signed-in customer's home page
    page: request         GET /requests/<number>              one of the client's own requests
    api: read request     GET /api/v1/tickets/<number>        with the client's API token
    submit: web form      POST /requests/new                  the form with its CSRF token (302 expected)
    submit: api           POST /api/v1/tickets                with an Idempotency-Key (201 expected)

p50/p95 per scenario and every error are reported; afterwards the tables are read, by key and by index, to check
that every acknowledged request exists exactly once and whole, and that request numbers are unique.

    .venv/bin/python bench/load.py [--duration 60] [--clients 8]     (a quick run: --duration 10 --clients 2)

The figures go to bench/results/load.txt (bench/faults.py runs the same load while DynamoDB Local is killed).
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import requests  # noqa: E402
from loadkit import (  # noqa: E402
    FIGURES_HEADER,
    Figures,
    PortalStack,
    Submission,
    demo_clients,
    header,
    machine_note,
    new_submission,
    verify_submissions,
    write_results,
)

MIX = (("page: home", 20), ("page: request", 25), ("api: read request", 25), ("submit: web form", 15),
       ("submit: api", 15))
EXPECTED = {"page: home": 200, "page: request": 200, "api: read request": 200, "submit: web form": 302,
            "submit: api": 201}


@dataclass(frozen=True)
class Outcome:
    """One request as the client saw it: when it started (seconds into the run), how long it took, its answer."""

    scenario: str
    started: float
    seconds: float
    status: str  # the HTTP status, or the client-side error's name


@dataclass
class LoadRun:
    """The clients' loop, bounded in time and in requests; what they sent, were told, and how long it took."""

    clients: list
    duration: float
    max_requests: int
    seed: int = 7
    figures: dict[str, Figures] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    acknowledged: list[Submission] = field(default_factory=list)
    unacknowledged: list[Submission] = field(default_factory=list)
    started_at: float = 0.0
    wall: float = 0.0

    def __post_init__(self):
        self.figures = {name: Figures(name) for name, _weight in MIX}
        self.lock = threading.Lock()
        self.sent = 0
        self.client_of: dict[str, object] = {}  # a submission's key -> the client that sent it

    def prime(self) -> None:
        """Untimed: each client reads the form's CSRF token (once per session, as the peer's client does) and
        files one request through the API, so that it has one to view from the start."""
        for client in self.clients:
            client.form_token()
            self.submit(client, "api")
        if not all(client.numbers for client in self.clients):
            raise SystemExit("a client could not file its first request; is DynamoDB Local answering?")

    def submit(self, client, channel: str) -> requests.Response:
        submission = new_submission(client.company_id, channel)
        answer = client.submit_form(submission) if channel == "form" else client.submit_api(submission)
        self.settle(client, submission, answer)
        return answer

    def settle(self, client, submission: Submission, answer: requests.Response | None) -> None:
        number = client.filed_number(submission, answer) if answer is not None else None
        with self.lock:
            self.client_of[submission.key] = client
            if number is None:
                self.unacknowledged.append(submission)
            else:
                self.acknowledged.append(replace(submission, number=number))
                client.numbers.append(number)

    def one(self, client, scenario: str, rng: random.Random) -> requests.Response:
        if scenario == "page: home":
            return client.home()
        if scenario == "page: request":
            return client.view(rng.choice(client.numbers))
        if scenario == "api: read request":
            return client.api_read(rng.choice(client.numbers))
        channel = "form" if scenario == "submit: web form" else "api"
        submission = new_submission(client.company_id, channel)
        answer = None
        try:
            answer = client.submit_form(submission) if channel == "form" else client.submit_api(submission)
            return answer
        finally:
            self.settle(client, submission, answer)

    def _loop(self, client, index: int) -> None:
        rng = random.Random(self.seed * 1000 + index)
        names, weights = zip(*MIX, strict=True)
        while time.monotonic() - self.started_at < self.duration:
            with self.lock:
                if self.sent >= self.max_requests:
                    return
                self.sent += 1
            scenario = rng.choices(names, weights)[0]
            started = time.monotonic()
            try:
                status = str(self.one(client, scenario, rng).status_code)
            except requests.RequestException as error:
                status = type(error).__name__
            elapsed = time.monotonic() - started
            expected = str(EXPECTED[scenario])
            self.figures[scenario].record(elapsed, None if status == expected else status)
            with self.lock:
                self.outcomes.append(Outcome(scenario, started - self.started_at, elapsed, status))

    def run(self) -> LoadRun:
        self.started_at = time.monotonic()
        threads = [threading.Thread(target=self._loop, args=(client, index), daemon=True)
                   for index, client in enumerate(self.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(self.duration + 120)  # a client's own time-out (30 s) ends any request before this
        self.wall = time.monotonic() - self.started_at
        return self

    def lines(self) -> list[str]:
        total = sum(f.requests for f in self.figures.values())
        errors = sum(sum(f.errors.values()) for f in self.figures.values())
        lines = [f"{len(self.clients)} clients, {self.wall:.1f} s, {total} requests ({total / self.wall:.1f}/s),"
                 f" {errors} errors", FIGURES_HEADER]
        lines += [figures.line() for figures in self.figures.values()]
        return lines


def arguments(description: str, output: str, faults: bool = False) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    if faults:
        parser.add_argument("--kill-at", type=float, default=15.0, help="seconds into the load")
        parser.add_argument("--down", type=float, default=5.0, help="seconds before starting it again")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--max-requests", type=int, default=50_000, help="requests at most, whatever the time")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--output", default=output)
    args = parser.parse_args()
    if not 0 < args.duration <= 600 or not 0 < args.clients <= 32 or not 0 < args.max_requests <= 200_000:
        raise SystemExit("keep the run bounded: at most 600 s, 32 clients, 200,000 requests")
    return args


def main() -> None:
    args = arguments(__doc__.split("\n\n")[0], "load.txt")
    head = header("load.py", f"DynamoDB Local on disk, portal under gunicorn ({args.workers} sync workers),"
                             f" {args.clients} clients for {args.duration:.0f} s")
    print(head, flush=True)
    with PortalStack(workers=args.workers) as stack:
        load = LoadRun(demo_clients(stack, args.clients), args.duration, args.max_requests)
        load.prime()
        load.run()
        verdict = verify_submissions(stack, load.acknowledged, load.unacknowledged)
    lines = [head, f"# at end: {machine_note()}", "", *load.lines(), "",
             "Through the tables (reads by key and by index):", *verdict.lines()]
    print("\n".join(lines[2:]))
    print("written to", write_results(args.output, "\n".join(lines)))
    if not verdict.ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
