"""Personal API tokens: created and revoked on the account page, shown once, stored as a hash."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from portal.domain.errors import BackendUnavailable, ConcurrentUpdate

log = logging.getLogger("portal.api")
PREFIX = "pt_"
MAX_TOKENS_PER_CONTACT = 10
# A token id is made here (16 hex digits, `staff-` before them for a staff token): an id longer than this, or of
# other characters, is none, and is never looked up (DynamoDB refuses keys over 2,048 bytes: a 500, not a 401).
MAX_TOKEN_ID = 64
_ID_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


@dataclass(frozen=True)
class ApiToken:
    token_id: str
    contact_id: str
    company_id: str
    name: str
    created_at: datetime
    revoked: bool = False
    last_used: date | None = None  # the last day a program called the API with it (UTC)


class TooManyTokens(Exception):
    """A contact holds at most MAX_TOKENS_PER_CONTACT active tokens."""


def may_be_token_id(token_id: str) -> bool:
    """Whether `token_id` could be the id of a token (a customer's or a staff member's) and so is worth a read."""
    return 0 < len(token_id) <= MAX_TOKEN_ID and _ID_CHARACTERS.issuperset(token_id)


def secret_hash(secret: str) -> str:
    """Tokens carry 256 random bits: a plain SHA-256 is enough (no password stretching needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(tokens, contact, name: str, now: datetime) -> tuple[str, ApiToken]:
    """A new token for the contact; the clear text is returned once and never stored.

    :raise TooManyTokens: when the contact holds the maximum already.
    """
    if len([t for t in tokens.tokens_of(contact.contact_id) if not t.revoked]) >= MAX_TOKENS_PER_CONTACT:
        raise TooManyTokens()
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    token = ApiToken(token_id, contact.contact_id, contact.company_id, name.strip()[:80], now)
    tokens.save(token, secret_hash(secret))
    return f"{PREFIX}{token_id}.{secret}", token


def revoke_token(tokens, contact, token_id: str) -> bool:
    """Revoke one of the contact's own tokens; another contact's token id changes nothing."""
    return tokens.revoke(contact.contact_id, token_id)


def note_use(tokens, token: ApiToken, today: date) -> None:
    """Keep the day a token was last used, so that its owner sees an unused or unexpected one and revokes it: at
    most one write per token and day (conditional: two calls at once write once); a write that fails is logged and
    never fails the call."""
    if token.last_used is not None and token.last_used >= today:
        return
    try:
        tokens.mark_used(token.token_id, today)
    except (BackendUnavailable, ConcurrentUpdate) as error:
        log.info("token use not recorded", extra={"token_id": token.token_id, "error": type(error).__name__})


def authenticate(tokens, presented: str, today: date | None = None) -> ApiToken | None:
    """The active token behind a presented `pt_<id>.<secret>`, or None: one read (and, the first time a day, with
    `today`, the day of use written), so that an API call stays within its budget of DynamoDB calls."""
    if not presented.startswith(PREFIX) or "." not in presented:
        return None
    token_id, _, secret = presented[len(PREFIX):].partition(".")
    if not may_be_token_id(token_id) or "-" in token_id or not secret:
        return None
    found = tokens.get(token_id)
    if found is None:
        return None
    token, stored_hash = found
    if token.revoked or not hmac.compare_digest(stored_hash, secret_hash(secret)):
        return None
    if today is not None:
        note_use(tokens, token, today)
    return token
