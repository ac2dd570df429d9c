"""An e-mail the portal sends, as a value; adapters deliver it (SES, or the outbox folder)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    text: str
    html: str | None = None
    language: str = "fr"
    headers: dict[str, str] = field(default_factory=dict)  # e.g. In-Reply-To for a ticket's thread
