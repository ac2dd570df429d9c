"""A ticket's history as domain values: append-only events (who, when, what, public or internal)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType


class EventKind(StrEnum):
    RECEIVED = "received"
    MESSAGE = "message"  # a reply to the customer (public) or an internal note (not public)
    CONTACT_ATTEMPT = "contact_attempt"  # data["outcome"]: "reached" | "voicemail" | "no_answer" (S5, S6, S11)
    WAITING_CUSTOMER = "waiting_customer"  # asked the customer for information (S12's clock starts)
    AWAITING_FILES = "awaiting_files"  # asked for files: closed meanwhile (S13)
    CUSTOMER_REPLIED = "customer_replied"
    FILES_RECEIVED = "files_received"
    RESOLVED = "resolved"  # S14
    CLOSED = "closed"  # data["reason"]
    REOPENED = "reopened"
    CLAIMED = "claimed"  # S7: the technician who answers owns the request
    ESCALATED = "escalated"  # T6, G2, G9, E3
    SURVEY_ANSWERED = "survey_answered"  # G3
    DIRECTOR_REVIEW = "director_review"  # T8
    REMINDER_SENT = "reminder_sent"  # data["rule"]: e.g. "S12-reminder", "response-warning" (sent once)
    RESPONSE_MISSED = "response_missed"  # the committed response time passed unanswered (internal, for the dashboard)
    PROBLEM_LINKED = "problem_linked"  # data["problem"], data["kind"]: defect (S9, T8) or feature backlog (P8)


NO_DATA: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class TicketEvent:
    kind: EventKind
    at: datetime
    actor: str = ""
    public: bool = True
    data: Mapping[str, str] = field(default_factory=lambda: NO_DATA)
