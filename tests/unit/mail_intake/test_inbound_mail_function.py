"""The production path: SES keeps the message in S3 and calls the function with its receipt event (moto)."""

import json
from datetime import UTC, date, datetime

import boto3
import pytest

from functions import inbound_mail
from tests.unit.mail_intake.mail_builders import make_desk, sample

BUCKET = "support-portal-inbound-mail"
SES_ID = "o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1"


def ses_event(verdicts=None, action=None, recipients=("cam.support@exemplar-software.example",)):
    """The event of an SES receipt rule (Records[0].ses.mail and .receipt), as AWS documents it."""
    statuses = {"spam": "PASS", "virus": "PASS", "spf": "PASS", "dkim": "PASS", **(verdicts or {})}
    receipt = {"timestamp": "2026-11-23T09:00:00.574Z", "processingTimeMillis": 574, "recipients": list(recipients),
               **{f"{name}Verdict": {"status": status} for name, status in statuses.items()},
               "dmarcVerdict": {"status": "PASS"}, "dmarcPolicy": "reject",
               "action": action or {"type": "S3", "topicArn": "arn:aws:sns:eu-west-1:123456789012:inbound",
                                    "bucketName": BUCKET, "objectKeyPrefix": "inbound/",
                                    "objectKey": f"inbound/{SES_ID}"}}
    mail = {"timestamp": "2026-11-23T09:00:00.000Z", "source": "owner@customer1.example", "messageId": SES_ID,
            "destination": list(recipients), "headersTruncated": False,
            "headers": [{"name": "From", "value": "Owner 1 <owner@customer1.example>"}],
            "commonHeaders": {"from": ["Owner 1 <owner@customer1.example>"], "to": list(recipients),
                              "messageId": "<CAF=french.plain.1@mail.customer1.example>",
                              "subject": "Le post-processeur plante à l'export"}}
    return {"Records": [{"eventSource": "aws:ses", "eventVersion": "1.0", "ses": {"mail": mail, "receipt": receipt}}]}


@pytest.fixture
def production(moto_storage, tmp_path, monkeypatch):
    """The function's own wiring on moto: S3 holds the message, DynamoDB the demo data, the outbox in tmp."""
    make_desk(moto_storage, tmp_path, today=date.today())  # the function reads the clock
    settings = moto_storage.settings
    for name, value in {"PORTAL_ENV": "test", "PORTAL_TABLE_PREFIX": settings.table_prefix,
                        "PORTAL_CHARTER": "example", "PORTAL_DATA": str(tmp_path), "PORTAL_SECRET_KEY": "s",
                        "PORTAL_AWS_REGION": "eu-west-3", "PORTAL_PUBLIC_URL": "https://portal.example"}.items():
        monkeypatch.setenv(name, value)
    inbound_mail.inbound_desk.cache_clear()
    s3 = boto3.client("s3", region_name="eu-west-3")
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    s3.put_object(Bucket=BUCKET, Key=f"inbound/{SES_ID}", Body=sample("french_plain.eml"))
    yield s3
    inbound_mail.inbound_desk.cache_clear()


def test_a_message_kept_in_s3_opens_a_request_and_is_acknowledged(production, moto_storage, tmp_path):
    result = inbound_mail.handler(ses_event(), None)
    assert result == {"messages": [{"key": f"inbound/{SES_ID}", "action": "opened", "reason": "P5",
                                    "number": f"{datetime.now(UTC).year}-000001"}]}
    acks = list((tmp_path / "outbox").glob("*.eml"))
    assert len(acks) == 1 and b"https://portal.example/requests/" in acks[0].read_bytes()


def test_the_lambda_action_event_finds_the_message_by_its_id_under_the_prefix(production, monkeypatch):
    monkeypatch.setenv("PORTAL_INBOUND_MAIL_BUCKET", BUCKET)
    action = {"type": "Lambda", "functionArn": "arn:aws:lambda:eu-west-1:123456789012:function:forward",
              "invocationType": "Event"}
    [outcome] = inbound_mail.handler(ses_event(action=action), None)["messages"]
    assert outcome["action"] == "opened"


def test_the_same_event_delivered_twice_creates_one_request(production, moto_storage):
    inbound_mail.handler(ses_event(), None)
    [again] = inbound_mail.handler(ses_event(), None)["messages"]
    assert again["action"] == "duplicate"
    assert len(moto_storage.tickets.of_company("demo-1")) == 1


@pytest.mark.parametrize("verdict", ["spam", "virus", "spf", "dkim"])
def test_a_message_failing_a_verdict_is_set_aside_not_ticketed(production, moto_storage, verdict):
    [outcome] = inbound_mail.handler(ses_event(verdicts={verdict: "FAIL"}), None)["messages"]
    assert (outcome["action"], outcome["reason"]) == ("set_aside", verdict)
    assert moto_storage.tickets.of_company("demo-1") == []
    kept = production.get_object(Bucket=BUCKET, Key=f"set-aside/{SES_ID}")["Body"].read()
    assert kept == sample("french_plain.eml")


def test_an_sns_notification_of_the_s3_action_is_read_the_same_way(production):
    record = ses_event()["Records"][0]
    message = {"notificationType": "Received", **record["ses"]}
    event = {"Records": [{"EventSource": "aws:sns", "Sns": {"Type": "Notification", "Message": json.dumps(message)}}]}
    [outcome] = inbound_mail.handler(event, None)["messages"]
    assert outcome["action"] == "opened"


def test_a_message_whose_from_domain_fails_dmarc_is_set_aside_and_opens_nothing(production, moto_storage):
    """A spoof of a contact's address (the attacker's own SPF passes, DMARC fails) never speaks for the contact."""
    event = ses_event(verdicts={"spf": "PASS", "dkim": "GRAY"})
    event["Records"][0]["ses"]["receipt"]["dmarcVerdict"] = {"status": "FAIL"}
    [outcome] = inbound_mail.handler(event, None)["messages"]
    assert (outcome["action"], outcome["reason"]) == ("set_aside", "dmarc")
    assert moto_storage.tickets.of_company("demo-1") == []
    keys = [o["Key"] for o in production.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert keys == [f"set-aside/{SES_ID}"]


def test_a_message_whose_handling_fails_is_copied_aside_before_the_retry(production, monkeypatch):
    """Nothing is lost: whatever breaks while a message is handled, a person finds it under set-aside/."""
    from portal.services import ses_inbound

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(ses_inbound, "receive_mail", broken)
    with pytest.raises(RuntimeError):
        inbound_mail.handler(ses_event(), None)
    keys = sorted(o["Key"] for o in production.list_objects_v2(Bucket=BUCKET).get("Contents", []))
    assert keys == [f"inbound/{SES_ID}", f"set-aside/{SES_ID}"]


def test_the_functions_acknowledgement_refused_by_the_mail_service_is_kept_for_the_retry(production, moto_storage,
                                                                                       monkeypatch):
    from portal.adapters.mail import OutboxMailer
    from portal.domain.errors import BackendUnavailable

    def refuse(self, mail):
        raise BackendUnavailable("mail", "Throttling")

    monkeypatch.setattr(OutboxMailer, "send", refuse)
    [outcome] = inbound_mail.handler(ses_event(), None)["messages"]
    assert outcome["action"] == "opened"
    assert moto_storage.pending_mail.count() == 1
