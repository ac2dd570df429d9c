"""Login failure records in DynamoDB; the TTL attribute lets DynamoDB delete forgotten ones."""

from __future__ import annotations

from datetime import datetime

from portal.adapters.dynamo.errors import dynamo_errors
from portal.adapters.dynamo.models import ThrottleModel
from portal.domain.throttle import FailureRecord, ThrottlePolicy


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _text(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class ThrottleRepository:
    @dynamo_errors
    def get_many(self, keys) -> dict[str, FailureRecord]:
        """The records of these keys that exist (one BatchGetItem)."""
        return {item.throttle_key: FailureRecord(item.throttle_key, int(item.failures),
                                                 _time(item.first_failure_at), _time(item.last_failure_at),
                                                 _time(item.locked_until))
                for item in ThrottleModel.batch_get(list(keys))}

    @dynamo_errors
    def save_many(self, records, policy: ThrottlePolicy) -> None:
        with ThrottleModel.batch_write() as batch:
            for record in records:
                batch.save(ThrottleModel(record.key, failures=record.failures,
                                         first_failure_at=_text(record.first_failure_at),
                                         last_failure_at=_text(record.last_failure_at),
                                         locked_until=_text(record.locked_until), expires=record.expires(policy)))

    @dynamo_errors
    def forget(self, key: str) -> None:
        ThrottleModel(key).delete()
