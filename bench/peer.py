"""The portal against its peer, django-helpdesk, in the same run: filing a request through the web form and
viewing a request's page, at the same concurrency levels, both on disk-backed storage.

django-helpdesk 2.6.1 (SQLite in WAL mode, on disk) and the portal (DynamoDB Local keeping its data on disk)
each run under gunicorn with 2 sync workers. The peer is set up and started by its own scripts
(../shared/peer/django-helpdesk, copied to the git-ignored bench/.peer). One measuring loop drives both: per
scenario and concurrency, N requests shared by as many threads as the concurrency, each thread with its own
session (signed in on the portal; its CSRF token read once, untimed, on both, as the peer's load.py does), a
redirect answer not followed. First an untimed warm-up of 1,000 requests per scenario and target, half of them at
the highest measured concurrency: DynamoDB Local's JIT compiler spends more CPU than its answers during its first
few hundred filings and views, compiles again when the concurrency rises, and still spends a fifth of its CPU
after a thousand (bench/results/peer.txt gives its share during the warm-up and the measurements), a cost that
DynamoDB itself never charges. Rounds alternate which target goes first, and the ratios are taken within a
round. Goals on this machine: view p95 at most half of the peer's; submission p95 no worse than the peer's.

    .venv/bin/python bench/peer.py [--requests 200] [--rounds 3] [--concurrency 1 8]

The figures go to bench/results/peer.txt.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import requests  # noqa: E402
from loadkit import (  # noqa: E402
    FIGURES_HEADER,
    ROOT,
    Figures,
    PortalStack,
    compiler_cpu_seconds,
    cpu_seconds,
    demo_clients,
    header,
    loopback_only,
    machine_note,
    new_submission,
    run_fixed,
    status_problem,
    verify_submissions,
    write_results,
)

from portal.adapters.dynamodb_local import free_port  # noqa: E402

PEER = ROOT / "bench" / ".peer"
PEER_SOURCE = ROOT.parent / "shared" / "peer" / "django-helpdesk"
HELPDESK_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VIEW_GOAL, SUBMIT_GOAL = 0.5, 1.0


def prepare_peer(source: Path) -> None:
    """Copy the peer's scripts to bench/.peer (git-ignored) and build its site once."""
    if not (PEER / "setup_helpdesk.sh").exists():
        if not source.exists():
            raise SystemExit(f"the peer's scripts are not in {source}: pass --peer-source")
        shutil.copytree(source, PEER, dirs_exist_ok=True)
    if not (PEER / "helpdesk_site" / "db.sqlite3").exists():
        print("setting up django-helpdesk (once) ...", flush=True)
        subprocess.run(["bash", str(PEER / "setup_helpdesk.sh")], check=True,  # noqa: S603, S607
                       env={**os.environ, "PEER": str(PEER)}, stdout=subprocess.DEVNULL)


class Helpdesk:
    """django-helpdesk under gunicorn, started by the peer's run_helpdesk.sh, stopped by its pid file."""

    def __init__(self):
        self.port = free_port()
        self.base = loopback_only(f"http://127.0.0.1:{self.port}")

    def __enter__(self) -> Helpdesk:
        subprocess.run(["bash", str(PEER / "run_helpdesk.sh")], check=True, stdout=subprocess.DEVNULL,  # noqa: S603, S607
                       env={**os.environ, "PEER": str(PEER), "PORT": str(self.port)})
        self.pid = int((PEER / "helpdesk.pid").read_text())
        return self

    def __exit__(self, *exc) -> None:
        pid_file = PEER / "helpdesk.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text())
            try:
                os.kill(pid, 15)
            except ProcessLookupError:
                return
            for _ in range(50):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.2)
            pid_file.unlink(missing_ok=True)


