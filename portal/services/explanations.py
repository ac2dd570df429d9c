"""Words for a due-time explanation (portal.domain.sla parts) in the reader's language."""

from __future__ import annotations

from datetime import timedelta

from babel.dates import format_date, format_datetime

from portal.i18n import mark, translate

MESSAGES = {
    "received_open": mark("Received %(at)s, during opening hours."),
    "received_closed": mark("Received %(at)s, outside opening hours."),
    "commitment_hours": mark("The commitment is an answer within %(hours)s business hours."),
    "commitment_same_day": mark("The commitment is an answer the same business day."),
    "commitment_days": mark("The commitment is an answer within %(days)s business days."),
    "counted": mark("%(duration)s counted on %(day)s."),
    "skipped_weekend": mark("Weekend skipped."),
    "skipped_holiday": mark("%(day)s skipped (%(reason)s)."),
    "due": mark("Due %(at)s."),
    "target": mark("Usually answered within %(hours)s business hours, by %(at)s."),
    "no_commitment": mark("No response time is committed: requests are handled in the order they arrive."),
}


def _duration(value: timedelta) -> str:
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d}" if hours and minutes else (f"{hours} h" if hours else f"{minutes} min")


def _word(name: str, value, language: str) -> str:
    if name == "at":
        return format_datetime(value, "EEEE d MMMM y, HH:mm", tzinfo=value.tzinfo, locale=language)
    if name == "day":
        return format_date(value, "EEEE d MMMM", locale=language)
    if name == "duration":
        return _duration(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def explain(parts, language: str, calendar=None) -> list[str]:
    """The explanation's sentences in `language` (fr, nl or en); holiday names in that language where the
    calendar's holiday data has it."""
    lines = []
    for part in parts:
        values = {name: _word(name, value, language) for name, value in part.values}
        if part.message == "skipped_holiday" and calendar is not None:
            values["reason"] = calendar.holiday_name(part.value("day"), language) or values["reason"]
        lines.append(translate(language, MESSAGES[part.message], **values))
    return lines
