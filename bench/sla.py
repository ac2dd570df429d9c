"""Response-due computations per second: exer Premium, severity 4 (12 business hours), received at random
instants over two years. A trivial datetime sum runs in the same process as the baseline; the figures and
their ratio go to bench/results/sla.txt. Goal: 50,000 computations per second."""

from __future__ import annotations

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
from portal.domain.sla import due_instant  # noqa: E402

N = 20_000
ROUNDS = 5
RESULTS = Path(__file__).resolve().parent / "results" / "sla.txt"


def received_times(count: int) -> list[datetime]:
    rng = random.Random(20261122)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    span = int(timedelta(days=730).total_seconds())
    return [start + timedelta(seconds=rng.randrange(span)) for _ in range(count)]


def rate(function, inputs) -> float:
    began = time.perf_counter()
    for moment in inputs:
        function(moment)
    return len(inputs) / (time.perf_counter() - began)


def main() -> None:
    charter = load_charter("exer")
    calendar = calendar_for(charter)
    commitment = charter.commitment("premium", 4)
    inputs = received_times(N)
    for moment in inputs[:2000]:  # warm the holiday and interval caches, as a running portal has them
        due_instant(calendar, commitment, moment)
    twelve_hours = timedelta(hours=12)
    due_rates, base_rates = [], []
    for _ in range(ROUNDS):
        due_rates.append(rate(lambda moment: due_instant(calendar, commitment, moment), inputs))
        base_rates.append(rate(lambda moment: moment + twelve_hours, inputs))
    due_rate, base_rate = statistics.median(due_rates), statistics.median(base_rates)
    report = "\n".join([
        "bench/sla.py: exer Premium severity 4 (12 business hours), random receipts over two years",
        f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        f"computations per round: {N}, rounds: {ROUNDS} (medians)",
        f"response due:        {due_rate:>12,.0f} /s  (min {min(due_rates):,.0f}, max {max(due_rates):,.0f})",
        f"baseline dt + delta: {base_rate:>12,.0f} /s",
        f"ratio baseline / response due: {base_rate / due_rate:.1f}x",
        f"goal 50,000/s: {'met' if due_rate >= 50_000 else 'NOT met'}",
    ])
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()
