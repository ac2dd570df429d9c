"""The ticket state machine: which action each state allows, and the state it leads to.

An action the current state does not allow raises `ActionNotAllowed`; a ticket never reaches a state
this table does not lead to.
"""

from __future__ import annotations

NEW = "new"  # received, nobody has taken it yet (S4: first come, first served)
IN_PROGRESS = "in_progress"  # a technician owns it (S7)
WAITING_CUSTOMER = "waiting_customer"  # an answer from the customer is expected (S12)
AWAITING_FILES = "awaiting_files"  # closed while the customer's files are awaited; reopens on upload (S13)
ESCALATED = "escalated"  # with a senior colleague, R&D or the publisher; stays open (T6, G2, G9, E3)
RESOLVED = "resolved"  # solved by mutual agreement (S14); closes after the confirmation window
CLOSED = "closed"

STATES = (NEW, IN_PROGRESS, WAITING_CUSTOMER, AWAITING_FILES, ESCALATED, RESOLVED, CLOSED)
OPEN_STATES = (NEW, IN_PROGRESS, WAITING_CUSTOMER, ESCALATED)  # in the technicians' queue

_SAME = object()  # the action keeps the current state

TRANSITIONS: dict[str, dict[str, object]] = {
    "claim": {NEW: IN_PROGRESS, IN_PROGRESS: IN_PROGRESS, ESCALATED: ESCALATED, WAITING_CUSTOMER: WAITING_CUSTOMER},
    "reply": {state: _SAME for state in OPEN_STATES},
    "internal_note": {state: _SAME for state in STATES},
    "contact_attempt": {state: _SAME for state in OPEN_STATES},
    "ask_information": {NEW: WAITING_CUSTOMER, IN_PROGRESS: WAITING_CUSTOMER, ESCALATED: WAITING_CUSTOMER,
                        WAITING_CUSTOMER: WAITING_CUSTOMER},
    "ask_files": {NEW: AWAITING_FILES, IN_PROGRESS: AWAITING_FILES, WAITING_CUSTOMER: AWAITING_FILES,
                  ESCALATED: AWAITING_FILES},
    # Files asked for under a charter that keeps the request open meanwhile (all but S13's): it waits on the
    # customer, as for information.
    "ask_files_keeping_open": {NEW: WAITING_CUSTOMER, IN_PROGRESS: WAITING_CUSTOMER, ESCALATED: WAITING_CUSTOMER,
                               WAITING_CUSTOMER: WAITING_CUSTOMER},
    "customer_message": {NEW: NEW, IN_PROGRESS: IN_PROGRESS, ESCALATED: ESCALATED, WAITING_CUSTOMER: IN_PROGRESS,
                         RESOLVED: RESOLVED, AWAITING_FILES: AWAITING_FILES},
    "files_received": {AWAITING_FILES: IN_PROGRESS, NEW: NEW, IN_PROGRESS: IN_PROGRESS,
                       WAITING_CUSTOMER: IN_PROGRESS, ESCALATED: ESCALATED},
    "escalate": {NEW: ESCALATED, IN_PROGRESS: ESCALATED, WAITING_CUSTOMER: ESCALATED, ESCALATED: ESCALATED},
    "resolve": {state: RESOLVED for state in (*OPEN_STATES, AWAITING_FILES)},
    "close": {state: CLOSED for state in (*OPEN_STATES, AWAITING_FILES, RESOLVED)},
    "reopen": {RESOLVED: IN_PROGRESS, CLOSED: IN_PROGRESS},
    # The support team's own actions (issue 7): a manager gives an open request to another technician; support
    # reopens a request closed while awaiting files when the files came another way (rule S13).
    "reassign": {state: _SAME for state in OPEN_STATES},
    "reopen_awaiting_files": {AWAITING_FILES: IN_PROGRESS},
}


class ActionNotAllowed(Exception):
    """The action is not possible in the ticket's current state."""

    def __init__(self, action: str, state: str):
        super().__init__(f"{action} is not possible while the request is {state}")
        self.action = action
        self.state = state


def next_state(state: str, action: str) -> str:
    """The state after `action`.

    :raise ActionNotAllowed: when the current state does not allow the action.
    :raise KeyError: for an action or state the portal does not know.
    """
    if state not in STATES:
        raise KeyError(state)
    allowed = TRANSITIONS[action]
    if state not in allowed:
        raise ActionNotAllowed(action, state)
    target = allowed[state]
    return state if target is _SAME else target  # type: ignore[return-value]


def allowed_actions(state: str) -> tuple[str, ...]:
    """The actions a ticket in this state accepts (the console shows only these)."""
    return tuple(action for action, table in TRANSITIONS.items() if state in table)


def is_open(state: str) -> bool:
    """Open requests wait in the technicians' queue; resolved, awaiting-files and closed ones do not."""
    return state in OPEN_STATES
