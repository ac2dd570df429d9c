"""Who is signed in: the signed session cookie carries what every page needs, so no page reads it again."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass

from flask import abort, redirect, request, session, url_for

from portal.domain.accounts import Contact


@dataclass(frozen=True)
class SignedInContact:
    contact_id: str
    company_id: str
    name: str
    email: str
    language: str
    roles: tuple[str, ...]


def sign_in(contact: Contact) -> None:
    """Start a new session for the contact (the old cookie's content is dropped: renewed at login). Pages start
    in the contact's language ("lang", which ?lang= changes); e-mails always go in it ("contact_lang")."""
    session.clear()
    session.update({"who": "contact", "sid": secrets.token_urlsafe(16), "contact_id": contact.contact_id,
                    "company_id": contact.company_id, "name": contact.name, "email": contact.email,
                    "lang": contact.language, "contact_lang": contact.language, "roles": list(contact.roles)})
    session.permanent = False


def sign_out() -> None:
    session.clear()


def current_contact() -> SignedInContact | None:
    if session.get("who") != "contact":
        return None
    return SignedInContact(session["contact_id"], session["company_id"], session.get("name", ""),
                           session.get("email", ""), session.get("contact_lang", "fr"), tuple(session.get("roles", ())))


def safe_next(target: str | None) -> str | None:
    """A local path to go back to after login; anything pointing elsewhere is dropped."""
    if target and target.startswith("/") and not target.startswith("//") and "\\\\" not in target:
        return target
    return None


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
