"""Repeated failed logins slow down, then lock for a while, per account and per address."""

from datetime import UTC, datetime, timedelta

from portal.domain.throttle import FailureRecord, ThrottlePolicy, login_wait, record_failure

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
POLICY = ThrottlePolicy(free_failures=3, delays_seconds=(5, 15), lock_after=6,
                        lock_duration=timedelta(minutes=15), window=timedelta(minutes=30))


def fail_times(count: int, start=NOW, step=timedelta(seconds=1)) -> FailureRecord:
    record = FailureRecord("login#email#a@b.example")
    for n in range(count):
        record = record_failure(POLICY, record, start + n * step)
    return record


def test_the_first_failures_cost_no_wait():
    record = fail_times(3)
    assert login_wait(POLICY, record, record.last_failure_at) == timedelta(0)


def test_each_further_failure_imposes_a_growing_wait():
    fourth = fail_times(4)
    assert login_wait(POLICY, fourth, fourth.last_failure_at) == timedelta(seconds=5)
    assert login_wait(POLICY, fourth, fourth.last_failure_at + timedelta(seconds=5)) == timedelta(0)
    fifth = fail_times(5, step=timedelta(seconds=20))
    assert login_wait(POLICY, fifth, fifth.last_failure_at) == timedelta(seconds=15)


def test_enough_failures_lock_the_key_for_the_lock_duration():
    record = fail_times(6)
    assert record.locked_until == record.last_failure_at + timedelta(minutes=15)
    assert login_wait(POLICY, record, record.last_failure_at + timedelta(minutes=14)) == timedelta(minutes=1)


def test_failures_older_than_the_window_are_forgotten():
    record = fail_times(5)
    later = NOW + timedelta(minutes=31)
    assert login_wait(POLICY, record, later) == timedelta(0)
    assert record_failure(POLICY, record, later).failures == 1


def test_a_record_expires_when_its_window_or_lock_is_over():
    assert fail_times(2).expires(POLICY) == NOW + timedelta(minutes=30)
    locked = fail_times(6)
    assert locked.expires(POLICY) == max(locked.locked_until, NOW + timedelta(minutes=30))
