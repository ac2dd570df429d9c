"""Who is signed in on the staff console: the signed session cookie carries the staff member's id, name,
role and language, so a page reads the staff table at most once every five minutes (a deactivated member, or one
whose password changed, is signed out, a changed role applies, within that time).

A staff session says `who = "staff"`; a customer session says `who = "contact"`. Each side's pages admit
only their own kind, so neither session opens the other side's pages; signing in on one side clears the
other's session.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import abort, g, redirect, request, session, url_for

from portal.domain.accounts import StaffMember
from portal.web.session import check_due, password_mark

STAFF_SESSION_LIFETIME = timedelta(hours=12)  # a staff session ends after a working day, whatever the browser does
# How often a session reads its member again: a deactivated member is out, a changed role applies, within this time
# (one GetItem every five minutes of work, never one per page).
STAFF_RECHECK = timedelta(minutes=5)


@dataclass(frozen=True)
class SignedInStaff:
    staff_id: str
    name: str
    email: str
    role: str
    language: str


def sign_in_staff(member: StaffMember, now: datetime | None = None) -> None:
    """Start a new staff session (the old cookie's content, customer or staff, is dropped: renewed at login)."""
    now = now or datetime.now(UTC)
    session.clear()
    session.update({"who": "staff", "sid": secrets.token_urlsafe(16), "staff_id": member.staff_id,
                    "name": member.name, "email": member.email, "role": member.role, "lang": member.language,
                    "since": now.isoformat(), "checked": now.isoformat(),
                    "password": password_mark(member.password_hash)})
    session.permanent = False


def sign_out_staff() -> None:
    """Ends the staff member's session; the language chosen for the pages stays."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def current_staff(now: datetime | None = None) -> SignedInStaff | None:
    """The signed-in staff member, or None (no session, a customer's session, or one older than 12 hours)."""
    if session.get("who") != "staff" or not session.get("staff_id"):
        return None
    try:
        since = datetime.fromisoformat(session["since"])
    except (KeyError, TypeError, ValueError):
        return None
    if (now or datetime.now(UTC)) - since > STAFF_SESSION_LIFETIME:
        return None
    return SignedInStaff(session["staff_id"], session.get("name", ""), session.get("email", ""),
                         session.get("role", ""), session.get("lang", "fr"))


def _wants_json() -> bool:
    return request.path.startswith("/staff/api/") or request.path.startswith("/api/staff")


def staff_required(*roles: str):
    """Pages of the staff console, for the given roles (none given: any staff role).

    No staff session: the staff login page (a JSON path answers 401). A staff member whose role is not
    admitted: 403. The signed-in member is `g.staff` inside the view.
    """
    if len(roles) == 1 and callable(roles[0]):  # used bare: @staff_required
        return staff_required()(roles[0])

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            member = current_staff()
            if member is None:
                if _wants_json():
                    abort(401)
                return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))
            member = _still_on_the_team(member)
            if member is None:
                sign_out_staff()
                if _wants_json():
                    abort(401)
                return redirect(url_for("staff.login"))
            if roles and member.role not in roles:
                abort(403)
            g.staff = member
            return view(*args, **kwargs)

        wrapper.staff_roles = roles
        return wrapper

    return decorate


def _still_on_the_team(member: SignedInStaff, now: datetime | None = None) -> SignedInStaff | None:
    """The session's member as the staff table has them now, read again once the last check is older than
    STAFF_RECHECK (their role and name refreshed in the session); None when they were deactivated or removed, or
    their password changed (a session opened before a reset ends with it)."""
    from portal.domain.staff import may_sign_in
    from portal.web.app import portal_context

    now = now or datetime.now(UTC)
    if not check_due(now, STAFF_RECHECK):
        return member
    stored = portal_context().storage.staff.get(member.staff_id)
    if stored is None or not may_sign_in(stored) or password_mark(stored.password_hash) != session.get("password"):
        return None  # removed, deactivated, or their password changed since this session began
    session.update({"name": stored.name, "role": stored.role, "lang": stored.language, "checked": now.isoformat()})
    return SignedInStaff(stored.staff_id, stored.name, stored.email, stored.role, stored.language)
