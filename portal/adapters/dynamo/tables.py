"""Point the PynamoDB models at a database, and create the tables that are missing."""

from __future__ import annotations

from portal.adapters.dynamo.errors import dynamo_errors
from portal.adapters.dynamo.models import ALL_MODELS, TABLES, CounterModel
from portal.settings import Settings

LOCAL_CREDENTIALS = ("local", "local")  # DynamoDB Local accepts any credentials


def table_name(settings: Settings, model) -> str:
    return f"{settings.table_prefix}{model.Meta.base_name}"


def configure_tables(settings: Settings) -> None:
    """Set every model's table name, endpoint, region and time-outs, and drop cached connections."""
    for model in TABLES:
        meta = model.Meta
        meta.table_name = table_name(settings, model)
        meta.host = settings.dynamodb_endpoint
        meta.region = settings.aws_region
        meta.connect_timeout_seconds = min(1.0, settings.dynamodb_timeout_seconds)
        meta.read_timeout_seconds = settings.dynamodb_timeout_seconds
        meta.max_retry_attempts = 1
        if settings.uses_local_dynamodb:
            meta.aws_access_key_id, meta.aws_secret_access_key = LOCAL_CREDENTIALS
        else:
            meta.aws_access_key_id = meta.aws_secret_access_key = None
        meta.aws_session_token = None
    for model in ALL_MODELS:
        model._connection = None


@dynamo_errors
def create_missing_tables() -> list[str]:
    """Create each table that does not exist yet and wait for it; returns the names created."""
    created = []
    for model in TABLES:
        if not model.exists():
            model.create_table(wait=True, billing_mode="PAY_PER_REQUEST")
            created.append(model.Meta.table_name)
    return created


@dynamo_errors
def delete_tables() -> None:
    """Delete every table (tests and `portal db reset` only)."""
    for model in TABLES:
        if model.exists():
            model.delete_table()


@dynamo_errors
def ping() -> None:
    """One data-plane read, to tell whether the database answers (health check)."""
    CounterModel.count("health", limit=1)
