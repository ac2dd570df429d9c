"""Every table's items in DynamoDB's own low-level format, for moving data (export, import, verification).

The table list comes from `models.TABLES`: a table another part of the portal adds is exported and imported
without a change here. Items are read and written through the botocore client, never through the models, so
that every attribute (sets, numbers, nested maps, attributes no model declares) round-trips exactly.

| who                               | table      | how                                              |
|-----------------------------------|------------|--------------------------------------------------|
| `portal data export` (offline)    | every one  | paginated Scan — the one legitimate full read     |
| `portal data import` (offline)    | every one  | GetItem per item (is it there?), PutItem         |
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import botocore.exceptions

from portal.adapters.dynamo.models import TABLES
from portal.adapters.dynamo.tables import LOCAL_CREDENTIALS, table_name
from portal.domain.errors import BackendUnavailable
from portal.settings import Settings


@dataclass(frozen=True)
class TableShape:
    """A table as the export names it (its base name, independent of any prefix) and its key attributes."""

    base_name: str
    name: str
    keys: tuple[str, ...]


def _keys_of(model) -> tuple[str, ...]:
    hash_key = model._hash_key_attribute().attr_name
    range_key = model._range_key_attribute()
    return (hash_key, range_key.attr_name) if range_key is not None else (hash_key,)


def table_shapes(settings: Settings) -> list[TableShape]:
    """The portal's tables, in creation order, with their names under the settings' prefix."""
    return [TableShape(model.Meta.base_name, table_name(settings, model), _keys_of(model)) for model in TABLES]


def _backend_errors(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectionError,
                botocore.exceptions.ReadTimeoutError, botocore.exceptions.ConnectTimeoutError) as error:
            raise BackendUnavailable("dynamodb", type(error).__name__) from error

    return wrapper


def _to_json(value):
    """A low-level attribute value made JSON-safe: binary values become base64 text under the same type."""
    (kind, inner), = value.items()
    if kind == "B":
        return {"B": base64.b64encode(bytes(inner)).decode("ascii")}
    if kind == "BS":
        return {"BS": sorted(base64.b64encode(bytes(item)).decode("ascii") for item in inner)}
    if kind == "M":
        return {"M": {name: _to_json(item) for name, item in inner.items()}}
    if kind == "L":
        return {"L": [_to_json(item) for item in inner]}
    if kind in ("SS", "NS"):  # sets have no order: a fixed one makes equal items equal text
        return {kind: sorted(inner)}
    return {kind: inner}


def _from_json(value):
    """The inverse of `_to_json`."""
    (kind, inner), = value.items()
    if kind == "B":
        return {"B": base64.b64decode(inner)}
    if kind == "BS":
        return {"BS": [base64.b64decode(item) for item in inner]}
    if kind == "M":
        return {"M": {name: _from_json(item) for name, item in inner.items()}}
    if kind == "L":
        return {"L": [_from_json(item) for item in inner]}
    return {kind: inner}


def item_to_json(item: dict) -> dict:
    return {name: _to_json(value) for name, value in item.items()}


def item_from_json(item: dict) -> dict:
    return {name: _from_json(value) for name, value in item.items()}


class RawTables:
    """The low-level client on the settings' database (DynamoDB Local on a laptop, DynamoDB on AWS)."""

    def __init__(self, settings: Settings, client=None):
        self.settings = settings
        self._client = client

    @property
    def client(self):
        if self._client is None:
            import boto3

            credentials = {}
            if self.settings.uses_local_dynamodb:
                credentials = dict(zip(("aws_access_key_id", "aws_secret_access_key"), LOCAL_CREDENTIALS,
                                       strict=True))
            self._client = boto3.client("dynamodb", region_name=self.settings.aws_region,
                                        endpoint_url=self.settings.dynamodb_endpoint, **credentials)
        return self._client

    def shapes(self) -> list[TableShape]:
        return table_shapes(self.settings)

    @_backend_errors
    def items(self, table: str) -> Iterator[dict]:
        """Every item of a table, JSON-safe.

        A full-table Scan, paginated: legitimate only here, in offline admin commands (export, import checks).
        Never call it from a request path or a scheduled function.
        """
        paginator = self.client.get_paginator("scan")
        for page in paginator.paginate(TableName=table, ConsistentRead=True):
            for item in page.get("Items", ()):
                yield item_to_json(item)

    @_backend_errors
    def holds_any(self, table: str) -> bool:
        """Whether a table holds at least one item (a Scan of one item: offline admin commands only)."""
        return bool(self.client.scan(TableName=table, Limit=1).get("Items"))

    @_backend_errors
    def get(self, table: str, key: dict) -> dict | None:
        """One item by its key (JSON-safe), or None."""
        found = self.client.get_item(TableName=table, Key=item_from_json(key), ConsistentRead=True).get("Item")
        return item_to_json(found) if found else None

    @_backend_errors
    def put(self, table: str, item: dict) -> None:
        """Write one item exactly as given (a second write of the same item changes nothing)."""
        self.client.put_item(TableName=table, Item=item_from_json(item))

    @_backend_errors
    def exists(self, table: str) -> bool:
        try:
            self.client.describe_table(TableName=table)
        except self.client.exceptions.ResourceNotFoundException:
            return False
        return True

    @_backend_errors
    def query(self, table: str, key_condition: str, values: dict, index: str | None = None,
              filter_expression: str | None = None, names: dict | None = None) -> Iterator[dict]:
        """The items of one partition of a table or index (every page), JSON-safe."""
        params = {"TableName": table, "KeyConditionExpression": key_condition,
                  "ExpressionAttributeValues": item_from_json(values)}
        if index:
            params["IndexName"] = index
        if filter_expression:
            params["FilterExpression"] = filter_expression
        if names:
            params["ExpressionAttributeNames"] = names
        for page in self.client.get_paginator("query").paginate(**params):
            for item in page.get("Items", ()):
                yield item_to_json(item)

    @_backend_errors
    def delete(self, table: str, key: dict) -> None:
        """Delete one item by its key (deleting an item that is gone changes nothing)."""
        self.client.delete_item(TableName=table, Key=item_from_json(key))

    @_backend_errors
    def update_if(self, table: str, key: dict, update: str, condition: str, values: dict,
                  names: dict | None = None) -> bool:
        """Update one existing item only if the condition holds; False when it did not."""
        params = {"TableName": table, "Key": item_from_json(key), "UpdateExpression": update,
                  "ConditionExpression": f"attribute_exists({next(iter(key))}) AND ({condition})",
                  "ExpressionAttributeValues": item_from_json(values)}
        if names:
            params["ExpressionAttributeNames"] = names
        try:
            self.client.update_item(**params)
        except self.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    @_backend_errors
    def delete_if(self, table: str, key: dict, condition: str, values: dict, names: dict | None = None) -> bool:
        """Delete one item only if the condition holds; False when it did not (or the item is gone)."""
        params = {"TableName": table, "Key": item_from_json(key), "ConditionExpression": condition,
                  "ExpressionAttributeValues": item_from_json(values)}
        if names:
            params["ExpressionAttributeNames"] = names
        try:
            self.client.delete_item(**params)
        except self.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    @_backend_errors
    def replace(self, table: str, before: dict, after: dict) -> bool:
        """Write `after` in place of `before` only if the item is still `before` (by its `revision` when it has
        one, else by every attribute); False when someone changed it meanwhile."""
        if "revision" in before:
            condition, values = "revision = :revision", {":revision": _from_json(before["revision"])}
            names = None
        else:
            names = {f"#a{index}": name for index, name in enumerate(before)}
            values = {f":v{index}": _from_json(value) for index, value in enumerate(before.values())}
            condition = " AND ".join(f"#a{index} = :v{index}" for index in range(len(before)))
        params = {"TableName": table, "Item": item_from_json(after), "ConditionExpression": condition,
                  "ExpressionAttributeValues": values}
        if names:
            params["ExpressionAttributeNames"] = names
        try:
            self.client.put_item(**params)
        except self.client.exceptions.ConditionalCheckFailedException:
            return False
        return True


def plain(item: dict) -> dict:
    """A JSON-safe low-level item as plain values (text, numbers as text or int, lists, maps), for people."""
    return {name: _plain(value) for name, value in item.items()}


def _plain(value):
    (kind, inner), = value.items()
    if kind == "M":
        return {name: _plain(item) for name, item in inner.items()}
    if kind == "L":
        return [_plain(item) for item in inner]
    if kind == "N":
        return int(inner) if re.fullmatch(r"-?[0-9]+", inner) else inner
    if kind == "NULL":
        return None
    return inner
