"""The SES receiving part of infra/template.yaml: messages kept in S3 first, then handed to the portal's function."""

from __future__ import annotations

import importlib
import json
import sys
import types

import pytest

from tests.integration.test_infra_template import load_template

pytestmark = pytest.mark.integration


def resources():
    return load_template()["Resources"]


def test_the_receipt_rule_keeps_the_message_in_s3_then_calls_the_forwarder_with_spam_and_virus_scans():
    rule = resources()["InboundMailRule"]["Properties"]["Rule"]
    assert rule["ScanEnabled"] is True and rule["Recipients"] == {"Ref": "InboundMailRecipients"}
    assert [next(iter(action)) for action in rule["Actions"]] == ["S3Action", "LambdaAction"]
    assert rule["Actions"][0]["S3Action"]["ObjectKeyPrefix"] == "inbound/"


def test_only_ses_of_this_account_may_write_received_messages():
    [allow, _deny] = resources()["InboundMailBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert allow["Principal"] == {"Service": "ses.amazonaws.com"} and allow["Action"] == "s3:PutObject"
    assert allow["Condition"]["StringEquals"] == {"AWS:SourceAccount": {"Ref": "AWS::AccountId"}}


def test_every_receiving_resource_exists_only_when_recipients_are_given():
    for logical_id, resource in resources().items():
        if logical_id.startswith("InboundMail"):
            assert resource.get("Condition") == "ReceivesMail", logical_id


def test_the_forwarder_hands_the_event_to_the_portals_inbound_mail_handler(monkeypatch):
    code = resources()["InboundMailForwarder"]["Properties"]["Code"]["ZipFile"]
    calls = []
    fake_boto3 = types.SimpleNamespace(client=lambda name: types.SimpleNamespace(
        invoke=lambda **kwargs: calls.append(kwargs)))
    monkeypatch.setitem(sys.modules, "boto3", fake_boto3)
    monkeypatch.setenv("PORTAL_FUNCTION", "support-portal-production")
    monkeypatch.setenv("INBOUND_BUCKET", "inbound-bucket")
    monkeypatch.setenv("INBOUND_PREFIX", "inbound/")
    namespace: dict = {}
    exec(compile(code, "forwarder", "exec"), namespace)  # noqa: S102 - the template's own inline code
    namespace["handler"]({"Records": [{"eventSource": "aws:ses", "ses": {}}]}, None)
    [call] = calls
    payload = json.loads(call["Payload"])
    assert call["FunctionName"] == "support-portal-production" and call["InvocationType"] == "Event"
    assert payload["inbound_bucket"] == "inbound-bucket" and payload["Records"][0]["eventSource"] == "aws:ses"
    module, _, function = payload["command"].rpartition(".")
    assert callable(getattr(importlib.import_module(module), function))


def test_the_function_may_list_the_received_mail_bucket_so_a_message_already_handled_reads_as_gone():
    """Without s3:ListBucket, S3 answers 403 for a missing key, and a second delivery is not seen as one."""
    statements = resources()["PortalLambdaRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    granted = [statement["Fn::If"] for statement in statements if "Fn::If" in statement]
    listing = [then for condition, then, _ in granted if condition == "ReceivesMail"
               and then["Action"] == "s3:ListBucket"]
    assert listing == [{"Sid": "ListReceivedMail", "Effect": "Allow", "Action": "s3:ListBucket",
                        "Resource": {"Fn::GetAtt": ["InboundMailBucket", "Arn"]}}]
