"""Contacts log in, set their password from an invitation, and reset a forgotten one.

The answers never tell whether an e-mail address is known: an unknown address costs the same
password check and gets the same message as a wrong password.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from portal.domain.accounts import Contact
from portal.domain.errors import ConcurrentUpdate, NotFound
from portal.domain.mail import OutgoingMail
from portal.domain.throttle import FailureRecord, ThrottlePolicy, login_wait, record_failure
from portal.i18n import mark, translate
from portal.services.links import LinkInvalid

INVITATION_VALIDITY = timedelta(hours=72)
RESET_VALIDITY = timedelta(hours=1)
MIN_PASSWORD_LENGTH = 12
DEFAULT_POLICY = ThrottlePolicy()


class LoginRefused(Exception):
    """Wrong e-mail or password (one message for both)."""


class LoginThrottled(Exception):
    """Too many recent failures for this account or this address; `wait` says for how long."""

    def __init__(self, wait: timedelta):
        super().__init__(f"retry in {wait}")
        self.wait = wait


class PasswordTooWeak(ValueError):
    """The new password is too short or too common."""


@dataclass(frozen=True)
class Passwords:
    """Password hashing, passed in so that tests can use a fast double.

    `decoy_hash()` is a real hash of a random password: an unknown e-mail costs the same check.
    """

    hash: Callable[[str], str]
    matches: Callable[[str | None, str], bool]
    decoy_hash: Callable[[], str]


def throttle_keys(email: str, address: str) -> tuple[str, str]:
    return f"login#email#{normalize_email(email)}", f"login#addr#{address}"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def log_in(accounts, throttles, passwords: Passwords, email: str, password: str, address: str,
           now: datetime, policy: ThrottlePolicy | None = None) -> Contact:
    """Check the password; failures slow down, then lock, per account and per address.

    :raise LoginThrottled: when the account or the address must wait before trying again.
    :raise LoginRefused: when the e-mail is unknown or the password wrong (one answer for both).
    """
    policy = policy or DEFAULT_POLICY
    keys = throttle_keys(email, address)
    records = throttles.get_many(keys)
    wait = max(login_wait(policy, records.get(key, FailureRecord(key)), now) for key in keys)
    if wait > timedelta(0):
        raise LoginThrottled(wait)
    contact = accounts.contact_by_email(normalize_email(email)) if email.strip() else None
    known_hash = contact.password_hash if contact and contact.password_hash else None
    if not passwords.matches(known_hash or passwords.decoy_hash(), password) or known_hash is None:
        throttles.save_many([record_failure(policy, records.get(key, FailureRecord(key)), now) for key in keys],
                            policy)
        raise LoginRefused()
    if records.get(keys[0]):
        throttles.forget(keys[0])
    return contact


def check_password_strength(password: str, email: str = "") -> None:
    """A password has at least 12 characters and is not the e-mail address.

    :raise PasswordTooWeak: otherwise.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooWeak("too_short")
    if email and normalize_email(password) == normalize_email(email):
        raise PasswordTooWeak("is_email")


def new_password_nonce() -> str:
    return secrets.token_urlsafe(16)


def _send_link(accounts, mailer, signer, contact: Contact, purpose: str, now: datetime, link_for) -> None:
    nonce = new_password_nonce()
    accounts.renew_password_nonce(contact.company_id, contact.contact_id, nonce)
    link = link_for(signer.sign(contact.company_id, contact.contact_id, nonce, purpose, now))
    mailer.send(set_password_mail(contact, purpose, link))


def invite_contact(accounts, mailer, signer, company_id: str, contact_id: str, now: datetime, link_for) -> Contact:
    """E-mail a contact a signed, single-use link to set a password, valid 72 hours.

    :raise NotFound: when there is no such contact.
    """
    contact = accounts.contact(company_id, contact_id)
    if contact is None:
        raise NotFound(contact_id)
    _send_link(accounts, mailer, signer, contact, "invitation", now, link_for)
    return contact


def request_password_reset(accounts, mailer, signer, email: str, now: datetime, link_for) -> None:
    """E-mail a reset link valid 1 hour when the address is known; the caller answers the same either way."""
    contact = accounts.contact_by_email(normalize_email(email))
    if contact is not None:
        _send_link(accounts, mailer, signer, contact, "reset", now, link_for)


def set_password_from_link(accounts, passwords: Passwords, signer, token: str, new_password: str,
                           now: datetime) -> Contact:
    """Set the password of the link's contact; the link then stops working.

    :raise LinkInvalid: when the link is altered, expired or used already.
    :raise PasswordTooWeak: when the password is too short or is the e-mail address.
    """
    claim = signer.read(token, now)
    contact = accounts.contact(claim.company_id, claim.contact_id)
    if contact is None or contact.password_nonce != claim.nonce:
        raise LinkInvalid("used")
    check_password_strength(new_password, contact.email)
    try:
        accounts.set_password(contact.company_id, contact.contact_id, passwords.hash(new_password), claim.nonce,
                              new_password_nonce())
    except ConcurrentUpdate as error:
        raise LinkInvalid("used") from error
    return contact


def link_is_usable(accounts, signer, token: str, now: datetime) -> bool:
    """Whether a set-password link can still be used (to show the form or say why not)."""
    try:
        claim = signer.read(token, now)
    except LinkInvalid:
        return False
    contact = accounts.contact(claim.company_id, claim.contact_id)
    return contact is not None and contact.password_nonce == claim.nonce


def set_password_mail(contact: Contact, purpose: str, link: str) -> OutgoingMail:
    """The invitation or reset e-mail, in the contact's language."""
    lang = contact.language
    if purpose == "invitation":
        subject = translate(lang, mark("Your access to the support portal"))
        intro = translate(lang, mark("You are invited to the support portal. Choose your password here "
                                     "(the link works once, for 72 hours):"))
    else:
        subject = translate(lang, mark("Reset your support portal password"))
        intro = translate(lang, mark("Choose a new password here (the link works once, for one hour):"))
    ignore = translate(lang, mark("If you did not expect this message, you can ignore it."))
    greeting = translate(lang, mark("Hello %(name)s,"), name=contact.name)
    text = f"{greeting}\n\n{intro}\n{link}\n\n{ignore}\n"
    return OutgoingMail(to=contact.email, subject=subject, text=text, language=lang, kept_if_refused=False)
