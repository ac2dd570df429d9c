"""Creating the tables survives a CreateTable answered too late and retried: the retry finds the table the first
try made, which counts as created (DynamoDB Local warming up on a busy machine)."""

import pytest
from botocore.exceptions import ClientError
from pynamodb.exceptions import TableError

from portal.adapters.dynamo.tables import _create


class SlowFirstAnswer:
    """A model whose first CreateTable made the table but whose retry was told it already exists."""

    def __init__(self, code: str):
        self.code, self.calls = code, 0

    def create_table(self, wait, billing_mode):
        self.calls += 1
        if self.calls == 1:
            cause = ClientError({"Error": {"Code": self.code, "Message": "Cannot create preexisting table"}},
                                "CreateTable")
            raise TableError("Failed to create table", cause)


def test_a_table_found_existing_by_the_retry_is_waited_for_and_counts_as_created():
    model = SlowFirstAnswer("ResourceInUseException")
    _create(model)
    assert model.calls == 2  # the second call only waits until the table is active


def test_any_other_refusal_still_fails():
    with pytest.raises(TableError):
        _create(SlowFirstAnswer("LimitExceededException"))
