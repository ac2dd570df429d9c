"""An e-mail the portal sends, as a value; adapters deliver it (SES, or the outbox folder)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from portal.domain.errors import BackendUnavailable


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    text: str
    html: str | None = None
    language: str = "fr"
    headers: dict[str, str] = field(default_factory=dict)  # e.g. In-Reply-To for a ticket's thread
    kept_if_refused: bool = True  # False for a link the reader asks again for (a new one voids the old one)


# How long a mail the mail service refused waits before each new try; after the last, it is given up.
MAIL_RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=3),
                     timedelta(hours=6), timedelta(hours=12))


def next_mail_attempt(failed_tries: int, now: datetime) -> datetime | None:
    """When a refused mail is tried again after `failed_tries` refusals (5 min, 15 min, 1 h, 3 h, 6 h, 12 h: some
    27 hours in all), or None when it is given up."""
    if failed_tries < 1 or failed_tries > len(MAIL_RETRY_DELAYS):
        return None
    return now + MAIL_RETRY_DELAYS[failed_tries - 1]


@dataclass(frozen=True)
class KeptMail:
    """A mail the mail service refused, kept until it is sent or given up."""

    key: str
    mail: OutgoingMail
    kept_at: datetime
    failed_tries: int
    next_try: datetime


class MailKept(BackendUnavailable):
    """The mail service did not take the mail: it is kept and will be sent again."""


class MailRejected(BackendUnavailable):
    """The mail service refused this mail for good (an address it will never take, a malformed message): sending
    it again cannot help, so it is given up at once instead of being kept."""
