"""The director's review (rule T8): requests unresolved for ten business days, each decided once: closed as not
critical, closed as a feature request (feature backlog), or escalated as a malfunction (problem database); a
satisfaction follow-up is then due."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal.adapters.dynamo.oversight import OversightRepository
from portal.adapters.dynamo.problems import ProblemsRepository
from portal.domain.calendar import calendar_for
from portal.domain.charter import load_charter
from portal.domain.errors import NotFound
from portal.domain.history import EventKind
from portal.domain.problems import DEFECT, FEATURE, ProblemRefused
from portal.services import lead
from portal.services import problems as problem_service
from tests.unit.staff.lead_builders import NOW, event, make_ticket, store_ticket

CHARTER = load_charter("example")  # director review after 10 business days (T8)
CALENDAR = calendar_for(CHARTER)


@pytest.fixture
def stores(moto_storage):
    return OversightRepository(), moto_storage.tickets, moto_storage.staff, ProblemsRepository()


def old_and_new(tickets):
    store_ticket(tickets, make_ticket("2026-000001", created_at=datetime(2026, 11, 2, 9, tzinfo=UTC)))
    store_ticket(tickets, make_ticket("2026-000002", created_at=datetime(2026, 11, 16, 9, tzinfo=UTC)))


def test_the_director_sees_requests_unresolved_for_ten_business_days_only(stores):
    oversight, tickets, staff, _problems = stores
    old_and_new(tickets)
    items = lead.director_list(oversight, tickets, staff, CHARTER, CALENDAR, NOW)
    assert [item.ticket.number for item in items] == ["2026-000001"]
    assert items[0].since == datetime(2026, 11, 17, 9, tzinfo=UTC)  # 10 business days, the 11th a holiday


def test_a_charter_without_the_rule_gives_the_director_nothing(stores):
    oversight, tickets, staff, _problems = stores
    old_and_new(tickets)
    assert lead.director_list(oversight, tickets, staff, load_charter("systell"), CALENDAR, NOW) == []


def test_a_request_a_sweep_flagged_for_review_is_listed_until_decided(stores):
    oversight, tickets, staff, problems = stores
    store_ticket(tickets, make_ticket("2026-000002", created_at=datetime(2026, 11, 16, 9, tzinfo=UTC)),
                 [event(EventKind.DIRECTOR_REVIEW, datetime(2026, 11, 19, 9, tzinfo=UTC), "sweep", False)])
    assert [i.ticket.number for i in lead.director_list(oversight, tickets, staff, CHARTER, CALENDAR, NOW)] == [
        "2026-000002"]
    lead.director_decide(tickets, problems, CHARTER, CALENDAR, "2026-000002", lead.CLOSE_NOT_CRITICAL,
                         "staff-director", NOW)
    assert lead.director_list(oversight, tickets, staff, CHARTER, CALENDAR, NOW) == []


def test_closing_as_not_critical_closes_it_and_a_satisfaction_follow_up_is_due(stores):
    oversight, tickets, staff, _problems = stores
    old_and_new(tickets)
    saved = lead.director_decide(tickets, ProblemsRepository(), CHARTER, CALENDAR, "2026-000001",
                                 lead.CLOSE_NOT_CRITICAL, "staff-director", NOW, "Works as designed")
    assert saved.status == "closed"
    _ticket, events = tickets.ticket_with_history("2026-000001")
    review = next(e for e in events if e.kind == EventKind.DIRECTOR_REVIEW)
    assert review.data == {"decision": "close_not_critical", "rule": "T8", "note": "Works as designed"}
    assert not review.public
    closed = next(e for e in events if e.kind == EventKind.CLOSED)
    assert closed.data["reason"] == "not_critical" and closed.public
    [task] = tickets.open_tasks("director")
    assert (task.kind, task.ticket_number) == (lead.SATISFACTION_FOLLOW_UP, "2026-000001")
    assert task.due == CALENDAR.add_business_days(NOW, 2)
    assert lead.director_list(oversight, tickets, staff, CHARTER, CALENDAR, NOW) == []


def test_closing_as_a_feature_request_puts_it_in_the_feature_backlog(stores):
    _oversight, tickets, _staff, problems = stores
    old_and_new(tickets)
    lead.director_decide(tickets, problems, CHARTER, CALENDAR, "2026-000001", lead.CLOSE_FEATURE_REQUEST,
                         "staff-director", NOW)
    [record] = problem_service.list_problems(problems, FEATURE)
    assert record.tickets == ("2026-000001",) and record.title == "Export crashes"
    assert tickets.ticket_with_history("2026-000001")[0].status == "closed"


def test_escalating_a_malfunction_records_it_in_the_problem_database_and_keeps_it_open(stores):
    _oversight, tickets, _staff, problems = stores
    old_and_new(tickets)
    existing = problem_service.open_problem(problems, DEFECT, "Export crash", "staff-manager", NOW)
    saved = lead.director_decide(tickets, problems, CHARTER, CALENDAR, "2026-000001", lead.ESCALATE_MALFUNCTION,
                                 "staff-director", NOW, problem_id=existing.problem_id)
    assert saved.status == "escalated" and saved.is_open
    assert problems.get(existing.problem_id).tickets == ("2026-000001",)
    assert tickets.open_tasks("director")[0].kind == lead.SATISFACTION_FOLLOW_UP


def test_a_record_of_the_wrong_kind_is_refused_and_nothing_changes(stores):
    _oversight, tickets, _staff, problems = stores
    old_and_new(tickets)
    wish = problem_service.open_problem(problems, FEATURE, "Dark mode", "staff-manager", NOW)
    with pytest.raises(ProblemRefused, match="wrong_kind"):
        lead.director_decide(tickets, problems, CHARTER, CALENDAR, "2026-000001", lead.ESCALATE_MALFUNCTION,
                             "staff-director", NOW, problem_id=wish.problem_id)
    assert tickets.ticket_with_history("2026-000001")[0].status == "in_progress"


def test_a_request_is_decided_once_and_only_when_its_review_is_due(stores):
    _oversight, tickets, _staff, problems = stores
    old_and_new(tickets)
    with pytest.raises(lead.NotForReview):
        lead.director_decide(tickets, problems, CHARTER, CALENDAR, "2026-000002", lead.CLOSE_NOT_CRITICAL,
                             "staff-director", NOW)
    lead.director_decide(tickets, problems, CHARTER, CALENDAR, "2026-000001", lead.ESCALATE_MALFUNCTION,
                         "staff-director", NOW)
    with pytest.raises(lead.NotForReview):
        lead.director_decide(tickets, problems, CHARTER, CALENDAR, "2026-000001", lead.CLOSE_NOT_CRITICAL,
                             "staff-director", NOW)
    with pytest.raises(ValueError):
        lead.director_decide(tickets, problems, CHARTER, CALENDAR, "2026-000001", "shrug", "staff-director", NOW)
    with pytest.raises(NotFound):
        lead.director_decide(tickets, problems, CHARTER, CALENDAR, "2026-999999", lead.CLOSE_NOT_CRITICAL,
                             "staff-director", NOW)
