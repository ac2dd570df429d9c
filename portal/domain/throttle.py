"""Login throttling: repeated failures slow down, then lock for a while, per account and per address."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottlePolicy:
    free_failures: int = 3  # failures allowed before any wait
    delays_seconds: tuple[int, ...] = (5, 15, 30, 60, 120, 300)  # wait after each further failure
    lock_after: int = 10  # failures within the window that lock the key
    lock_duration: timedelta = timedelta(minutes=15)
    window: timedelta = timedelta(minutes=30)  # failures older than this are forgotten


@dataclass(frozen=True)
class FailureRecord:
    """What is remembered about one key (an account's e-mail or a client address)."""

    key: str
    failures: int = 0
    first_failure_at: datetime | None = None
    last_failure_at: datetime | None = None
    locked_until: datetime | None = None

    def expires(self, policy: ThrottlePolicy) -> datetime | None:
        """When the record can be forgotten (the store deletes it then)."""
        ends = [t for t in (self.locked_until, self.first_failure_at and self.first_failure_at + policy.window) if t]
        return max(ends) if ends else None


def _current(policy: ThrottlePolicy, record: FailureRecord, now: datetime) -> FailureRecord:
    """The record with an elapsed window or lock forgotten."""
    locked = record.locked_until is not None and now < record.locked_until
    in_window = record.first_failure_at is not None and now < record.first_failure_at + policy.window
    if locked or in_window:
        return record
    return FailureRecord(record.key)


def login_wait(policy: ThrottlePolicy, record: FailureRecord, now: datetime) -> timedelta:
    """How long this key must wait before the next login attempt is even checked (zero: go ahead)."""
    record = _current(policy, record, now)
    if record.locked_until is not None and now < record.locked_until:
        return record.locked_until - now
    extra = record.failures - policy.free_failures
    if extra <= 0 or record.last_failure_at is None:
        return timedelta(0)
    delay = timedelta(seconds=policy.delays_seconds[min(extra, len(policy.delays_seconds)) - 1])
    return max(timedelta(0), record.last_failure_at + delay - now)


def record_failure(policy: ThrottlePolicy, record: FailureRecord, now: datetime) -> FailureRecord:
    """Count one more failure; the key locks once `lock_after` failures fall within the window."""
    record = _current(policy, record, now)
    failures = record.failures + 1
    updated = replace(record, failures=failures, first_failure_at=record.first_failure_at or now,
                      last_failure_at=now)
    if failures >= policy.lock_after:
        updated = replace(updated, locked_until=now + policy.lock_duration)
    return updated
