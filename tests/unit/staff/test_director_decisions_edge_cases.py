"""The director's decision (rule T8) at its edges: a request that changes while the director decides, a record
closed meanwhile, and a request already linked to a record of the other kind. A decision and the problem record
it links are written together or not at all, and a malfunction is always recorded in the problem database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal.adapters.dynamo.oversight import OversightRepository
from portal.adapters.dynamo.problems import ProblemsRepository
from portal.domain.calendar import calendar_for
from portal.domain.charter import load_charter
from portal.domain.errors import ConcurrentUpdate
from portal.domain.history import EventKind, TicketEvent
from portal.domain.problems import DEFECT, FEATURE, ProblemRefused
from portal.services import lead
from portal.services import problems as problem_service
from tests.unit.staff.lead_builders import NOW, make_ticket, store_ticket

CHARTER = load_charter("example")  # director review after 10 business days (T8)
CALENDAR = calendar_for(CHARTER)
NUMBER = "2026-000001"
EARLIER = datetime(2026, 11, 10, 9, tzinfo=UTC)  # a technician linked the request before the review


@pytest.fixture
def stores(moto_storage):
    tickets, problems = moto_storage.tickets, ProblemsRepository()
    store_ticket(tickets, make_ticket(NUMBER, created_at=datetime(2026, 11, 2, 9, tzinfo=UTC)))
    return tickets, problems


def decide(stores, decision, problem_id=""):
    tickets, problems = stores
    return lead.director_decide(tickets, problems, CHARTER, CALENDAR, NUMBER, decision, "dan", NOW,
                                problem_id=problem_id)


def a_technician_writes_right_after_the_directors_read(tickets):
    """The request is read for the decision, then a technician adds a note before the decision is written."""
    read = tickets.ticket_with_history

    def read_then_a_note_lands(number):
        found = read(number)
        tickets.ticket_with_history = read  # once
        ticket, _events = read(number)
        tickets.apply(ticket, [TicketEvent(EventKind.MESSAGE, NOW, "tom", False, {"text": "note"})],
                      lead.queue_key_for(CHARTER)(ticket))
        return found

    tickets.ticket_with_history = read_then_a_note_lands


def review_of(tickets):
    _ticket, events = tickets.ticket_with_history(NUMBER)
    return [event for event in events if event.kind == EventKind.DIRECTOR_REVIEW and event.data.get("decision")]


@pytest.mark.parametrize("decision", [lead.CLOSE_FEATURE_REQUEST, lead.ESCALATE_MALFUNCTION])
def test_rule_t8_a_decision_refused_for_a_concurrent_note_opens_no_problem_record_and_its_retry_opens_one(
        stores, decision):
    tickets, problems = stores
    a_technician_writes_right_after_the_directors_read(tickets)
    with pytest.raises(ConcurrentUpdate):
        decide(stores, decision)
    assert problem_service.list_problems(problems, None, None) == []  # no record linked to nothing
    assert problems.linked_problem(NUMBER) is None and review_of(tickets) == [] and tickets.open_tasks("director") == []
    decide(stores, decision)  # the director looks again and decides: nothing was lost, nothing is doubled
    [record] = problem_service.list_problems(problems, None, None)
    assert record.tickets == (NUMBER,) and problems.linked_problem(NUMBER) == record.problem_id
    assert [review.data["problem"] for review in review_of(tickets)] == [record.problem_id]


def test_rule_t8_a_decision_on_a_record_closed_meanwhile_is_refused_whole_and_leaves_the_request_as_it_was(stores):
    tickets, problems = stores
    wish = problem_service.open_problem(problems, FEATURE, "Export to PDF/A", "mia", NOW)
    read = problems.get

    def read_then_closed(record_id):
        found = read(record_id)
        problem_service.close_problem(problems, record_id, "planned for 2027.1")  # a manager closes it meanwhile
        return found

    problems.get = read_then_closed
    with pytest.raises(ProblemRefused, match="closed"):
        decide(stores, lead.CLOSE_FEATURE_REQUEST, wish.problem_id)
    problems.get = read
    assert tickets.ticket_with_history(NUMBER)[0].status == "in_progress"
    assert review_of(tickets) == [] and problems.linked_problem(NUMBER) is None
    assert problems.get(wish.problem_id).tickets == ()


def test_rule_t8_a_malfunction_on_a_request_linked_to_a_feature_record_is_recorded_in_the_problem_database(
        stores, moto_storage):
    tickets, problems = stores
    wish = problem_service.open_problem(problems, FEATURE, "Export to PDF/A", "tom", EARLIER)
    problem_service.link_request(problems, tickets, NUMBER, wish.problem_id, "", "tom", EARLIER)
    saved = decide(stores, lead.ESCALATE_MALFUNCTION)
    assert saved.status == "escalated"
    [defect] = problem_service.list_problems(problems, DEFECT, None)
    assert defect.tickets == (NUMBER,) and defect.title == "Export crashes"
    assert problems.linked_problem(NUMBER) == defect.problem_id  # a request joins one record: it moved
    assert problems.get(wish.problem_id).tickets == ()
    assert [review.data["problem"] for review in review_of(tickets)] == [defect.problem_id]
    _ticket, events = tickets.ticket_with_history(NUMBER)
    [moved] = [event for event in events if event.kind == EventKind.PROBLEM_LINKED and "replaces" in event.data]
    assert moved.data == {"problem": defect.problem_id, "kind": DEFECT, "title": "Export crashes",
                          "cause": "program_defect", "replaces": wish.problem_id} and moved.public
    [row] = lead.meeting_list(OversightRepository(), tickets, moto_storage.staff, CHARTER, CALENDAR, NOW)
    assert row.problem_id == defect.problem_id  # the meeting list shows the record it is linked to now


def test_rule_t8_a_malfunction_on_a_request_linked_to_a_defect_record_keeps_that_record(stores):
    tickets, problems = stores
    known = problem_service.open_problem(problems, DEFECT, "Export crash", "tom", NOW)
    problem_service.link_request(problems, tickets, NUMBER, known.problem_id, "program_defect", "tom", NOW)
    decide(stores, lead.ESCALATE_MALFUNCTION)
    assert [record.problem_id for record in problem_service.list_problems(problems, None, None)] == [known.problem_id]
    assert problems.get(known.problem_id).tickets == (NUMBER,)
    assert [review.data["problem"] for review in review_of(tickets)] == [known.problem_id]


def test_rule_t8_a_feature_request_on_a_request_linked_to_a_defect_record_goes_to_the_feature_backlog(stores):
    tickets, problems = stores
    known = problem_service.open_problem(problems, DEFECT, "Export crash", "tom", NOW)
    problem_service.link_request(problems, tickets, NUMBER, known.problem_id, "program_defect", "tom", NOW)
    decide(stores, lead.CLOSE_FEATURE_REQUEST)
    [wish] = problem_service.list_problems(problems, FEATURE, None)
    assert wish.tickets == (NUMBER,) and problems.linked_problem(NUMBER) == wish.problem_id
    assert problems.get(known.problem_id).tickets == ()
    assert [review.data["problem"] for review in review_of(tickets)] == [wish.problem_id]


def test_rule_t8_a_record_the_director_names_replaces_the_link_the_request_had(stores):
    tickets, problems = stores
    first = problem_service.open_problem(problems, DEFECT, "Export crash", "tom", NOW)
    chosen = problem_service.open_problem(problems, DEFECT, "Export crash on large parts", "mia", NOW)
    problem_service.link_request(problems, tickets, NUMBER, first.problem_id, "program_defect", "tom", NOW)
    decide(stores, lead.ESCALATE_MALFUNCTION, chosen.problem_id)
    assert problems.linked_problem(NUMBER) == chosen.problem_id
    assert problems.get(chosen.problem_id).tickets == (NUMBER,) and problems.get(first.problem_id).tickets == ()
    assert [review.data["problem"] for review in review_of(tickets)] == [chosen.problem_id]
