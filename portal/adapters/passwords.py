"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106's recommendations)."""

from __future__ import annotations

import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def decoy_hash() -> str:
    """A hash of a random password, computed once: checking it costs what a real check costs."""
    return _hasher.hash(secrets.token_urlsafe(24))


def argon2_passwords():
    """The Passwords bundle the services take, backed by argon2id."""
    from portal.services.auth import Passwords

    return Passwords(hash=hash_password, matches=password_matches, decoy_hash=decoy_hash)
