"""Response-due computations per second: exer Premium, severity 4 (12 business hours), received at random
instants over two years (seeded). Measured in one process, single-threaded:

- the due instant alone (what the sweeps and the queue compute), first on cold caches, then warm;
- the full `response_due` (due instant, explanation parts and their English wording), warm;
- a trivial baseline, `datetime + timedelta`, so the figures can be read on any machine.

The figures and their ratios go to bench/results/sla.txt. Goal: 50,000 due computations per second.
Run: .venv/bin/python bench/sla.py
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.domain.calendar import calendar_for  # noqa: E402
from portal.domain.charter import load_charter  # noqa: E402
from portal.domain.sla import due_instant, response_due  # noqa: E402

N = 20_000
ROUNDS = 5
GOAL = 50_000
SEED = 20261122
RESULTS = Path(__file__).resolve().parent / "results" / "sla.txt"


def received_times(count: int) -> list[datetime]:
    """Random receipt instants over 2025-2026, to the second, in UTC (the calendar converts)."""
    rng = random.Random(SEED)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    span = int(timedelta(days=730).total_seconds())
    return [start + timedelta(seconds=rng.randrange(span)) for _ in range(count)]


def rate(function, inputs) -> float:
    began = time.perf_counter()
    for moment in inputs:
        function(moment)
    return len(inputs) / (time.perf_counter() - began)


def median_rate(function, inputs) -> tuple[float, float, float]:
    rates = [rate(function, inputs) for _ in range(ROUNDS)]
    return statistics.median(rates), min(rates), max(rates)


def main() -> None:
    charter = load_charter("exer")
    calendar = calendar_for(charter)
    commitment = charter.commitment("premium", 4)
    inputs = received_times(N)

    def due(moment):
        return due_instant(calendar, commitment, moment)

    def full(moment):
        return response_due(charter, "premium", 4, moment, calendar)

    twelve_hours = timedelta(hours=12)

    def baseline(moment):
        return moment + twelve_hours

    cold = rate(due, inputs)  # first pass: holidays of each year and each date's intervals are computed here
    due_rate, due_min, due_max = median_rate(due, inputs)
    full_rate, full_min, full_max = median_rate(full, inputs[: N // 4])
    base_rate, _, _ = median_rate(baseline, inputs)
    report = "\n".join([
        "bench/sla.py: exer Premium severity 4 (12 business hours), random receipts over 2025-2026 (seed "
        f"{SEED})",
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}, single thread",
        f"computations per round: {N:,} ({N // 4:,} for the full response), rounds: {ROUNDS} (medians)",
        f"due instant, cold caches:        {cold:>12,.0f} /s  (first pass)",
        f"due instant, warm:               {due_rate:>12,.0f} /s  (min {due_min:,.0f}, max {due_max:,.0f})",
        f"full response_due + explanation: {full_rate:>12,.0f} /s  (min {full_min:,.0f}, max {full_max:,.0f})",
        f"baseline datetime + timedelta:   {base_rate:>12,.0f} /s",
        f"ratio baseline / due instant:    {base_rate / due_rate:>12.1f}x",
        f"ratio baseline / full response:  {base_rate / full_rate:>12.1f}x",
        f"goal {GOAL:,}/s: due instant {'met' if due_rate >= GOAL else 'NOT met'}, "
        f"full response {'met' if full_rate >= GOAL else 'NOT met'}",
    ])
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()
