"""Point the PynamoDB models at a database, and create the tables that are missing."""

from __future__ import annotations

from pynamodb.exceptions import TableError

from portal.adapters.dynamo.errors import dynamo_errors
from portal.adapters.dynamo.models import ALL_MODELS, TABLES, CounterModel, TicketItem
from portal.adapters.dynamo.sessions import share_botocore_data
from portal.settings import Settings

LOCAL_CREDENTIALS = ("local", "local")  # DynamoDB Local accepts any credentials
# Indexes the portal made once and no longer reads: a laptop's tables kept between runs lose them (each one is
# written on every write of its table). In AWS the template removes them, never the portal.
RETIRED_INDEXES = {TicketItem: ("queue",)}


def table_name(settings: Settings, model) -> str:
    return f"{settings.table_prefix}{model.Meta.base_name}"


def configure_tables(settings: Settings) -> None:
    """Set every model's table name, endpoint, region and time-outs, and drop cached connections."""
    share_botocore_data()
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
def create_missing_tables(drop_retired: bool = False) -> list[str]:
    """Create each table that does not exist yet and wait for it, and give existing tables the indexes they lack
    (and, with `drop_retired`, take away the RETIRED_INDEXES); returns the names of the tables created."""
    created = []
    for model in TABLES:
        if not model.exists():
            _create(model)
            created.append(model.Meta.table_name)
    add_missing_indexes()
    if drop_retired:
        drop_retired_indexes()
    return created


def drop_retired_indexes() -> list[str]:
    """Delete the RETIRED_INDEXES an existing table still has (named ones only, never an index the portal does not
    know); returns "table/index" for each deleted."""
    dropped = []
    for model, names in RETIRED_INDEXES.items():
        if not model.exists():
            continue
        client = model._get_connection().connection.client
        table = model.Meta.table_name
        present = {index["IndexName"]
                   for index in client.describe_table(TableName=table)["Table"].get("GlobalSecondaryIndexes", [])}
        for name in names:
            if name in present:
                client.update_table(TableName=table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": name}}])
                dropped.append(f"{table}/{name}")
    return dropped


def _create(model) -> None:
    """Create the table and wait until it is active. A CreateTable whose first answer came too late is retried
    and finds the table its first try made (DynamoDB Local warming up on a busy machine): that is success."""
    try:
        model.create_table(wait=True, billing_mode="PAY_PER_REQUEST")
    except TableError as error:
        if error.cause_response_code != "ResourceInUseException":
            raise
        model.create_table(wait=True, billing_mode="PAY_PER_REQUEST")  # it exists now: only waits until active


def add_missing_indexes(wait_seconds: float = 120.0) -> list[str]:
    """Give each existing table the global secondary indexes its model gained since the table was created (a laptop's
    tables kept between runs); one UpdateTable per index, as DynamoDB asks. Returns "table/index" for each added."""
    added = []
    for model in TABLES:
        if not model.exists():
            continue
        connection = model._get_connection().connection
        table = model.Meta.table_name
        present = {index["IndexName"]
                   for index in connection.client.describe_table(TableName=table)["Table"].get(
                       "GlobalSecondaryIndexes", [])}
        schema = model._get_schema()
        for index in schema.get("global_secondary_indexes", []):
            if index["index_name"] in present:
                continue
            keys = {key["AttributeName"] for key in index["key_schema"]}
            connection.client.update_table(
                TableName=table,
                AttributeDefinitions=[d for d in schema["attribute_definitions"] if d["AttributeName"] in keys],
                GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": index["index_name"],
                                                         "KeySchema": sorted(index["key_schema"],
                                                                             key=lambda k: k["KeyType"] != "HASH"),
                                                         "Projection": index["projection"]}}])
            _wait_for_index(connection.client, table, index["index_name"], wait_seconds)
            added.append(f"{table}/{index['index_name']}")
    return added


def _wait_for_index(client, table: str, name: str, wait_seconds: float) -> None:
    import time

    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        indexes = client.describe_table(TableName=table)["Table"].get("GlobalSecondaryIndexes", [])
        if any(index["IndexName"] == name and index.get("IndexStatus", "ACTIVE") == "ACTIVE" for index in indexes):
            return
        time.sleep(0.2)


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
