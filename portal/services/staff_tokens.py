"""Staff API tokens, for the support team's integrations (a telephony system logs calls, a CRM reads the queue).

They live in the api_tokens table beside the customers' personal tokens, told apart by construction: a staff
token's id carries a hyphen (`staff-<hex>`), which the customers' `authenticate` never accepts, and its
presented form starts with `st_`, which `authenticate_staff` requires. Each call reads the staff member again, so
a changed role or a removed member takes effect at once.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

from portal.domain.staff import may_sign_in
from portal.services.api_tokens import ApiToken, TooManyTokens, may_be_token_id, note_use, secret_hash

PREFIX = "st_"
ID_PREFIX = "staff-"
OWNER_PREFIX = "staff#"  # the token's contact_id: `staff#<staff id>` (the by-contact index lists them)
STAFF_COMPANY = "#staff"  # never a company id
MAX_TOKENS_PER_MEMBER = 10

__all__ = ["TooManyTokens", "authenticate_staff", "create_staff_token", "revoke_staff_token", "staff_tokens_of"]


def _owner(staff_id: str) -> str:
    return f"{OWNER_PREFIX}{staff_id}"


def staff_tokens_of(tokens, staff_id: str) -> list[ApiToken]:
    """A staff member's tokens, newest first."""
    return tokens.tokens_of(_owner(staff_id))


def create_staff_token(tokens, member, name: str, now: datetime) -> tuple[str, ApiToken]:
    """A new token acting as this staff member; the clear text is returned once and never stored.

    :raise TooManyTokens: when the member holds the maximum already. :raise ValueError: an empty name.
    """
    if not name.strip():
        raise ValueError("name_required")
    if len([t for t in staff_tokens_of(tokens, member.staff_id) if not t.revoked]) >= MAX_TOKENS_PER_MEMBER:
        raise TooManyTokens()
    token_id, secret = f"{ID_PREFIX}{secrets.token_hex(8)}", secrets.token_urlsafe(32)
    token = ApiToken(token_id, _owner(member.staff_id), STAFF_COMPANY, name.strip()[:80], now)
    tokens.save(token, secret_hash(secret))
    return f"{PREFIX}{token_id}.{secret}", token


def revoke_staff_token(tokens, staff_id: str, token_id: str) -> bool:
    """Revoke one of the member's own tokens; another's token id changes nothing."""
    return tokens.revoke(_owner(staff_id), token_id)


def authenticate_staff(tokens, staff, presented: str, today=None):
    """The staff member behind a presented `st_staff-<id>.<secret>`, or None (unknown, altered, revoked, or a
    member who no longer exists, is deactivated or has no staff role). Two reads: the token, the member (and, the
    first time a day, with `today`, the day of use written)."""
    if not presented.startswith(PREFIX) or "." not in presented:
        return None
    token_id, _, secret = presented[len(PREFIX):].partition(".")
    unique = token_id[len(ID_PREFIX):]
    if not token_id.startswith(ID_PREFIX) or not may_be_token_id(token_id) or "-" in unique or not unique \
            or not secret:
        return None
    found = tokens.get(token_id)
    if found is None:
        return None
    token, stored_hash = found
    if token.revoked or token.company_id != STAFF_COMPANY or not hmac.compare_digest(stored_hash, secret_hash(secret)):
        return None
    member = staff.get(token.contact_id[len(OWNER_PREFIX):])
    if member is None or not may_sign_in(member):
        return None
    if today is not None:
        note_use(tokens, token, today)
    return member
