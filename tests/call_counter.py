"""Count DynamoDB round trips (deterministic, unlike timings): every botocore API call is one."""

from __future__ import annotations

import contextlib
from collections import Counter

import botocore.client


@contextlib.contextmanager
def count_dynamodb_calls():
    """Yield a Counter of operation names for the DynamoDB calls made inside the block."""
    calls: Counter[str] = Counter()
    original = botocore.client.BaseClient._make_api_call

    def counting(client, operation_name, api_params):
        if client.meta.service_model.service_name == "dynamodb":
            calls[operation_name] += 1
        return original(client, operation_name, api_params)

    botocore.client.BaseClient._make_api_call = counting
    try:
        yield calls
    finally:
        botocore.client.BaseClient._make_api_call = original


@contextlib.contextmanager
def watching_dynamodb_calls(on_call):
    """Call `on_call(operation_name, params)` before each DynamoDB call made inside the block (on any thread)."""
    original = botocore.client.BaseClient._make_api_call

    def watching(client, operation_name, api_params):
        if client.meta.service_model.service_name == "dynamodb":
            on_call(operation_name, api_params)
        return original(client, operation_name, api_params)

    botocore.client.BaseClient._make_api_call = watching
    try:
        yield
    finally:
        botocore.client.BaseClient._make_api_call = original
