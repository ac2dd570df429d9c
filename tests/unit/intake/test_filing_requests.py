"""Filing a request: the charter's checks before anything is stored, then number, due time, queue place."""

from datetime import UTC, datetime

import pytest

from portal.domain.charter import load_charter
from portal.services import intake
from portal.web.session import SignedInContact
from tests.builders import seeded_app
from tests.call_counter import count_dynamodb_calls

MONDAY_10 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00 in Paris


def owner(company="demo-1", **overrides):
    values = dict(contact_id=f"{company}-owner", company_id=company, name="Owner", email="o@x.example",
                  language="en", roles=("system_owner",))
    values.update(overrides)
    return SignedInContact(**values)


def draft(**overrides):
    values = dict(category="bug", product_id="alpha-cam", version="2026.1", severity=2, subject="Post-processor crash",
                  facts={"description": "It crashes on export.", "steps": "Open, export, crash."},
                  idempotency_key=None)
    values.update(overrides)
    return intake.RequestDraft(**values)


@pytest.fixture
def portal(moto_storage, tmp_path):
    return seeded_app(moto_storage, tmp_path).extensions["portal"]


def submit(portal, contact=None, now=MONDAY_10, **overrides):
    return intake.submit_request(portal.charter, portal.calendar, portal.storage.accounts, portal.storage.catalog,
                                 portal.storage.tickets, contact or owner(), draft(**overrides), now)


def stored_numbers(portal, company="demo-1"):
    return [summary.number for summary in portal.storage.tickets.of_company(company)]


def test_a_request_is_numbered_due_and_placed_in_the_queue(portal):
    """Rule E10 in the example charter (premium, severity 2: 4 business hours; lunch 12:00-13:30):
    received Monday 10:00, 2 h before lunch, 2 h after: due 15:30 Paris time."""
    ack = submit(portal)
    assert ack.ticket.number == "2026-000001" and ack.ticket.status == "new"
    assert ack.due.due == datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
    assert ack.priority == 1 and ack.queue_position == 1
    ticket, events = portal.storage.tickets.ticket_with_history("2026-000001")
    assert ticket.facts == {"description": "It crashes on export.", "steps": "Open, export, crash."}
    assert [e.kind for e in events] == ["received"] and events[0].data["description"] == "It crashes on export."


def test_the_same_submission_twice_files_one_request(portal):
    first = submit(portal, idempotency_key="form-123")
    second = submit(portal, idempotency_key="form-123")
    assert second.duplicate and second.ticket.number == first.ticket.number
    assert stored_numbers(portal) == [first.ticket.number]


def test_writing_a_request_takes_two_round_trips(portal):
    """A counter update and one transaction (ticket, first event, idempotency marker)."""
    with count_dynamodb_calls() as calls:
        submit(portal, idempotency_key="k")
    writes = {name: count for name, count in calls.items() if name in ("UpdateItem", "TransactWriteItems",
                                                                         "PutItem", "BatchWriteItem")}
    assert writes == {"UpdateItem": 1, "TransactWriteItems": 1}


def test_an_out_of_scope_topic_files_nothing_and_says_what_is_offered_instead(portal):
    """Rules S3, G8, E8, P10."""
    with pytest.raises(intake.OutOfScope) as out:
        submit(portal, topic="installation")
    assert out.value.topic.alternative == "professional_services"
    assert stored_numbers(portal) == []


def test_missing_required_facts_are_named_and_nothing_is_stored(portal):
    """Rules P4, G5, E6: the example charter requires how to reproduce a bug."""
    with pytest.raises(intake.MissingFacts) as missing:
        submit(portal, facts={"description": "It crashes."})
    assert missing.value.problems == {"steps": "required"}
    assert stored_numbers(portal) == []


def test_a_suggestion_does_not_need_the_bug_facts(portal):
    """Rule P8: each category asks its own facts."""
    assert submit(portal, category="suggestion", facts={"description": "Add a dark mode."}).ticket.category == \
        "suggestion"


def test_untrained_designated_contacts_cannot_file(portal):
    """Rule P2: demo-2's deputy has not followed the training."""
    with pytest.raises(intake.IntakeRefused) as refused:
        submit(portal, owner("demo-2"))
    assert [r.code for r in refused.value.refusals] == ["designated_contacts_untrained"]


def test_an_unsupported_version_may_ask_a_question_but_not_report_a_bug(portal):
    """Rule T9 in the example charter: 2024.1 is past its support; questions only."""
    with pytest.raises(intake.IntakeRefused) as refused:
        submit(portal, version="2024.1")
    assert refused.value.refusals[0].code == "category_not_allowed"
    assert submit(portal, version="2024.1", category="support", facts={"description": "How do I?"}).ticket


def test_a_lower_tier_waits_behind_a_higher_one_whatever_the_arrival(portal):
    """Rule T2: demo-3 (basic tier) files first, demo-1 (premium) second: premium is first in the queue."""
    basic = submit(portal, owner("demo-3"))
    premium = submit(portal, now=datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    assert basic.queue_position == 1 and premium.queue_position == 1


def test_a_charter_without_commitment_says_so(moto_storage, tmp_path):
    """Rule G1: graitec commits to no response time."""
    app = seeded_app(moto_storage, tmp_path, charter_id="graitec")
    portal = app.extensions["portal"]
    ack = intake.submit_request(portal.charter, portal.calendar, portal.storage.accounts, portal.storage.catalog,
                                portal.storage.tickets, owner(), draft(category="support", version="2026.1",
                                                                       facts=_graitec_facts()), MONDAY_10)
    assert ack.ticket.response_due is None and ack.due.due is None


def _graitec_facts():
    charter = load_charter("graitec")
    return {fact.id: "x" for fact in charter.facts_for("support") if fact.kind not in ("version", "choice", "file")}
