"""Problem records: a defect goes to the problem database (S9, T8), a suggestion to the feature backlog (P8);
several requests share one record; each link shows in the request's history."""

from __future__ import annotations

import pytest

from portal.adapters.dynamo.problems import ProblemsRepository
from portal.domain.errors import NotFound
from portal.domain.history import EventKind
from portal.domain.problems import DEFECT, FEATURE, ProblemRefused, check_link, kind_for_category
from portal.services import problems as service
from tests.call_counter import count_dynamodb_calls
from tests.unit.staff.lead_builders import NOW, make_ticket, store_ticket


@pytest.fixture
def repos(moto_storage):
    return ProblemsRepository(), moto_storage.tickets


def test_a_bug_goes_to_the_problem_database_and_a_suggestion_to_the_feature_backlog():
    assert kind_for_category("bug") == DEFECT
    assert kind_for_category("suggestion") == FEATURE
    assert kind_for_category("support") is None


def test_quality_control_refuses_misuse_wrong_data_and_computer_problems_rule_s9(repos):
    problems, _tickets = repos
    record = service.open_problem(problems, DEFECT, "Export crash", "staff-manager", NOW)
    for cause in ("misuse", "wrong_data", "computer"):
        with pytest.raises(ProblemRefused) as refused:
            check_link(record, cause, None)
        assert refused.value.code == "not_a_defect" and refused.value.rule == "S9"


def test_the_feature_backlog_takes_a_request_whatever_its_cause(repos):
    problems, _tickets = repos
    record = service.open_problem(problems, FEATURE, "Dark mode", "staff-manager", NOW)
    check_link(record, "", None)


def test_a_record_needs_a_title_and_a_known_kind(repos):
    problems, _tickets = repos
    with pytest.raises(ProblemRefused, match="title_required"):
        service.open_problem(problems, DEFECT, "  ", "staff-manager", NOW)
    with pytest.raises(ProblemRefused, match="unknown_kind"):
        service.open_problem(problems, "rumour", "x", "staff-manager", NOW)
    with pytest.raises(ProblemRefused, match="title_too_long"):
        service.open_problem(problems, DEFECT, "x" * 201, "staff-manager", NOW)


def test_records_get_short_human_ids_in_sequence(repos):
    problems, _tickets = repos
    first = service.open_problem(problems, DEFECT, "One", "staff-manager", NOW)
    second = service.open_problem(problems, FEATURE, "Two", "staff-manager", NOW)
    assert (first.problem_id, second.problem_id) == ("PB-2026-0001", "PB-2026-0002")


def test_several_requests_share_one_record_and_each_history_says_so(repos):
    problems, tickets = repos
    for number in ("2026-000001", "2026-000002"):
        store_ticket(tickets, make_ticket(number))
    record = service.open_problem(problems, DEFECT, "Export crash", "staff-manager", NOW, "alpha-cam", "2026.1")
    for number in ("2026-000001", "2026-000002"):
        service.link_request(problems, tickets, number, record.problem_id, "program_defect", "staff-technician", NOW)
    page = service.problem_page(problems, tickets, record.problem_id)
    assert page.record.tickets == ("2026-000001", "2026-000002")
    assert [ticket.number for ticket in page.tickets] == ["2026-000001", "2026-000002"]
    _ticket, events = tickets.ticket_with_history("2026-000001")
    [linked] = [e for e in events if e.kind == EventKind.PROBLEM_LINKED]
    assert linked.data["problem"] == record.problem_id and linked.data["kind"] == DEFECT and linked.public
    assert problems.linked_problem("2026-000001") == record.problem_id


def test_a_request_joins_one_record_only(repos):
    problems, tickets = repos
    store_ticket(tickets, make_ticket("2026-000001"))
    first = service.open_problem(problems, DEFECT, "Export crash", "staff-manager", NOW)
    second = service.open_problem(problems, FEATURE, "Faster export", "staff-manager", NOW)
    service.link_request(problems, tickets, "2026-000001", first.problem_id, "program_defect", "staff-manager", NOW)
    with pytest.raises(ProblemRefused, match="already_linked"):
        service.link_request(problems, tickets, "2026-000001", second.problem_id, "", "staff-manager", NOW)
    assert problems.get(second.problem_id).tickets == ()


def test_two_links_written_at_once_leave_one_link_and_one_event(repos):
    problems, tickets = repos
    store_ticket(tickets, make_ticket("2026-000001"))
    record = service.open_problem(problems, FEATURE, "Faster export", "staff-manager", NOW)
    from portal.domain.history import TicketEvent

    problems.link("2026-000001", record.problem_id, TicketEvent(EventKind.PROBLEM_LINKED, NOW, "a"))
    with pytest.raises(ProblemRefused, match="already_linked"):
        problems.link("2026-000001", record.problem_id, TicketEvent(EventKind.PROBLEM_LINKED, NOW, "b"))
    _ticket, events = tickets.ticket_with_history("2026-000001")
    assert [e.actor for e in events if e.kind == EventKind.PROBLEM_LINKED] == ["a"]


def test_a_closed_record_takes_no_new_request_and_says_how_it_ended(repos):
    problems, tickets = repos
    store_ticket(tickets, make_ticket("2026-000001"))
    record = service.open_problem(problems, DEFECT, "Export crash", "staff-manager", NOW)
    with pytest.raises(ProblemRefused, match="resolution_required"):
        service.close_problem(problems, record.problem_id, " ")
    service.close_problem(problems, record.problem_id, "Fixed in 2026.2")
    closed = problems.get(record.problem_id)
    assert (closed.status, closed.resolution) == ("closed", "Fixed in 2026.2")
    with pytest.raises(ProblemRefused, match="closed"):
        service.link_request(problems, tickets, "2026-000001", record.problem_id, "program_defect", "x", NOW)
    service.reopen_problem(problems, record.problem_id)
    assert problems.get(record.problem_id).is_open


def test_unknown_requests_and_records_are_not_found(repos):
    problems, tickets = repos
    record = service.open_problem(problems, FEATURE, "Dark mode", "staff-manager", NOW)
    with pytest.raises(NotFound):
        service.link_request(problems, tickets, "2026-999999", record.problem_id, "", "x", NOW)
    with pytest.raises(NotFound):
        service.problem_page(problems, tickets, "PB-2026-9999")
    with pytest.raises(NotFound):
        service.close_problem(problems, "PB-2026-9999", "done")


def test_the_list_is_one_query_by_kind_and_status(repos):
    problems, _tickets = repos
    defect = service.open_problem(problems, DEFECT, "Export crash", "staff-manager", NOW)
    feature = service.open_problem(problems, FEATURE, "Dark mode", "staff-manager", NOW)
    service.close_problem(problems, feature.problem_id, "Planned for 2027.1")
    with count_dynamodb_calls() as calls:
        assert [r.problem_id for r in service.list_problems(problems, DEFECT)] == [defect.problem_id]
    assert calls == {"Query": 1}
    assert service.list_problems(problems, FEATURE) == []
    assert len(service.list_problems(problems, None, None)) == 2
