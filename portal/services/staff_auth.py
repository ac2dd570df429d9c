"""Support staff log in apart from customers: their own accounts (the staff table), the same password hashing
(argon2) and the same throttling as the customer login, on keys of their own.

As for customers, the answer never tells whether an e-mail address is known.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from portal.domain.accounts import StaffMember
from portal.domain.staff import may_sign_in
from portal.domain.throttle import FailureRecord, ThrottlePolicy, login_wait, record_failure
from portal.services.auth import DEFAULT_POLICY, LoginRefused, LoginThrottled, Passwords, normalize_email

__all__ = ["LoginRefused", "LoginThrottled", "log_in_staff", "staff_throttle_keys"]


def staff_throttle_keys(email: str, address: str) -> tuple[str, str]:
    """The staff account's own key, and the client address's key shared with the customer login (an address
    guessing passwords is slowed down on both forms)."""
    return f"staff-login#email#{normalize_email(email)}", f"login#addr#{address}"


def log_in_staff(staff, throttles, passwords: Passwords, email: str, password: str, address: str,
                 now: datetime, policy: ThrottlePolicy | None = None) -> StaffMember:
    """Check a staff member's password; failures slow down, then lock, per account and per address.

    :raise LoginThrottled: when the account or the address must wait before trying again.
    :raise LoginRefused: when the e-mail is unknown, the password wrong, the account deactivated or without a
        valid role (one answer for all).
    """
    policy = policy or DEFAULT_POLICY
    keys = staff_throttle_keys(email, address)
    records = throttles.get_many(keys)
    wait = max(login_wait(policy, records.get(key, FailureRecord(key)), now) for key in keys)
    if wait > timedelta(0):
        raise LoginThrottled(wait)
    member = staff.by_email(normalize_email(email)) if email.strip() else None
    known_hash = member.password_hash if member and member.password_hash else None
    matches = passwords.matches(known_hash or passwords.decoy_hash(), password)
    if not matches or known_hash is None or not may_sign_in(member):
        throttles.save_many([record_failure(policy, records.get(key, FailureRecord(key)), now) for key in keys],
                            policy)
        raise LoginRefused()
    if records.get(keys[0]):
        throttles.forget(keys[0])
    return member
