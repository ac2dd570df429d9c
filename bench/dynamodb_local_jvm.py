"""DynamoDB Local's CPU per portal operation under each set of JVM options: the choice of
portal/adapters/dynamodb_local.py JVM_OPTIONS, measured.

For each option set, in rounds that alternate their order: DynamoDB Local on disk (a temporary folder) with those
options, the portal's tables and demo data, then a warm-up and the measured operations, called through the portal's
own services and repositories: a filing (intake.submit_request: the company file, the number, the transaction, the
queue position) and a request's page read (one Query of a ticket with its history). The figure is the CPU (user +
system) of the java process per operation, which the machine's other work does not change, with its wall time.
Ratios are taken against the JVM's default options within each round.

    .venv/bin/python bench/dynamodb_local_jvm.py [--operations 500] [--warm-up 1000] [--rounds 2]

The figures go to bench/results/dynamodb_local_jvm.txt.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadkit import ROOT, cpu_seconds, header, machine_note, write_results  # noqa: E402

from portal.adapters import dynamodb_local  # noqa: E402
from portal.settings import Settings  # noqa: E402

OPTION_SETS = {
    "JVM defaults (G1, C1 then C2)": (),
    "-XX:+UseSerialGC": ("-XX:+UseSerialGC",),
    "-XX:+UseSerialGC -XX:TieredStopAtLevel=1": ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
}
FILER = "owner@customer1.example"


class Portal:
    """The portal's storage and services on one DynamoDB Local started with the given JVM options."""

    def __init__(self, options: tuple[str, ...]):
        from portal.adapters.dynamo.storage import DynamoStorage
        from portal.domain.calendar import calendar_for
        from portal.domain.charter import load_charter
        from portal.services.seeding import seed_demo_data

        self.folder = Path(tempfile.mkdtemp(prefix="portal-jvm-"))
        self.database = dynamodb_local.start(data_dir=self.folder, jvm_options=options)
        self.storage = DynamoStorage(Settings(env="dev", charter="example", dynamodb_endpoint=self.database.endpoint,
                                              table_prefix="portal-jvm-", secret_key="bench", data_dir=self.folder,
                                              dynamodb_timeout_seconds=10.0))
        self.storage.create_missing_tables()
        self.charter = load_charter("example")
        self.calendar = calendar_for(self.charter)
        catalog = json.loads((ROOT / "portal" / "catalog" / "demo.json").read_text())
        seed_demo_data(self.storage, self.charter, catalog, date.today())
        self.contact = self.storage.accounts.contact_by_email(FILER)
        self.numbers: list[str] = []

    def file(self, index: int) -> None:
        from portal.services.intake import RequestDraft, submit_request

        draft = RequestDraft(category="bug", product_id="alpha-cam", version="2026.1", severity=3,
                             subject=f"Bench crash {index}", facts={"description": "The post-processor stops.",
                                                                    "steps": "Open, export, crash."},
                             idempotency_key=uuid.uuid4().hex)
        ack = submit_request(self.charter, self.calendar, self.storage.accounts, self.storage.catalog,
                             self.storage.tickets, self.contact, draft, datetime.now(UTC))
        self.numbers.append(ack.ticket.number)

    def view(self, index: int) -> None:
        if self.storage.tickets.ticket_with_history(self.numbers[index % len(self.numbers)]) is None:
            raise SystemExit("a request filed by this benchmark is missing")

    def measure(self, operation, count: int) -> tuple[float, float]:
        """(CPU ms of DynamoDB Local, wall ms) per call."""
        pid = self.database.process.pid
        cpu, started = cpu_seconds(pid), time.perf_counter()
        for index in range(count):
            operation(index)
        return ((cpu_seconds(pid) - cpu) * 1000 / count, (time.perf_counter() - started) * 1000 / count)

    def stop(self) -> None:
        self.database.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--operations", type=int, default=500, help="measured filings and page reads per set")
    parser.add_argument("--warm-up", type=int, default=1000, help="untimed filings and page reads first (JIT)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--output", default="dynamodb_local_jvm.txt")
    args = parser.parse_args()
    if not 0 < args.operations <= 5000 or not 0 <= args.warm_up <= 5000 or not 0 < args.rounds <= 5:
        raise SystemExit("keep the run bounded: at most 5,000 operations and 5 rounds")
    head = header("dynamodb_local_jvm.py", f"{args.operations} filings and page reads per option set after"
                                           f" {args.warm_up} of each, {args.rounds} rounds")
    print(head, flush=True)
    figures: dict[tuple[str, str], list[tuple[float, float]]] = {}
    names = list(OPTION_SETS)
    started = time.monotonic()
    for round_number in range(1, args.rounds + 1):
        for name in names if round_number % 2 else reversed(names):
            portal = Portal(OPTION_SETS[name])
            try:
                portal.measure(portal.file, args.warm_up)
                portal.measure(portal.view, args.warm_up)
                for operation in ("file", "view"):
                    result = portal.measure(getattr(portal, operation), args.operations)
                    figures.setdefault((name, operation), []).append(result)
                    print(f"round {round_number} {name:<42} {operation}: {result[0]:5.2f} ms CPU,"
                          f" {result[1]:5.2f} ms wall", flush=True)
            finally:
                portal.stop()
    lines = [head, f"# at end: {machine_note()}; {time.monotonic() - started:.0f} s in all", "",
             "DynamoDB Local per operation (median over rounds; ratio: CPU against the JVM default, per round):",
             f"  {'JVM options':<42} {'operation':<10} {'CPU ms':>7} {'wall ms':>8} {'CPU ratio':>10}"]
    default = names[0]
    for operation in ("file", "view"):
        for name in names:
            runs = figures[(name, operation)]
            ratios = [mine[0] / base[0] for mine, base in zip(runs, figures[(default, operation)], strict=True)]
            lines.append(f"  {name:<42} {operation:<10} {statistics.median(r[0] for r in runs):7.2f}"
                         f" {statistics.median(r[1] for r in runs):8.2f} {statistics.median(ratios):10.2f}")
    chosen = next((name for name, options in OPTION_SETS.items() if options == dynamodb_local.JVM_OPTIONS), "none")
    lines += ["", "file: intake.submit_request (company file, number, transaction, queue position);"
                  " view: tickets.ticket_with_history (one Query).",
              f"The portal starts DynamoDB Local with: {chosen} (portal/adapters/dynamodb_local.py JVM_OPTIONS)."]
    text = "\n".join(lines)
    print("\n".join(lines[3:]))
    print("written to", write_results(args.output, text))


if __name__ == "__main__":
    main()
