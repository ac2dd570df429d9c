"""Download counts per tool (rule G10): an atomic update per download, all counts in one BatchGet."""

from tests.call_counter import count_dynamodb_calls


def test_each_download_adds_one_and_a_tool_never_downloaded_counts_zero(moto_storage):
    counter = moto_storage.downloads
    assert [counter.count("teamviewer"), counter.count("teamviewer"), counter.count("anydesk")] == [1, 2, 1]
    assert counter.counts(["teamviewer", "anydesk", "never"]) == {"teamviewer": 2, "anydesk": 1, "never": 0}


def test_a_download_is_one_update_and_the_counts_are_one_batch_get(moto_storage):
    counter = moto_storage.downloads
    with count_dynamodb_calls() as calls:
        counter.count("teamviewer")
    assert calls == {"UpdateItem": 1}
    with count_dynamodb_calls() as calls:
        counter.counts([f"tool-{n}" for n in range(20)])
    assert calls == {"BatchGetItem": 1}


def test_download_counters_do_not_touch_the_ticket_numbers(moto_storage):
    moto_storage.downloads.count("2026")
    assert moto_storage.tickets.next_number(2026) == "2026-000001"