class HelpdeskClient:
    """An anonymous visitor filing tickets on the public form (as the peer's load.py drives it)."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()
        self.token = None

    def csrf(self) -> str:
        if self.token is None:
            page = self.session.get(self.base + "/tickets/submit/", timeout=30)
            page.raise_for_status()
            self.token = HELPDESK_CSRF.search(page.text).group(1)
        return self.token

    def submit(self, index: int) -> requests.Response:
        data = {"csrfmiddlewaretoken": self.csrf(), "queue": "1",
                "title": f"Load test ticket {index} {uuid.uuid4().hex[:8]}",
                "body": "My widget stopped working after the update.\nSteps: 1, 2, 3.\n", "priority": "3",
                "submitter_email": f"user{index % 50}@example.com"}
        return self.session.post(self.base + "/tickets/submit/", data=data, allow_redirects=False, timeout=30,
                                 headers={"Referer": self.base + "/tickets/submit/"})


class Targets:
    """The two systems with their clients and, for each scenario, the call that is timed."""

    def __init__(self, stack: PortalStack, helpdesk: Helpdesk, clients: int):
        self.stack, self.helpdesk = stack, helpdesk
        self.portal_clients = demo_clients(stack, clients)
        self.helpdesk_clients = [HelpdeskClient(helpdesk.base) for _ in range(clients)]
        self.acknowledged, self.unacknowledged = [], []
        for client in self.portal_clients:  # each views a request of its own; the token is read untimed
            client.form_token()
            self.portal_submit(client, -1)
        first = self.helpdesk_clients[0].submit(0)
        if first.status_code != 302:
            raise SystemExit(f"django-helpdesk refused a ticket: {first.status_code}")
        self.helpdesk_view = helpdesk.base + first.headers["Location"]
        for client in self.helpdesk_clients:
            client.csrf()

    def portal_submit(self, client, index) -> str | None:
        submission = new_submission(client.company_id, "form")
        answer = client.submit_form(submission)
        number = client.filed_number(submission, answer)
        if number is None:
            self.unacknowledged.append(submission)
            return str(answer.status_code)
        self.acknowledged.append(submission.__class__(**{**submission.__dict__, "number": number}))
        client.numbers.append(number)
        return None

    def cpu(self, target: str) -> tuple[float, float]:
        """CPU seconds so far of the target's web server (master and workers) and of its database process."""
        if target == "portal":
            return cpu_seconds(self.stack.server.pid), cpu_seconds(self.stack.database.process.pid)
        return cpu_seconds(self.helpdesk.pid), 0.0  # SQLite runs inside the workers

    def calls(self, target: str, scenario: str):
        if target == "portal":
            if scenario == "submit":
                return self.portal_clients, self.portal_submit
            return self.portal_clients, lambda client, index: status_problem(client.view(client.numbers[0]), 200)
        if scenario == "submit":
            return self.helpdesk_clients, lambda client, index: status_problem(client.submit(index), 302)
        return self.helpdesk_clients, lambda client, index: status_problem(
            client.session.get(self.helpdesk_view, timeout=30), 200)


