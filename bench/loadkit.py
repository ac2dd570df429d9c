"""What the load, fault and peer benchmarks share: the portal on disk under gunicorn, its HTTP clients, latency
figures, and the check through the tables that every acknowledged request is there once and whole.

Everything runs on 127.0.0.1 in a temporary folder and stops with the benchmark (the children die with it).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from portal.adapters import dynamodb_local  # noqa: E402
from portal.settings import Settings  # noqa: E402

LOOPBACK = "127.0.0.1"
DEMO_PASSWORD = "demo-portal"  # noqa: S105 - the demo data's password, printed by `make run`
TABLE_PREFIX = "portal-bench-"
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
FILED = re.compile(r"/requests/([0-9]{4}-[0-9]+)")
# Contacts of the demo data that may file a bug on alpha-cam 2026.1 (a premium customer, trained).
FILERS = ("owner@customer1.example", "deputy@customer1.example")
SLOW_SECONDS = 5.0  # an answer slower than this counts as a hang


def loopback_only(url: str) -> str:
    """Refuse any target but this machine."""
    if urlparse(url).hostname not in (LOOPBACK, "localhost"):
        raise SystemExit(f"refusing a target that is not on loopback: {url}")
    return url


def percentile(sorted_values: list[float], p: float) -> float:
    """Linear interpolation between ranks (as the peer's load.py computes it)."""
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100.0
    low, high = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (k - low)


@dataclass
class Figures:
    """Latencies of the answers that were right, and what went wrong with the others, for one scenario."""

    name: str
    seconds: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    slowest: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, elapsed: float, problem: str | None = None) -> None:
        with self.lock:
            self.slowest = max(self.slowest, elapsed)
            if problem is None:
                self.seconds.append(elapsed)
            else:
                self.errors[problem] += 1

    def p(self, q: float) -> float:
        return percentile(sorted(self.seconds), q) * 1000

    @property
    def requests(self) -> int:
        return len(self.seconds) + sum(self.errors.values())

    def line(self) -> str:
        errors = ", ".join(f"{kind} x{count}" for kind, count in sorted(self.errors.items())) or "none"
        return (f"  {self.name:<22} {self.requests:>6} {self.p(50):>8.1f} {self.p(95):>8.1f} "
                f"{self.slowest * 1000:>8.0f}   {errors}")


FIGURES_HEADER = f"  {'scenario':<22} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}   errors"


def machine_note() -> str:
    """What else the machine was doing: its load averages and the busiest processes that are not ours."""
    one, five, fifteen = os.getloadavg()
    ours = {os.getpid()}
    try:
        listing = subprocess.run(["ps", "-eo", "pid,ppid,pcpu,comm", "--sort=-pcpu"], capture_output=True,  # noqa: S607
                                 text=True, timeout=5, check=False).stdout.splitlines()[1:]
    except (OSError, subprocess.SubprocessError):
        listing = []
    busy = []
    for row in listing:
        pid, ppid, cpu, command = row.split(None, 3)
        if int(pid) in ours or int(ppid) in ours or float(cpu) < 5:
            continue
        busy.append(f"{command} {cpu}%")
    return (f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs (shared with other sessions);"
            f" busiest others: {', '.join(busy[:5]) or 'none above 5%'}")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in task.read_text().split()]
    return found


def cpu_seconds(*roots: int) -> float:
    """CPU time (user + system) used so far by these processes and their live children: what a request costs
    whatever else the machine is doing, unlike its latency."""
    ticks, seen, pending = 0, set(), list(roots)
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.add(pid)
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
            pending += _children(pid)
    return ticks / os.sysconf("SC_CLK_TCK")


def compiler_cpu_seconds(pid: int) -> float:
    """CPU time used so far by a JVM's just-in-time compiler threads (C1 and C2): what DynamoDB Local spends
    compiling itself rather than answering, high for the first thousands of requests."""
    ticks = 0
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if (task / "comm").read_text().startswith(("C1 Compiler", "C2 Compiler")):
                fields = (task / "stat").read_text().rpartition(")")[2].split()
                ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def header(script: str, what: str) -> str:
    return (f"# bench/{script}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, {what}\n"
            f"# at start: {machine_note()}")


