"""How often each remote-support tool was downloaded (rules G10, E7): one counter item per tool.

| who                          | table    | key                                            |
|------------------------------|----------|------------------------------------------------|
| a download (count it)        | counters | counter_id=`download#<tool id>` (atomic ADD)   |
| the counts of several tools  | counters | the same keys, in one BatchGet                 |
"""

from __future__ import annotations

from collections.abc import Iterable

from portal.adapters.dynamo.errors import dynamo_errors
from portal.adapters.dynamo.models import CounterModel

MAX_BATCH = 100  # DynamoDB's BatchGetItem limit


def download_key(tool_id: str) -> str:
    return f"download#{tool_id}"


class DownloadCounter:
    @dynamo_errors
    def count(self, tool_id: str) -> int:
        """Count one download (one atomic update: two downloads at once both count); the new total."""
        counter = CounterModel(download_key(tool_id))
        counter.update(actions=[CounterModel.value.add(1)])
        return int(counter.value)

    @dynamo_errors
    def counts(self, tool_ids: Iterable[str]) -> dict[str, int]:
        """The download count of each tool, 0 for a tool never downloaded (one BatchGet for up to 100 tools)."""
        wanted = list(dict.fromkeys(tool_ids))
        found = {tool_id: 0 for tool_id in wanted}
        for start in range(0, len(wanted), MAX_BATCH):
            keys = [download_key(tool_id) for tool_id in wanted[start:start + MAX_BATCH]]
            for item in CounterModel.batch_get(keys):
                found[item.counter_id.removeprefix("download#")] = int(item.value)
        return found
