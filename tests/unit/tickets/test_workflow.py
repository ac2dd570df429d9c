"""The ticket state machine: allowed actions lead to the charter's states; others are refused."""

import pytest

from portal.domain import workflow as wf


def test_the_technician_who_claims_a_new_request_owns_it_in_progress():
    """Rule S7."""
    assert wf.next_state(wf.NEW, "claim") == wf.IN_PROGRESS


def test_asking_for_files_closes_the_request_until_they_arrive():
    """Rule S13: closed while awaiting files, reopened when they arrive; out of the queue meanwhile."""
    state = wf.next_state(wf.IN_PROGRESS, "ask_files")
    assert state == wf.AWAITING_FILES and not wf.is_open(state)
    assert wf.next_state(state, "files_received") == wf.IN_PROGRESS


def test_a_customer_answer_ends_the_wait_for_the_customer():
    """Rule S12: the wait ends when the customer replies."""
    assert wf.next_state(wf.WAITING_CUSTOMER, "customer_message") == wf.IN_PROGRESS


def test_an_escalated_request_stays_open():
    """Rules G9, E3: escalation keeps the request open."""
    assert wf.is_open(wf.next_state(wf.IN_PROGRESS, "escalate"))


def test_mutual_agreement_resolves_and_reopening_brings_it_back():
    """Rule S14."""
    assert wf.next_state(wf.IN_PROGRESS, "resolve") == wf.RESOLVED
    assert wf.next_state(wf.RESOLVED, "reopen") == wf.IN_PROGRESS
    assert wf.next_state(wf.CLOSED, "reopen") == wf.IN_PROGRESS


@pytest.mark.parametrize("state, action", [(wf.CLOSED, "reply"), (wf.CLOSED, "ask_files"), (wf.NEW, "reopen"),
                                           (wf.AWAITING_FILES, "escalate"), (wf.CLOSED, "close"),
                                           (wf.RESOLVED, "ask_information")])
def test_an_action_the_state_does_not_allow_is_refused(state, action):
    with pytest.raises(wf.ActionNotAllowed) as refused:
        wf.next_state(state, action)
    assert refused.value.state == state and refused.value.action == action


def test_every_transition_leads_to_a_known_state_and_every_state_can_be_closed_or_reopened():
    for action, table in wf.TRANSITIONS.items():
        for state in table:
            assert wf.next_state(state, action) in wf.STATES
    for state in wf.STATES:
        assert "close" in wf.allowed_actions(state) or "reopen" in wf.allowed_actions(state)


def test_an_unknown_state_or_action_is_an_error_not_a_silent_pass():
    with pytest.raises(KeyError):
        wf.next_state("lost", "claim")
    with pytest.raises(KeyError):
        wf.next_state(wf.NEW, "teleport")