def _share(seconds: tuple[float, float]) -> str:
    compiling, total = seconds
    return f"{100 * compiling / total:.0f}% ({compiling:.1f} s)" if total else "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per scenario, target and level")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--deadline", type=float, default=120.0, help="seconds at most per measurement")
    parser.add_argument("--warm-up", type=int, default=1000, help="untimed requests per scenario and target: "
                        "DynamoDB Local's JIT compiler takes about a thousand filings and views to settle")
    parser.add_argument("--peer-source", type=Path, default=PEER_SOURCE)
    parser.add_argument("--output", default="peer.txt")
    args = parser.parse_args()
    if not 0 < args.requests <= 5000 or not 0 < args.rounds <= 10 or max(args.concurrency) > 32:
        raise SystemExit("keep the run bounded: at most 5,000 requests, 10 rounds, 32 clients")
    prepare_peer(args.peer_source)
    head = header("peer.py", f"{args.requests} requests per measurement, {args.rounds} rounds, concurrency "
                             f"{' and '.join(map(str, args.concurrency))}; gunicorn with 2 sync workers for both")
    print(head, flush=True)
    runs: dict[tuple, list[Figures]] = {}
    cpu: dict[tuple, list[tuple[float, float]]] = {}  # (target, scenario) -> CPU ms per request (server, database)
    lines = []
    started = time.monotonic()
    with PortalStack() as stack, Helpdesk() as helpdesk:
        targets = Targets(stack, helpdesk, max(args.concurrency))
        java = stack.database.process.pid
        compiling, warming = compiler_cpu_seconds(java), cpu_seconds(java)
        for target in ("helpdesk", "portal"):  # warm-up, untimed: templates loaded, DynamoDB Local's JIT warm
            for scenario in ("view", "submit"):  # half with 2 clients, half at the highest measured concurrency
                clients, call = targets.calls(target, scenario)
                run_fixed(Figures("warm-up"), args.warm_up // 2, clients[:2], call, 300)
                run_fixed(Figures("warm-up"), args.warm_up - args.warm_up // 2, clients, call, 300)
        warm_up_jit = (compiler_cpu_seconds(java) - compiling, cpu_seconds(java) - warming)
        compiling, measuring = compiler_cpu_seconds(java), cpu_seconds(java)
        for round_number in range(1, args.rounds + 1):
            order = ("helpdesk", "portal") if round_number % 2 else ("portal", "helpdesk")
            for level in args.concurrency:
                for scenario in ("submit", "view"):
                    for target in order:
                        clients, call = targets.calls(target, scenario)
                        figures = Figures(f"{target} {scenario} c={level}")
                        before = targets.cpu(target)
                        run_fixed(figures, args.requests, clients[:level], call, args.deadline)
                        after = targets.cpu(target)
                        runs.setdefault((target, scenario, level), []).append(figures)
                        used = (b - a for a, b in zip(before, after, strict=True))
                        cpu.setdefault((target, scenario), []).append(
                            tuple(seconds * 1000 / max(1, figures.requests) for seconds in used))
                        print(f"round {round_number}" + figures.line(), flush=True)
        measured_jit = (compiler_cpu_seconds(java) - compiling, cpu_seconds(java) - measuring)
        verdict = verify_submissions(stack, targets.acknowledged, targets.unacknowledged)
    lines.append(head)
    lines.append(f"# at end: {machine_note()}; {time.monotonic() - started:.0f} s in all")
    lines.append("")
    lines.append("Each round, per target (p50 / p95 ms over the requests of that measurement):")
    lines.append(FIGURES_HEADER)
    for key in sorted(runs):
        for index, figures in enumerate(runs[key], start=1):
            lines.append(figures.line().replace(figures.name, f"{figures.name} r{index}", 1))
    lines.append("")
    lines.append("Ratios portal / django-helpdesk, p95, within each round (median over rounds):")
    met = True
    for scenario, goal in (("view", VIEW_GOAL), ("submit", SUBMIT_GOAL)):
        for level in args.concurrency:
            portal, peer = runs[("portal", scenario, level)], runs[("helpdesk", scenario, level)]
            ratios = [mine.p(95) / theirs.p(95) for mine, theirs in zip(portal, peer, strict=True)]
            p50_ratios = [mine.p(50) / theirs.p(50) for mine, theirs in zip(portal, peer, strict=True)]
            median = statistics.median(ratios)
            met &= median <= goal
            lines.append(f"  {scenario:<6} c={level}: p95 portal {statistics.median(f.p(95) for f in portal):7.1f} ms,"
                         f" helpdesk {statistics.median(f.p(95) for f in peer):7.1f} ms -> ratio {median:.2f}"
                         f" (rounds {', '.join(f'{r:.2f}' for r in ratios)}; goal <= {goal}:"
                         f" {'met' if median <= goal else 'MISSED'}); p50 ratio {statistics.median(p50_ratios):.2f}")
    lines.append("")
    lines.append("CPU per request (ms, median over the measurements; whatever the machine's load, unlike latency):")
    for scenario in ("view", "submit"):
        mine, theirs = cpu[("portal", scenario)], cpu[("helpdesk", scenario)]
        web, database = (statistics.median(m[i] for m in mine) for i in (0, 1))
        peer_cpu = statistics.median(t[0] for t in theirs)
        lines.append(f"  {scenario:<6}: portal {web + database:5.1f} (gunicorn workers {web:5.1f}, DynamoDB Local"
                     f" {database:5.1f}); django-helpdesk {peer_cpu:5.1f} (SQLite in the workers);"
                     f" ratio {(web + database) / peer_cpu:.2f}")
    lines.append(f"  DynamoDB Local's JIT compiler threads: {_share(warm_up_jit)} of its CPU during the warm-up"
                 f" ({args.warm_up} requests per scenario and target), {_share(measured_jit)} during the measurements")
    lines.append("")
    lines.append("Portal submissions of this run, checked through the tables:")
    lines += verdict.lines()
    lines.append(f"goals: {'met' if met else 'not all met'}")
    text = "\n".join(lines)
    print("\n".join(lines[3:]))
    print("written to", write_results(args.output, text))
    if not verdict.ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
