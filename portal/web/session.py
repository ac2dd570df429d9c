"""Who is signed in: the signed session cookie carries what every page needs, so a page reads the contact at most
once every five minutes (CONTACT_RECHECK): an erased contact, or one whose password changed, is signed out, and
changed roles apply, within that time; the other pages read nothing about them."""

from __future__ import annotations

import functools
import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import abort, redirect, request, session, url_for

from portal.domain.accounts import Contact

# How often a session reads its contact again, as the staff console's sessions do (STAFF_RECHECK): one GetItem every
# five minutes of use, never one per page.
CONTACT_RECHECK = timedelta(minutes=5)


@dataclass(frozen=True)
class SignedInContact:
    contact_id: str
    company_id: str
    name: str
    email: str
    language: str
    roles: tuple[str, ...]


def sign_in(contact: Contact, now: datetime | None = None) -> None:
    """Start a new session for the contact (the old cookie's content is dropped: renewed at login). Pages start
    in the contact's language ("lang", which ?lang= changes); e-mails always go in it ("contact_lang"). The session
    keeps a mark of the contact's password hash (which changes with their password) and when it was checked."""
    now = now or datetime.now(UTC)
    session.clear()
    session.update({"who": "contact", "sid": secrets.token_urlsafe(16), "contact_id": contact.contact_id,
                    "company_id": contact.company_id, "name": contact.name, "email": contact.email,
                    "lang": contact.language, "contact_lang": contact.language, "roles": list(contact.roles),
                    "password": password_mark(contact.password_hash), "checked": now.isoformat()})
    session.permanent = False


def sign_out() -> None:
    """Ends the contact's session; the language the visitor chose stays (the next page speaks it)."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def current_contact(now: datetime | None = None) -> SignedInContact | None:
    """The signed-in contact, or None (no session, a staff session, or one that ended at its check)."""
    if session.get("who") != "contact" or not session.get("contact_id") or not session.get("company_id"):
        return None
    if not _still_a_contact(now or datetime.now(UTC)):
        sign_out()
        return None
    return SignedInContact(session["contact_id"], session["company_id"], session.get("name", ""),
                           session.get("email", ""), session.get("contact_lang", "fr"), tuple(session.get("roles", ())))


def contact_checked_now() -> SignedInContact | None:
    """The signed-in contact read again at once: for what outlives the session, such as a new API token (an erased
    contact's session creates none, however recently it was checked)."""
    if session.get("who") == "contact":
        session.pop("checked", None)
    return current_contact()


def check_due(now: datetime, every: timedelta) -> bool:
    """Whether the session's account is to be read again: its last check (`checked`) is older than `every`, in the
    future, or missing (a session made before checks existed)."""
    try:
        checked = datetime.fromisoformat(session["checked"])
    except (KeyError, TypeError, ValueError):
        return True
    return not timedelta(0) <= now - checked <= every


def password_mark(password_hash: str | None) -> str:
    """What the session keeps of the password hash: enough to see the password changed, nothing to guess it from
    (a set-password link sent, which renews the link's nonce, signs no one out)."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:32]


def _still_a_contact(now: datetime) -> bool:
    """Whether the session's contact still exists with the same password, read again (name, language and roles
    refreshed in the session) once the last check is older than CONTACT_RECHECK; a session without a check (made
    before checks existed) is checked at once."""
    from portal.web.app import portal_context

    if not check_due(now, CONTACT_RECHECK):
        return True
    stored = portal_context().storage.accounts.contact(session["company_id"], session["contact_id"])
    if stored is None or password_mark(stored.password_hash) != session.get("password"):
        return False
    session.update({"name": stored.name, "email": stored.email, "contact_lang": stored.language,
                    "roles": list(stored.roles), "checked": now.isoformat()})
    return True


def safe_next(target: str | None) -> str | None:
    """A local path to go back to after login; anything that could point elsewhere is dropped: control characters
    (browsers drop tabs and newlines, so `/\\t/evil.example` is `//evil.example`), backslashes (read as slashes),
    a scheme or a host, or `//` at the start."""
    if not target or not target.startswith("/") or "\\" in target:
        return None
    if any(unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp") for character in target):
        return None
    parsed = urlsplit(target)
    if parsed.scheme or parsed.netloc or target.strip().startswith("//"):
        return None
    return target


def contact_required(view):
    """Pages for signed-in contacts: others go to the login page (the API answers 404 instead)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if current_contact() is None:
            if request.path.startswith("/api/"):
                abort(404)
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper
