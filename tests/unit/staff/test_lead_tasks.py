"""Follow-up tasks: a dissatisfied survey answer makes a manager's task (rule G3); managers list them, give
each an owner and mark it done with what was done."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.adapters.dynamo.oversight import OversightRepository
from portal.domain.accounts import StaffMember
from portal.domain.errors import NotFound
from portal.domain.tickets import FollowUpTask
from portal.services import lead
from tests.unit.staff.lead_builders import NOW, make_ticket, store_ticket


@pytest.fixture
def stores(moto_storage):
    moto_storage.staff.add(StaffMember("staff-manager", "manager@vendor.example", "Mia Manager", "manager"))
    moto_storage.staff.add(StaffMember("staff-technician", "tech@vendor.example", "Tess Tech", "technician"))
    tickets = moto_storage.tickets
    for number, due in (("2026-000001", NOW - timedelta(hours=1)), ("2026-000002", NOW + timedelta(days=1))):
        ticket = store_ticket(tickets, make_ticket(number, status="closed", owner_id=None))
        tickets.apply(ticket, [], None, [FollowUpTask("dissatisfied_survey", number, "manager", due, NOW)])
    return OversightRepository(), tickets, moto_storage.staff


def test_managers_see_the_dissatisfied_answers_soonest_due_first_with_the_overdue_marked(stores):
    _oversight, tickets, staff = stores
    items = lead.task_list(tickets, staff, "manager", NOW)
    assert [(item.task.ticket_number, item.overdue) for item in items] == [("2026-000001", True),
                                                                           ("2026-000002", False)]
    assert lead.task_list(tickets, staff, "director", NOW) == []


def test_a_task_gets_an_owner_by_e_mail_among_the_managers(stores):
    oversight, tickets, staff = stores
    assert lead.assign_task(oversight, staff, "2026-000001", "dissatisfied_survey", "Manager@Vendor.example",
                            "manager") == "Mia Manager"
    assert lead.task_list(tickets, staff, "manager", NOW)[0].owner_name == "Mia Manager"
    with pytest.raises(ValueError, match="unknown_owner"):
        lead.assign_task(oversight, staff, "2026-000001", "dissatisfied_survey", "tech@vendor.example",
                         "manager")
    with pytest.raises(ValueError, match="unknown_owner"):
        lead.assign_task(oversight, staff, "2026-000001", "dissatisfied_survey", "nobody@vendor.example",
                         "manager")


def test_a_task_is_never_given_to_a_deactivated_manager(stores):
    """A deactivated member signs in no more: the task would wait on no one."""
    from dataclasses import replace

    oversight, _tickets, staff = stores
    manager = staff.by_email("manager@vendor.example")
    staff.save(replace(manager, active=False))
    with pytest.raises(ValueError, match="unknown_owner"):
        lead.assign_task(oversight, staff, "2026-000001", "dissatisfied_survey", "manager@vendor.example",
                         "manager")


def test_a_manager_takes_a_task_and_marks_it_done_with_a_note_in_the_history(stores):
    oversight, tickets, staff = stores
    lead.take_task(oversight, "2026-000002", "dissatisfied_survey", "staff-manager", "manager")
    with pytest.raises(ValueError, match="note_required"):
        lead.finish_task(oversight, "2026-000002", "dissatisfied_survey", "  ", "staff-manager", "manager", NOW)
    lead.finish_task(oversight, "2026-000002", "dissatisfied_survey", "Called Ann: a new licence file",
                     "staff-manager", "manager", NOW)
    assert [item.task.ticket_number for item in lead.task_list(tickets, staff, "manager", NOW)] == ["2026-000001"]
    done = oversight.task("2026-000002", "dissatisfied_survey")
    assert done.done and done.owner_id == "staff-manager" and done.note == "Called Ann: a new licence file"
    _ticket, events = tickets.ticket_with_history("2026-000002")
    assert [(e.public, e.data.get("text")) for e in events if e.data.get("task")] == [
        (False, "Called Ann: a new licence file")]


def test_a_finished_or_unknown_task_cannot_be_done_or_assigned_again(stores):
    oversight, tickets, _staff = stores
    lead.finish_task(oversight, "2026-000001", "dissatisfied_survey", "done", "staff-manager", "manager", NOW)
    with pytest.raises(NotFound):
        lead.finish_task(oversight, "2026-000001", "dissatisfied_survey", "again", "staff-manager", "manager", NOW)
    with pytest.raises(NotFound):
        lead.take_task(oversight, "2026-000001", "dissatisfied_survey", "staff-manager", "manager")
    with pytest.raises(NotFound):
        lead.take_task(oversight, "2026-000009", "dissatisfied_survey", "staff-manager", "manager")
    assert oversight.task("2026-000009", "dissatisfied_survey") is None


def test_a_task_of_another_role_is_not_found_for_this_one(stores):
    oversight, _tickets, _staff = stores
    with pytest.raises(NotFound):
        lead.take_task(oversight, "2026-000001", "dissatisfied_survey", "staff-director", "director")
    with pytest.raises(NotFound):
        lead.finish_task(oversight, "2026-000001", "dissatisfied_survey", "x", "staff-director", "director", NOW)
