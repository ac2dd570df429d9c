"""DynamoDB Local killed in the middle of the load, then started again on the same data folder.

The load of bench/load.py runs (8 clients, 60 s); at --kill-at seconds the java process is killed (SIGKILL, as a
crash: no clean shutdown), and --down seconds later it is started again on the same port and data folder.
Checked:
- while the database is gone, every request gets a 503 (a page saying to retry, or the API's JSON error), and
  no answer takes 5 s or more (nothing hangs);
- once it is back, the portal answers again without being restarted;
- every submission that was not acknowledged is sent again by its client with the same idempotency key (form
  field or Idempotency-Key header) and is then acknowledged, under the number it got if it had been filed;
- through the tables: every acknowledged request exists exactly once and whole, numbers are unique, and no number
  handed out holds half a request.

    .venv/bin/python bench/faults.py [--duration 60] [--clients 8] [--kill-at 15] [--down 5]

The figures go to bench/results/faults.txt.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import requests  # noqa: E402
from load import LoadRun, arguments  # noqa: E402
from loadkit import SLOW_SECONDS, PortalStack, demo_clients, header, machine_note, verify_submissions, write_results  # noqa: E402


def timeline(run: LoadRun, step: float = 5.0) -> list[str]:
    """Per slice of the run: requests started, their answers, and the slowest."""
    lines = [f"  {'from s':>6} {'requests':>8} {'2xx/3xx':>8} {'503':>5} {'other':>6} {'slowest ms':>10}"]
    slices = int(run.wall // step) + 1
    for index in range(slices):
        inside = [o for o in run.outcomes if index * step <= o.started < (index + 1) * step]
        if not inside:
            continue
        good = sum(o.status[:1] in "23" for o in inside)
        unavailable = sum(o.status == "503" for o in inside)
        lines.append(f"  {index * step:>6.0f} {len(inside):>8} {good:>8} {unavailable:>5} "
                     f"{len(inside) - good - unavailable:>6} {max(o.seconds for o in inside) * 1000:>10.0f}")
    return lines


def main() -> None:
    args = arguments(__doc__.split("\n\n")[0], "faults.txt", faults=True)
    kill_at, down = args.kill_at, args.down
    if not 0 < kill_at < args.duration or kill_at + down >= args.duration:
        raise SystemExit("the database must be killed and started again inside the run")
    head = header("faults.py", f"DynamoDB Local on disk, portal under gunicorn ({args.workers} sync workers),"
                               f" {args.clients} clients for {args.duration:.0f} s; java killed at {kill_at:.0f} s,"
                               f" started again {down:.0f} s later")
    print(head, flush=True)
    with PortalStack(workers=args.workers) as stack:
        load = LoadRun(demo_clients(stack, args.clients), args.duration, args.max_requests)
        load.prime()
        runner = threading.Thread(target=load.run)
        runner.start()
        while not load.started_at:
            time.sleep(0.01)
        time.sleep(max(0.0, kill_at - (time.monotonic() - load.started_at)))
        killed = time.monotonic() - load.started_at
        stack.kill_database()
        print(f"killed DynamoDB Local at {killed:.1f} s", flush=True)
        time.sleep(down)
        restarting = time.monotonic() - load.started_at
        stack.start_database()
        back = time.monotonic() - load.started_at
        print(f"DynamoDB Local started again at {restarting:.1f} s, answering at {back:.1f} s", flush=True)
        runner.join()
        retried = resend_unacknowledged(load)
        verdict = verify_submissions(stack, load.acknowledged, load.unacknowledged)

    outage = [o for o in load.outcomes if o.started >= killed and o.started + o.seconds <= back]
    in_flight = [o for o in load.outcomes if o.started < killed < o.started + o.seconds]
    after = [o for o in load.outcomes if o.started >= back]
    first_good = min((o.started + o.seconds for o in after if o.status[:1] in "23"), default=None)
    settled = [o for o in after if first_good is not None and o.started >= first_good]
    outage_statuses = Counter(o.status for o in outage)
    slowest = max((o.seconds for o in (*outage, *in_flight)), default=0.0)
    checks = {
        "every request while the database was gone got a 503": set(outage_statuses) <= {"503"} and bool(outage),
        f"no answer during the outage took {SLOW_SECONDS:.0f} s or more": slowest < SLOW_SECONDS,
        "service resumed once the database was back": first_good is not None,
        "every unacknowledged submission was acknowledged when sent again": retried["still unacknowledged"] == 0,
        "every acknowledged request exists once and whole, numbers unique": verdict.ok,
    }
    lines = [head, f"# at end: {machine_note()}", "",
             f"DynamoDB Local killed at {killed:.1f} s; started again at {restarting:.1f} s, answering at {back:.1f} s"
             f" ({back - restarting:.1f} s to start)", "", *load.lines(), "",
             "Timeline (requests by the second they started):", *timeline(load), "",
             f"While the database was gone: {len(outage)} requests, answers "
             f"{', '.join(f'{status} x{count}' for status, count in outage_statuses.most_common())};"
             f" slowest {max((o.seconds for o in outage), default=0) * 1000:.0f} ms",
             f"In flight at the kill: {len(in_flight)} requests, answers "
             f"{', '.join(f'{s} x{c}' for s, c in Counter(o.status for o in in_flight).most_common()) or '-'};"
             f" slowest {max((o.seconds for o in in_flight), default=0) * 1000:.0f} ms",
             f"After it was back: first good answer {first_good - back:.1f} s after; then {len(settled)} requests, "
             f"{sum(o.status[:1] not in '23' for o in settled)} not answered normally" if first_good is not None
             else "After it was back: no good answer",
             f"In the 10 s after it was back (its JIT cold, the clients' backlog): slowest answer "
             f"{max((o.seconds for o in after if o.started < back + 10), default=0) * 1000:.0f} ms", "",
             "Unacknowledged submissions sent again (same idempotency key): " + ", ".join(
                 f"{name} {count}" for name, count in retried.items()), "",
             "Through the tables (reads by key and by index):", *verdict.lines(), "",
             *(f"  [{'ok' if passed else 'FAILED'}] {name}" for name, passed in checks.items())]
    print("\n".join(lines[2:]))
    print("written to", write_results(args.output, "\n".join(lines)))
    if not all(checks.values()):
        raise SystemExit(1)


def resend_unacknowledged(load: LoadRun) -> dict[str, int]:
    """Each submission the portal did not acknowledge, sent again by its client with the same idempotency key:
    acknowledged under the number it was given if it had been filed, else filed now."""
    counts = Counter({"sent again": 0, "found already filed": 0, "filed now": 0, "still unacknowledged": 0})
    pending, load.unacknowledged = load.unacknowledged, []
    numbers_before = {s.number for s in load.acknowledged}
    for submission in pending:
        client = load.client_of[submission.key]
        counts["sent again"] += 1
        try:
            answer = client.submit_form(submission) if submission.channel == "form" else client.submit_api(submission)
            number = client.filed_number(submission, answer)
        except requests.RequestException:
            number = None
        if number is None:
            counts["still unacknowledged"] += 1
            load.unacknowledged.append(submission)
            continue
        duplicate = answer.status_code == 200 if submission.channel == "api" else "position=0" in answer.headers.get(
            "Location", "")  # the form's acknowledgement of a resent request shows no queue position
        counts["found already filed" if duplicate else "filed now"] += 1
        if number in numbers_before:
            counts["given a number acknowledged to another submission"] += 1
        load.acknowledged.append(replace(submission, number=number))
    return dict(counts)


if __name__ == "__main__":
    main()
