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
from portal.domain.throttle import FailureRecord, ThrottlePolicy, login_wait, record_failure

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


class LinkInvalid(Exception):
    """A set-password link that is expired, altered or already used."""


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
