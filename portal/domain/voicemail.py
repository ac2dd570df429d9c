"""What a technician says on a customer's voicemail (rules S5, S6)."""

from __future__ import annotations

from datetime import datetime

from portal.domain.calendar import customer_calendar_for


def voicemail_message(charter, now: datetime) -> str:
    """Rule S5: during the customer's working hours, leave a message ("message_left", recorded in the history);
    rule S6: outside them, say support calls back on the next business day ("call_back_next_business_day")."""
    return "message_left" if customer_calendar_for(charter).is_open(now) else "call_back_next_business_day"
