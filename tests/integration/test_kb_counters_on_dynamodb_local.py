"""Deflection counts (rule T7) on DynamoDB Local: counts made at the same time by several workers are all kept,
because each is an atomic ADD (moto's in-process tables do not promise this, so the check runs here)."""

import threading

import pytest

from portal.services import deflection

pytestmark = pytest.mark.integration


def test_counts_made_at_the_same_time_are_all_kept(local_storage):
    counters = local_storage.kb_counters

    def view():
        for _ in range(10):
            assert deflection.count_view(counters, "severity-levels")

    threads = [threading.Thread(target=view) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert deflection.deflection_summary(counters, ["severity-levels"]).views == 40
