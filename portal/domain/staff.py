"""The support team's roles and what each may do (issue 7): who works requests, who oversees, who administers.

A role is one of technician, manager, director, admin. Views ask `may(role, action)` or name the roles
they admit; nothing else in the portal branches on a role's name.
"""

from __future__ import annotations

from portal.domain.accounts import STAFF_ROLES

TECHNICIAN, MANAGER, DIRECTOR, ADMIN = STAFF_ROLES

# The roles that work requests: the queue and every action on a request.
WORKERS = (TECHNICIAN, MANAGER, DIRECTOR)
# The roles that oversee: the managers' and director's lists, problem records, the dashboard.
OVERSEERS = (MANAGER, DIRECTOR)
# Every staff role (signing in, one's own page).
ANY_STAFF = STAFF_ROLES

# action -> the roles allowed to do it
PERMISSIONS: dict[str, tuple[str, ...]] = {
    "see_queue": WORKERS,
    "see_request": (*WORKERS, ADMIN),
    "claim": WORKERS,
    "reply": WORKERS,
    "note": WORKERS,
    "log_contact": WORKERS,
    "ask_information": WORKERS,
    "ask_files": WORKERS,
    "escalate": WORKERS,
    "resolve": WORKERS,
    "reopen": WORKERS,
    "reassign": OVERSEERS,  # give a request to another technician (taking one for oneself is `claim`)
    "oversee": OVERSEERS,
    "manage_staff": (ADMIN,),
}


class UnknownRole(ValueError):
    """A role outside technician, manager, director, admin."""


def check_role(role: str) -> str:
    """The role itself when it is one of the four staff roles.

    :raise UnknownRole: otherwise.
    """
    if role not in STAFF_ROLES:
        raise UnknownRole(role)
    return role


def may(role: str, action: str) -> bool:
    """Whether a staff member with this role may do this action (an unknown action is allowed to nobody)."""
    return role in PERMISSIONS.get(action, ())


def takes_an_admin_away(member, role: str, active: bool) -> bool:
    """Whether giving this member this role and this state makes an active administrator no longer one."""
    return member.role == ADMIN and member.active and not (role == ADMIN and active)


def removes_the_last_admin(admins, member, role: str, active: bool) -> bool:
    """Whether giving this member this role and this state would leave the team without an active administrator
    (the last one can neither be demoted nor deactivated: someone must be able to manage the team)."""
    if not takes_an_admin_away(member, role, active):
        return False
    return not any(other.role == ADMIN and other.active for other in admins if other.staff_id != member.staff_id)


def may_sign_in(member) -> bool:
    """Whether a staff member may use the console or a staff token: active, with one of the four roles."""
    return member.active and member.role in STAFF_ROLES
