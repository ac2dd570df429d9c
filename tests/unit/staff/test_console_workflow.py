"""The state machine behind the console's actions: what each state allows, and never a state outside the table."""

import pytest

from portal.domain import workflow as wf
from portal.domain.staff import ADMIN, DIRECTOR, MANAGER, TECHNICIAN, UnknownRole, check_role, may

CONSOLE_ACTIONS = ("claim", "reply", "internal_note", "contact_attempt", "ask_information", "ask_files", "escalate",
                   "resolve", "reopen", "reopen_awaiting_files", "reassign")


def test_a_manager_reassigns_only_open_requests():
    assert all(wf.next_state(state, "reassign") == state for state in wf.OPEN_STATES)
    for state in (wf.AWAITING_FILES, wf.RESOLVED, wf.CLOSED):
        with pytest.raises(wf.ActionNotAllowed):
            wf.next_state(state, "reassign")


def test_support_reopens_a_request_awaiting_files_and_nothing_else_with_that_action():
    """Rule S13: the files may come another way than the portal."""
    assert wf.next_state(wf.AWAITING_FILES, "reopen_awaiting_files") == wf.IN_PROGRESS
    assert wf.allowed_actions(wf.AWAITING_FILES).count("reopen_awaiting_files") == 1
    for state in set(wf.STATES) - {wf.AWAITING_FILES}:
        with pytest.raises(wf.ActionNotAllowed):
            wf.next_state(state, "reopen_awaiting_files")


@pytest.mark.parametrize("state", wf.STATES)
@pytest.mark.parametrize("action", CONSOLE_ACTIONS)
def test_every_console_action_either_leads_to_a_known_state_or_is_refused_with_a_message(state, action):
    try:
        assert wf.next_state(state, action) in wf.STATES
    except wf.ActionNotAllowed as refused:
        assert refused.action == action and refused.state == state and action in str(refused)


def test_escalation_keeps_the_request_open():
    """Rules T6, G2, G9, E3: the request stays open."""
    assert all(wf.is_open(wf.next_state(state, "escalate")) for state in wf.OPEN_STATES)


def test_technicians_work_requests_managers_also_reassign_admins_only_administer():
    assert may(TECHNICIAN, "reply") and not may(TECHNICIAN, "reassign") and not may(TECHNICIAN, "manage_staff")
    assert may(MANAGER, "reply") and may(MANAGER, "reassign") and may(DIRECTOR, "oversee")
    assert may(ADMIN, "manage_staff") and not may(ADMIN, "reply") and not may(ADMIN, "see_queue")
    assert not may(TECHNICIAN, "no such action")


def test_a_role_outside_the_four_is_refused():
    assert check_role("director") == "director"
    with pytest.raises(UnknownRole):
        check_role("customer")
