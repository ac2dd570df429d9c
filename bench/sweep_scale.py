"""The closure sweep's cost grows with the open requests, never with the closed history.

DynamoDB Local (in memory) holds 1,000 open requests (spread over the swept states, each with a short history)
and first 10,000, then 100,000 closed ones (each with its history), all written with batch writes. At each size
the closure sweep runs a few times (dry run: the data stay the same between runs) while every DynamoDB call is
counted: the items read through the sparse sweep index, the items read from the requests' histories, the
queries, and the time. Goals: the items read through the index stay within 1.1x the open candidates, and the
time with 100,000 closed requests is about the time with 10,000 (same process, same run).

The figures go to bench/results/sweep_scale.txt. Run: .venv/bin/python bench/sweep_scale.py
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import botocore.client  # noqa: E402

from portal.adapters import dynamodb_local  # noqa: E402
from portal.adapters.dynamo.models import TicketItem  # noqa: E402
from portal.adapters.dynamo.storage import DynamoStorage  # noqa: E402
from portal.adapters.dynamo.tickets import _event_item, _ticket_item  # noqa: E402
from portal.adapters.mail import OutboxMailer  # noqa: E402
from portal.domain.calendar import calendar_for  # noqa: E402
from portal.domain.charter import load_charter  # noqa: E402
from portal.domain.history import EventKind, TicketEvent  # noqa: E402
from portal.domain.queue import queue_key  # noqa: E402
from portal.domain.tickets import SWEPT_STATES, Ticket, queue_sort_key  # noqa: E402
from portal.services.sweeps.closure import run_closure_sweep  # noqa: E402
from portal.services.sweeps.run import HISTORY_READS_AT_ONCE, SweepContext  # noqa: E402
from portal.settings import Settings  # noqa: E402

OPEN = 1_000
CLOSED_SIZES = (10_000, 100_000)
ROUNDS = 3
GOAL_ITEMS = 1.1
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
RESULTS = Path(__file__).resolve().parent / "results" / "sweep_scale.txt"


class ReadCounter:
    """Counts DynamoDB calls and the items they read (ScannedCount of each Query page), by index."""

    def __init__(self):
        self.calls: Counter[str] = Counter()
        self.items: Counter[str] = Counter()
        self._original = botocore.client.BaseClient._make_api_call
        self._lock = threading.Lock()  # the sweep reads histories on several threads

    def __enter__(self):
        original, calls, items, lock = self._original, self.calls, self.items, self._lock

        def counting(client, operation_name, params):
            response = original(client, operation_name, params)
            if client.meta.service_model.service_name == "dynamodb":
                with lock:
                    calls[operation_name] += 1
                    if operation_name == "Query":
                        items[params.get("IndexName", "table")] += response.get("ScannedCount", 0)
            return response

        botocore.client.BaseClient._make_api_call = counting
        return self

    def __exit__(self, *exc):
        botocore.client.BaseClient._make_api_call = self._original


def ticket(charter, number: str, status: str, received: datetime) -> tuple[Ticket, str | None]:
    tier = charter.tiers[0].id
    item = Ticket(number, f"company-{int(number[-6:]) % 500}", "contact", received, status, received, "support", 3,
                  tier, "web", "Export fails", owner_id="tech-1", response_due=received + timedelta(hours=8))
    order = queue_key(charter, tier, "web", received)
    return item, queue_sort_key(order[0], order[1], received, number)


def load(charter, first: int, count: int, status_of, received_of, events_of, workers: int = 4) -> None:
    """Write `count` requests numbered from `first`, each with its events, in batches of 25 items, from a few
    threads at once."""
    chunk = -(-count // workers)
    with ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(load_chunk, charter, start, min(chunk, first + count - start), status_of,
                                   received_of, events_of) for start in range(first, first + count, chunk)]:
            future.result()


def load_chunk(charter, first: int, count: int, status_of, received_of, events_of) -> None:
    with TicketItem.batch_write() as batch:
        for index in range(first, first + count):
            number = f"2026-{index:06d}"
            received = received_of(index)
            record, key = ticket(charter, number, status_of(index), received)
            batch.save(_ticket_item(record, key))
            for sequence, event in enumerate(events_of(received)):
                batch.save(_event_item(number, event, sequence))


def open_history(received: datetime) -> list[TicketEvent]:
    return [TicketEvent(EventKind.RECEIVED, received, "contact"),
            TicketEvent(EventKind.CONTACT_ATTEMPT, received + timedelta(hours=1), "tech-1", True,
                        {"outcome": "no_answer"})]


def closed_history(received: datetime) -> list[TicketEvent]:
    return [TicketEvent(EventKind.RECEIVED, received, "contact"),
            TicketEvent(EventKind.RESOLVED, received + timedelta(days=1), "tech-1"),
            TicketEvent(EventKind.CLOSED, received + timedelta(days=2), "sweep", True, {"rule": "S14"})]


def measure(context, at_once: int | None = None) -> dict:
    """The closure sweep, ROUNDS dry runs; `at_once` histories read at a time (the sweep's own number if None)."""
    from portal.services.sweeps import run as sweep_run

    runs, kept = [], sweep_run.HISTORY_READS_AT_ONCE
    sweep_run.HISTORY_READS_AT_ONCE = at_once or kept
    try:
        for _ in range(ROUNDS):
            with ReadCounter() as counter:
                began = time.perf_counter()
                run = run_closure_sweep(context, NOW, dry_run=True)
                seconds = time.perf_counter() - began
            runs.append((seconds, run, counter))
    finally:
        sweep_run.HISTORY_READS_AT_ONCE = kept
    seconds = statistics.median(r[0] for r in runs)
    _, run, counter = runs[-1]
    return {"seconds": seconds, "candidates": run.candidates, "index_items": counter.items["sweep"],
            "history_items": counter.items["table"], "queries": counter.calls["Query"],
            "scans": counter.calls["Scan"], "fired": len(run.fired)}


def main() -> None:
    charter = load_charter("example")
    database = dynamodb_local.start(in_memory=True)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    try:
        settings = Settings(env="test", secret_key="bench", dynamodb_endpoint=database.endpoint,
                            table_prefix=f"bench{uuid.uuid4().hex[:6]}-", dynamodb_timeout_seconds=30)
        storage = DynamoStorage(settings)
        storage.create_missing_tables()
        context = SweepContext(charter, calendar_for(charter), storage.tickets, storage.accounts, None,
                               OutboxMailer(Path("/tmp") / "sweep-bench-outbox", "bench@vendor.example"),
                               storage.catalog, "http://127.0.0.1:5000")
        began = time.perf_counter()
        load(charter, 1, OPEN, lambda i: SWEPT_STATES[i % len(SWEPT_STATES)],
             lambda i: NOW - timedelta(hours=1 + i % 48), open_history)
        figures, loaded, load_seconds = {}, 0, {}
        for size in CLOSED_SIZES:
            t0 = time.perf_counter()
            load(charter, OPEN + 1 + loaded, size - loaded, lambda i: "closed",
                 lambda i: NOW - timedelta(days=3 + i % 700), closed_history)
            load_seconds[size] = time.perf_counter() - t0
            loaded = size
            measure(context)  # warm-up at this size
            figures[size] = measure(context)
            if size == CLOSED_SIZES[0]:
                figures["one at a time"] = measure(context, at_once=1)
        total_load = time.perf_counter() - began
    finally:
        database.stop()
    report(figures, load_seconds, total_load)


def report(figures: dict, load_seconds: dict, total_load: float) -> None:
    small, large = (figures[size] for size in CLOSED_SIZES)
    lines = [f"# bench/sweep_scale.py, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()},"
             f" DynamoDB Local in memory, {os.cpu_count()} CPUs (shared)",
             f"open requests: {OPEN} (every swept state), each with 2 events; closed requests: "
             f"{' then '.join(f'{size:,}' for size in CLOSED_SIZES)}, each with 3 events; closure sweep, dry run,"
             f" median of {ROUNDS} runs after a warm-up", ""]
    lines.append(f"{'closed':>8} {'candidates':>10} {'index items':>11} {'items/open':>10} {'history items':>13}"
                 f" {'queries':>7} {'scans':>5} {'seconds':>8}")
    for size in CLOSED_SIZES:
        f = figures[size]
        lines.append(f"{size:>8,} {f['candidates']:>10} {f['index_items']:>11} {f['index_items'] / OPEN:>10.3f}"
                     f" {f['history_items']:>13} {f['queries']:>7} {f['scans']:>5} {f['seconds']:>8.2f}")
    ratio_time = large["seconds"] / small["seconds"]
    ratio_items = (large["index_items"] + large["history_items"]) / (small["index_items"] + small["history_items"])
    worst = max(figures[size]["index_items"] / OPEN for size in CLOSED_SIZES)
    lines += ["", f"items read through the sweep index / open candidates: {worst:.3f} (goal <= {GOAL_ITEMS})"
                  f" -> {'met' if worst <= GOAL_ITEMS else 'NOT met'}",
              f"all items read, 100,000 closed / 10,000 closed: {ratio_items:.3f} (1.000 = independent of history)",
              f"sweep time, 100,000 closed / 10,000 closed: {ratio_time:.2f}",
              f"sweep time with {HISTORY_READS_AT_ONCE} history reads at once / one at a time"
              f" ({CLOSED_SIZES[0]:,} closed): {figures[CLOSED_SIZES[0]]['seconds']:.2f} s /"
              f" {figures['one at a time']['seconds']:.2f} s ="
              f" {figures[CLOSED_SIZES[0]]['seconds'] / figures['one at a time']['seconds']:.2f}"
              " (DynamoDB Local shares this machine's 2 cores; against DynamoDB each read mostly waits on the"
              " network)",
              "load: " + ", ".join(f"{size:,} closed in {seconds:.0f} s" for size, seconds in load_seconds.items())
              + f"; total {total_load:.0f} s"]
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