def write_results(name: str, text: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(text.rstrip() + "\n")
    return path


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class PortalStack:
    """DynamoDB Local keeping its data on disk in a temporary folder, the tables and demo data, and the portal
    under gunicorn (sync workers, as the peer runs); `stop()` ends both and removes the folder."""

    def __init__(self, workers: int = 2, keep: bool = False):
        self.folder = Path(tempfile.mkdtemp(prefix="portal-bench-"))
        self.workers, self.keep = workers, keep or os.environ.get("BENCH_KEEP") == "1"  # keep logs and data
        self.database: dynamodb_local.DynamoDBLocal | None = None
        self.server: subprocess.Popen | None = None
        self.database_port = dynamodb_local.free_port()
        self.port = dynamodb_local.free_port()
        self.storage = None

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def data_dir(self) -> Path:
        return self.folder / "dynamodb"

    def settings(self) -> Settings:
        """The bench's own settings (seeding, tokens, checks): patient, as the portal's are not."""
        return Settings(env="dev", charter="example", dynamodb_endpoint=f"http://{LOOPBACK}:{self.database_port}",
                        table_prefix=TABLE_PREFIX, secret_key=self.secret, data_dir=self.folder,
                        dynamodb_timeout_seconds=10.0)

    @property
    def secret(self) -> str:
        return "bench-" + self.folder.name

    def start(self) -> PortalStack:
        import json

        from portal.adapters.dynamo.storage import DynamoStorage
        from portal.domain.charter import load_charter
        from portal.services.seeding import seed_demo_data

        self.start_database()
        self.storage = DynamoStorage(self.settings())
        self.storage.create_missing_tables()
        catalog = json.loads((ROOT / "portal" / "catalog" / "demo.json").read_text())
        seed_demo_data(self.storage, load_charter("example"), catalog, date.today())
        self.start_portal()
        return self

    def start_database(self) -> None:
        """Start DynamoDB Local on its port and data folder (the same ones after a kill)."""
        self.database = dynamodb_local.start(port=self.database_port, data_dir=self.data_dir)

    def kill_database(self) -> None:
        """Kill the java process outright (SIGKILL: no clean shutdown, as a crash)."""
        self.database.process.kill()
        self.database.process.wait(10)
        self.database.stop()

    def start_portal(self) -> None:
        settings = self.settings()
        environment = {**os.environ, "PORTAL_ENV": "dev", "PORTAL_CHARTER": settings.charter,
                       "PORTAL_DYNAMODB_ENDPOINT": settings.dynamodb_endpoint, "PORTAL_TABLE_PREFIX": TABLE_PREFIX,
                       "PORTAL_SECRET_KEY": self.secret, "PORTAL_DATA": str(self.folder)}
        self.log = (self.folder / "portal.log").open("wb")
        command = [sys.executable, "-m", "gunicorn", "portal.wsgi:app", "--bind", f"{LOOPBACK}:{self.port}",
                   "--workers", str(self.workers), "--worker-class", "sync", "--timeout", "30",
                   "--graceful-timeout", "5", "--error-logfile", str(self.folder / "gunicorn.log")]
        self.server = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=self.log, stderr=self.log,  # noqa: S603
                                       preexec_fn=_die_with_parent)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise SystemExit(f"gunicorn exited at start; see {self.folder / 'gunicorn.log'}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise SystemExit("the portal did not answer within 60 s")

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(15)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(5)
        if self.database is not None:
            self.database.stop()
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PortalStack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def api_token(self, contact_id: str, company_id: str) -> str:
        """A personal API token for a demo contact, created as the account page does."""
        from types import SimpleNamespace

        from portal.services.api_tokens import create_token

        clear, _token = create_token(self.storage.api_tokens, SimpleNamespace(contact_id=contact_id,
                                                                              company_id=company_id),
                                     "bench", datetime.now(UTC) - timedelta(minutes=1))
        return clear


@dataclass(frozen=True)
class Submission:
    """One request sent by a client: its unique subject and idempotency key, and the number it was given."""

    company_id: str
    key: str
    subject: str
    channel: str  # "form" | "api"
    number: str | None = None


def new_submission(company_id: str, channel: str) -> Submission:
    marker = uuid.uuid4().hex[:12]
    return Submission(company_id, f"bench-{marker}", f"Bench crash {marker}", channel)


class PortalClient:
    """One customer in a browser (a session, its CSRF token) who also holds a personal API token."""

    def __init__(self, base: str, email: str, contact_id: str, company_id: str, api_token: str | None = None,
                 timeout: float = 30.0):
        self.base, self.email = loopback_only(base), email
        self.contact_id, self.company_id, self.token = contact_id, company_id, api_token
        self.session = requests.Session()
        self.timeout = timeout
        self.csrf: str | None = None
        self.numbers: list[str] = []  # the requests this contact filed and may view

    def _token_of(self, page: str) -> str:
        found = CSRF_FIELD.search(page)
        if not found:
            raise RuntimeError("no CSRF token on the page")
        return found.group(1) or found.group(2)

    def log_in(self) -> None:
        page = self.session.get(self.base + "/login?lang=en", timeout=self.timeout)
        answer = self.session.post(self.base + "/login?lang=en", timeout=self.timeout, allow_redirects=False,
                                   data={"email": self.email, "password": DEMO_PASSWORD,
                                         "csrf_token": self._token_of(page.text)})
        if answer.status_code != 302:
            raise RuntimeError(f"login of {self.email} answered {answer.status_code}")

    def form_token(self) -> str:
        """The session's CSRF token, read once from the request form (as the peer's client does)."""
        if self.csrf is None:
            page = self.session.get(self.base + "/requests/new?lang=en", timeout=self.timeout)
            page.raise_for_status()
            self.csrf = self._token_of(page.text)
        return self.csrf

    def submit_form(self, submission: Submission) -> requests.Response:
        """POST the request form (redirect not followed: 302 to the new request's page)."""
        data = {"csrf_token": self.form_token(), "category": "bug", "product": "alpha-cam", "version": "2026.1",
                "severity": "3", "topic": "", "subject": submission.subject,
                "fact_description": "The post-processor stops on export.\nIt started after the update.",
                "fact_steps": "Open a part, export, crash.", "idempotency_key": submission.key}
        return self.session.post(self.base + "/requests/new?lang=en", data=data, allow_redirects=False,
                                 timeout=self.timeout, headers={"Referer": self.base + "/requests/new"})

    def submit_api(self, submission: Submission) -> requests.Response:
        body = {"category": "bug", "product": "alpha-cam", "version": "2026.1", "severity": 3,
                "subject": submission.subject,
                "facts": {"description": "The post-processor stops on export.", "steps": "Open, export, crash."}}
        return self.session.post(self.base + "/api/v1/tickets", json=body, timeout=self.timeout,
                                 headers={"Authorization": f"Bearer {self.token}", "Idempotency-Key": submission.key})

    def view(self, number: str) -> requests.Response:
        return self.session.get(f"{self.base}/requests/{number}?lang=en", timeout=self.timeout)

    def home(self) -> requests.Response:
        return self.session.get(self.base + "/?lang=en", timeout=self.timeout)

    def api_read(self, number: str) -> requests.Response:
        return self.session.get(f"{self.base}/api/v1/tickets/{number}", timeout=self.timeout,
                                headers={"Authorization": f"Bearer {self.token}"})

    def filed_number(self, submission: Submission, answer: requests.Response) -> str | None:
        """The number the portal acknowledged, or None when it did not acknowledge the request."""
        if submission.channel == "form":
            found = FILED.search(answer.headers.get("Location", "")) if answer.status_code == 302 else None
            return found.group(1) if found else None
        if answer.status_code in (200, 201):
            return answer.json().get("number")
        return None


def demo_clients(stack: PortalStack, count: int) -> list[PortalClient]:
    """`count` signed-in customers (the demo filers in turn), each with an API token of their own."""
    clients = []
    for index in range(count):
        email = FILERS[index % len(FILERS)]
        contact = stack.storage.accounts.contact_by_email(email)
        client = PortalClient(stack.base, email, contact.contact_id, contact.company_id,
                              stack.api_token(contact.contact_id, contact.company_id))
        client.log_in()
        clients.append(client)
    return clients


@dataclass
class Verdict:
    """What the tables hold for the submissions, read by key and by index (never a scan)."""

    acknowledged: int = 0
    numbers_handed_out: int = 0
    requests_stored: int = 0
    filed_unacknowledged: int = 0  # filed whole, but the answer never reached the client
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        verdict = "every acknowledged request exists once, whole; numbers unique" if self.ok else "PROBLEMS"
        lines = [f"  acknowledged submissions: {self.acknowledged}; requests stored: {self.requests_stored};"
                 f" numbers handed out by the counter: {self.numbers_handed_out}"
                 f" (a number whose filing was refused or cut short stays unused)",
                 f"  filed whole but unacknowledged (answer lost): {self.filed_unacknowledged}",
                 f"  check: {verdict}"]
        lines += [f"    - {problem}" for problem in self.problems[:20]]
        return lines


def verify_submissions(stack: PortalStack, acknowledged: list[Submission], unacknowledged: list[Submission]) -> Verdict:
    """Through the tables: each acknowledged submission is one request (its number, subject, first event and
    idempotency marker), no subject is stored twice, request numbers are unique, and no number the counter handed
    out holds half a request (a ticket without its first event, or events without their ticket)."""
    from portal.adapters.dynamo.raw_tables import RawTables, plain
    from portal.domain.tickets import ticket_number

    raw = RawTables(stack.settings())
    tickets, counters = TABLE_PREFIX + "tickets", TABLE_PREFIX + "counters"
    verdict = Verdict(acknowledged=len(acknowledged))

    def collection(number: str) -> list[dict]:
        return [plain(item) for item in raw.query(tickets, "pk = :pk", {":pk": {"S": f"TICKET#{number}"}})]

    def whole(number: str, items: list[dict]) -> dict | None:
        """The ticket item when the collection holds a ticket and its received event; a problem noted if half."""
        ticket = [item for item in items if item["sk"] == "TICKET"]
        received = [item for item in items if item["sk"].startswith("EVENT#") and item.get("kind") == "received"]
        if not items:
            return None
        if len(ticket) != 1 or len(received) != 1:
            verdict.problems.append(f"{number}: half-written ({len(ticket)} ticket item(s), {len(received)} "
                                    "received event(s))")
            return None
        return ticket[0]

    by_key: dict[str, set[str]] = {}
    for submission in acknowledged:
        by_key.setdefault(submission.key, set()).add(submission.number)
    for key, numbers in by_key.items():
        if len(numbers) != 1:
            verdict.problems.append(f"idempotency key {key} acknowledged as {sorted(numbers)}")
    owners: dict[str, str] = {}
    for submission in {s.key: s for s in acknowledged}.values():
        if submission.number in owners:
            verdict.problems.append(f"{submission.number} acknowledged for two submissions")
        owners[submission.number] = submission.key
        ticket = whole(submission.number, collection(submission.number))
        if ticket is None:
            verdict.problems.append(f"{submission.number} ({submission.subject}) acknowledged but not stored whole")
            continue
        if ticket.get("subject") != submission.subject or ticket.get("company_id") != submission.company_id:
            verdict.problems.append(f"{submission.number} holds {ticket.get('subject')!r}, not {submission.subject!r}")
        marker = raw.get(tickets, {"pk": {"S": f"IDEMPOTENCY#{submission.company_id}#{submission.key}"},
                                   "sk": {"S": "TICKET"}})
        if marker is None or plain(marker).get("number") != submission.number:
            verdict.problems.append(f"{submission.number}: its idempotency marker is missing or wrong")

    subjects: Counter = Counter()
    for company in {s.company_id for s in (*acknowledged, *unacknowledged)}:
        for item in raw.query(tickets, "company_id = :c", {":c": {"S": company}}, index="by-company"):
            subjects[plain(item).get("subject")] += 1
    for submission in (*acknowledged, *unacknowledged):
        if subjects[submission.subject] > 1:
            verdict.problems.append(f"{submission.subject!r} stored {subjects[submission.subject]} times")
    acknowledged_subjects = {s.subject for s in acknowledged}
    verdict.filed_unacknowledged = len({s.subject for s in unacknowledged
                                        if subjects[s.subject] and s.subject not in acknowledged_subjects})

    years = {int(s.number[:4]) for s in acknowledged} or {datetime.now(UTC).year}
    for year in sorted(years):
        counter = raw.get(counters, {"counter_id": {"S": f"ticket#{year}"}})
        handed_out = int(plain(counter)["value"]) if counter else 0
        verdict.numbers_handed_out += handed_out
        for sequence in range(1, handed_out + 1):
            number = ticket_number(year, sequence)
            if whole(number, collection(number)) is not None:
                verdict.requests_stored += 1
    stored_subjects = sum(subjects.values())
    if stored_subjects != verdict.requests_stored:
        verdict.problems.append(f"the by-company index lists {stored_subjects} requests, the numbers hold "
                                f"{verdict.requests_stored}")
    return verdict


def run_fixed(figures: Figures, count: int, clients: list, call, deadline_seconds: float) -> float:
    """`count` calls shared by one thread per client (so the concurrency is the number of clients), stopped at
    the deadline; `call(client, index)` returns None when the answer is right, else what was wrong. Returns the
    wall time."""
    taken = iter(range(count))
    lock = threading.Lock()
    stop_at = time.monotonic() + deadline_seconds

    def worker(client):
        while time.monotonic() < stop_at:
            with lock:
                index = next(taken, None)
            if index is None:
                return
            started = time.perf_counter()
            try:
                problem = call(client, index)
            except requests.RequestException as error:
                problem = type(error).__name__
            figures.record(time.perf_counter() - started, problem)

    threads = [threading.Thread(target=worker, args=(client,)) for client in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def status_problem(answer, expected: int) -> str | None:
    return None if answer.status_code == expected else str(answer.status_code)
