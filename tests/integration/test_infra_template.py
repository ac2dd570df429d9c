"""infra/template.yaml is valid CloudFormation and creates exactly the tables the PynamoDB models use."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cfnlint.decode import decode
from pynamodb.attributes import TTLAttribute

from portal.adapters.dynamo.models import TABLES

TEMPLATE = Path(__file__).resolve().parents[2] / "infra" / "template.yaml"
PREFIX_VARIABLE = "${TablePrefix}"


def load_template() -> dict:
    """The template as plain data (`!Ref`/`!Sub` become `Ref`/`Fn::Sub`, as CloudFormation reads them)."""
    template, problems = decode(str(TEMPLATE))
    assert not problems, [str(problem) for problem in problems]
    return json.loads(json.dumps(template))


def _key(key_schema, types) -> dict:
    return {part["AttributeName"]: (part["KeyType"], types.get(part["AttributeName"])) for part in key_schema}


def _projection(projection) -> dict:
    shape = {"ProjectionType": projection.get("ProjectionType")}
    if projection.get("NonKeyAttributes"):
        shape["NonKeyAttributes"] = sorted(projection["NonKeyAttributes"])
    return shape


def _indexes(indexes, types, fields=("IndexName", "KeySchema", "Projection")) -> dict:
    name, keys, projection = fields
    return {index[name]: {"key": _key(index[keys], types), "projection": _projection(index[projection])}
            for index in indexes}


PYNAMODB_INDEX_FIELDS = ("index_name", "key_schema", "projection")


def shape_of_model(model) -> dict:
    """What the table of a PynamoDB base model looks like, read from the model and its index classes."""
    schema = model._get_schema()
    types = {d["AttributeName"]: d["AttributeType"] for d in schema["attribute_definitions"]}
    ttl = [attribute.attr_name for attribute in model.get_attributes().values() if isinstance(attribute, TTLAttribute)]
    return {
        "attributes": types,
        "key": _key(schema["key_schema"], types),
        "global indexes": _indexes(schema["global_secondary_indexes"], types, PYNAMODB_INDEX_FIELDS),
        "local indexes": _indexes(schema["local_secondary_indexes"], types, PYNAMODB_INDEX_FIELDS),
        "time to live": ttl[0] if ttl else None,
    }


def shape_of_resource(properties: dict) -> dict:
    types = {d["AttributeName"]: d["AttributeType"] for d in properties.get("AttributeDefinitions", [])}
    ttl = properties.get("TimeToLiveSpecification") or {}
    return {
        "attributes": types,
        "key": _key(properties["KeySchema"], types),
        "global indexes": _indexes(properties.get("GlobalSecondaryIndexes", []), types),
        "local indexes": _indexes(properties.get("LocalSecondaryIndexes", []), types),
        "time to live": ttl.get("AttributeName") if ttl.get("Enabled") else None,
    }


def template_tables(template: dict) -> dict[str, dict]:
    """The table resources by base name (their TableName must be `${TablePrefix}<base name>`)."""
    tables = {}
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::DynamoDB::Table":
            continue
        name = resource["Properties"].get("TableName")
        sub = name.get("Fn::Sub") if isinstance(name, dict) else None
        assert isinstance(sub, str) and sub.startswith(PREFIX_VARIABLE), \
            f"{logical_id}: TableName must be !Sub \"{PREFIX_VARIABLE}<base name>\", not {name!r}"
        tables[sub.removeprefix(PREFIX_VARIABLE)] = resource["Properties"]
    return tables


def differences(template: dict, models=TABLES) -> list[str]:
    """Every way the template's tables differ from the models' tables, one sentence each."""
    found = []
    resources = template_tables(template)
    expected = {model.Meta.base_name: shape_of_model(model) for model in models}
    for name in sorted(expected.keys() - resources.keys()):
        found.append(f"table {name}: in the models, missing from the template")
    for name in sorted(resources.keys() - expected.keys()):
        found.append(f"table {name}: in the template, no model uses it")
    for name in sorted(expected.keys() & resources.keys()):
        actual = shape_of_resource(resources[name])
        for aspect, wanted in expected[name].items():
            if actual[aspect] != wanted:
                found.append(f"table {name}, {aspect}: models say {wanted!r}, template says {actual[aspect]!r}")
    return found


def test_cfn_lint_finds_no_error_and_no_warning_in_the_template():
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run([str(cfn_lint), str(TEMPLATE)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_template_creates_the_tables_of_the_models_with_the_same_keys_and_indexes():
    assert differences(load_template()) == []


def test_every_table_is_on_demand_encrypted_and_recoverable_to_a_point_in_time():
    for name, properties in template_tables(load_template()).items():
        assert properties.get("BillingMode") == "PAY_PER_REQUEST", name
        assert properties.get("PointInTimeRecoverySpecification") == {"PointInTimeRecoveryEnabled": True}, name
        assert properties.get("SSESpecification", {}).get("SSEEnabled") is True, name


def _tickets(template):
    return template_tables(template)["tickets"]


def _drop_table(template):
    del template["Resources"]["CountersTable"]


def _rename_table(template):
    template["Resources"]["StaffTable"]["Properties"]["TableName"] = {"Fn::Sub": "${TablePrefix}staff_members"}


def _swap_key_roles(template):
    for part in _tickets(template)["KeySchema"]:
        part["KeyType"] = "RANGE" if part["KeyType"] == "HASH" else "HASH"


def _number_key(template):
    for definition in _tickets(template)["AttributeDefinitions"]:
        if definition["AttributeName"] == "sk":
            definition["AttributeType"] = "N"


def _keys_only_projection(template):
    for index in _tickets(template)["GlobalSecondaryIndexes"]:
        if index["IndexName"] == "sweep":
            index["Projection"] = {"ProjectionType": "KEYS_ONLY"}


def _rename_index(template):
    _tickets(template)["GlobalSecondaryIndexes"][0]["IndexName"] = "by-customer"


def _drop_index_range_key(template):
    for index in _tickets(template)["GlobalSecondaryIndexes"]:
        if index["IndexName"] == "queue-cards":
            index["KeySchema"] = [part for part in index["KeySchema"] if part["KeyType"] == "HASH"]


def _drop_time_to_live(template):
    del template["Resources"]["ThrottlesTable"]["Properties"]["TimeToLiveSpecification"]


@pytest.mark.parametrize("mutate", [_drop_table, _rename_table, _swap_key_roles, _number_key, _keys_only_projection,
                                    _rename_index, _drop_index_range_key, _drop_time_to_live])
def test_the_comparison_reports_a_template_that_drifted_from_the_models(mutate):
    template = copy.deepcopy(load_template())
    mutate(template)
    assert differences(template), f"{mutate.__name__} went unnoticed"
