"""Signed, single-use set-password links: an invitation (valid 72 h) or a reset (valid 1 h) for a contact, a staff
member's invitation (valid 72 h, `staff_invitation`, the staff console's own page reads it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer

VALIDITY = {"invitation": timedelta(hours=72), "reset": timedelta(hours=1), "staff_invitation": timedelta(hours=72)}


class LinkInvalid(Exception):
    """The link is altered, expired, of another purpose, or already used."""


@dataclass(frozen=True)
class LinkClaim:
    company_id: str
    contact_id: str
    nonce: str
    purpose: str
    issued_at: datetime


class LinkSigner:
    """Signs and reads link tokens with the portal's secret key; `now` is always passed in."""

    def __init__(self, secret_key: str):
        self._serializer = URLSafeSerializer(secret_key, salt="portal.set-password")

    def sign(self, company_id: str, contact_id: str, nonce: str, purpose: str, now: datetime) -> str:
        if purpose not in VALIDITY:
            raise ValueError(f"unknown link purpose {purpose!r}")
        return self._serializer.dumps({"k": company_id, "c": contact_id, "n": nonce, "p": purpose,
                                       "t": int(now.timestamp())})

    def read(self, token: str, now: datetime) -> LinkClaim:
        """The claim of a valid, unexpired token.

        :raise LinkInvalid: when the token is altered, of an unknown purpose, or expired.
        """
        try:
            data = self._serializer.loads(token)
            claim = LinkClaim(str(data["k"]), str(data["c"]), str(data["n"]), str(data["p"]),
                              datetime.fromtimestamp(int(data["t"]), tz=now.tzinfo))
        except (BadSignature, KeyError, TypeError, ValueError) as error:
            raise LinkInvalid("altered") from error
        if claim.purpose not in VALIDITY:
            raise LinkInvalid("purpose")
        if not claim.issued_at <= now <= claim.issued_at + VALIDITY[claim.purpose]:
            raise LinkInvalid("expired")
        return claim
