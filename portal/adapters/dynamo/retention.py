"""The requests the retention purge may delete, and their deletion.

| who                                   | table / index        | key                                                |
|---------------------------------------|----------------------|----------------------------------------------------|
| closed requests received before a date| tickets / received   | item_type="ticket", created_at < cutoff; filtered   |
|                                       |                      | on status closed or awaiting_files (S13) and        |
|                                       |                      | status_since < cutoff                               |
| one request's items                   | tickets              | pk=TICKET#number                                   |

A request closed before the cutoff was received before it, so the `received` index finds every candidate
without a scan; what it reads beyond them are the old requests still open or closed since (few), and every
purged request leaves it.
"""

from __future__ import annotations

from collections.abc import Iterator

from portal.adapters.dynamo.raw_tables import RawTables, plain
from portal.domain.tickets import RETENTION_ENDED_STATES


class RetentionRepository:
    def __init__(self, raw: RawTables):
        self.raw = raw
        self._table = next(shape.name for shape in raw.shapes() if shape.base_name == "tickets")

    def closed_before(self, cutoff: str) -> Iterator[dict]:
        """The request items (plain values) closed before `cutoff` (ISO 8601 UTC), oldest received first."""
        states = {f":s{index}": {"S": state} for index, state in enumerate(RETENTION_ENDED_STATES)}
        values = {":ticket": {"S": "ticket"}, ":cutoff": {"S": cutoff}, **states}
        for item in self.raw.query(self._table, "item_type = :ticket AND created_at < :cutoff", values,
                                   index="received", filter_expression=(
                                       f"#status IN ({', '.join(states)}) AND status_since < :cutoff"),
                                   names={"#status": "status"}):
            yield plain(item)

    def request_items(self, number: str) -> list[dict]:
        """Every item of one request's collection (plain values)."""
        return [plain(item) for item in self.raw.query(self._table, "pk = :pk", {":pk": {"S": f"TICKET#{number}"}})]

    def claim(self, number: str, cutoff: str) -> bool:
        """Move the request's revision on if it is still closed since before `cutoff` (a technician reopening it
        at that moment is told it changed); False when it was reopened meanwhile or is gone."""
        key = {"pk": {"S": f"TICKET#{number}"}, "sk": {"S": "TICKET"}}
        states = {f":s{index}": {"S": state} for index, state in enumerate(RETENTION_ENDED_STATES)}
        return self.raw.update_if(self._table, key, "ADD revision :one",
                                  f"#status IN ({', '.join(states)}) AND status_since < :cutoff",
                                  {":cutoff": {"S": cutoff}, ":one": {"N": "1"}, **states},
                                  names={"#status": "status"})

    def delete_request(self, number: str) -> None:
        """Delete a request's history, tasks and links, then the request item last: a purge cut short is found
        by the next one and finished."""
        key = {"pk": {"S": f"TICKET#{number}"}, "sk": {"S": "TICKET"}}
        for item in self.raw.query(self._table, "pk = :pk", {":pk": key["pk"]}):
            if item["sk"]["S"] != "TICKET":
                self.raw.delete(self._table, {"pk": item["pk"], "sk": item["sk"]})
        self.raw.delete(self._table, key)
