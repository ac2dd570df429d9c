"""When an answer is due, by the charter's commitment for a tier and severity, and why (rules S4, T3, E10, G1).

The explanation is built as parts (a message id and its values) so that it can be worded in the reader's
language; `render_explanation` words them in fr, nl or en from the small template table below:
"Received Friday 20 November 2026, 17:30, outside opening hours." ... "Weekend skipped." ...
"Due Monday 23 November 2026, 10:30." `ResponseDue.explanation` holds the English wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.domain.calendar import BusinessCalendar, calendar_for

SEVERITIES = (1, 2, 3, 4)  # the common scale of E10: 1 production stopped ... 4 no production impact
LANGUAGES = ("fr", "nl", "en")
WEEKEND_DAYS = (5, 6)


@dataclass(frozen=True)
class Part:
    """One step of an explanation: `message` names the wording, `values` fill it."""

    message: str
    values: tuple[tuple[str, object], ...] = ()

    def value(self, name: str):
        return dict(self.values)[name]


@dataclass(frozen=True)
class ResponseDue:
    due: datetime | None  # None where the charter commits to no response time (G1, E10 Standard)
    target: datetime | None  # a target shown beside the commitment (T3: "usually within two hours")
    explanation: tuple[str, ...]  # the parts worded in English; `render_explanation` words them in fr or nl
    commitment: object
    parts: tuple[Part, ...]


class SeverityOutOfRange(ValueError):
    """A severity outside the common scale 1-4."""


def _part(message: str, **values) -> Part:
    return Part(message, tuple(values.items()))


def eligibility(charter, tier_id: str) -> bool:
    """Rules S1, E1: may this tier open requests at all.

    :raise UnknownTier: for a tier the charter does not have.
    """
    return charter.tier(tier_id).may_open_requests


def _received_part(calendar: BusinessCalendar, received: datetime) -> Part:
    local = received.astimezone(calendar.zone)
    return _part("received_open" if calendar.is_open(received) else "received_closed", at=local)


def _day_parts(calendar: BusinessCalendar, start: datetime, end: datetime) -> list[Part]:
    """Per day between two instants: the open time counted, or why the day was skipped."""
    parts: list[Part] = []
    day, last = start.astimezone(calendar.zone).date(), end.astimezone(calendar.zone).date()
    while day <= last:
        reason = calendar.closed_reason(day)
        if reason == "weekend" and day.weekday() in WEEKEND_DAYS:
            if not parts or parts[-1].message != "skipped_weekend":  # Saturday and Sunday read as one weekend
                parts.append(_part("skipped_weekend", day=day, reason=reason))
        elif reason is not None:
            parts.append(_part("skipped_holiday", day=day, reason="closed" if reason == "weekend" else reason))
        else:
            counted = calendar.business_time_on(day, start, end)
            if counted:
                parts.append(_part("counted", day=day, duration=counted))
        day += timedelta(days=1)
    return parts


def due_instant(calendar: BusinessCalendar, commitment, received: datetime) -> datetime | None:
    """The due instant alone (the sweeps' and the queue's fast path): rules E10, T3, S4; None for G1."""
    if commitment.kind == "business_hours":
        return calendar.add_business_hours(received, timedelta(hours=commitment.amount))
    if commitment.kind == "end_of_business_day":
        return calendar.end_of_business_day(received)
    if commitment.kind == "business_days":
        return calendar.add_business_days(received, int(commitment.amount))
    return None


def response_due(charter, tier_id: str, severity: int, received: datetime,
                 calendar: BusinessCalendar | None = None) -> ResponseDue:
    """Rules E10, T3, S4, G1: the instant an answer is due (None where the charter commits to none), and why.

    :raise UnknownTier: for a tier the charter does not have. :raise SeverityOutOfRange: outside 1-4.
    :raise NaiveDatetimeError: for a time without a zone.
    """
    if severity not in SEVERITIES:
        raise SeverityOutOfRange(f"severity must be 1 to 4, not {severity}")
    calendar = calendar or calendar_for(charter)
    commitment = charter.commitment(tier_id, severity)
    parts = [_received_part(calendar, received)]
    due = due_instant(calendar, commitment, received)
    target = None
    if commitment.kind == "business_hours":
        parts.append(_part("commitment_hours", hours=commitment.amount))
    elif commitment.kind == "end_of_business_day":
        parts.append(_part("commitment_same_day"))
        if commitment.target_business_hours:  # a target is never later than the commitment it sits beside
            target = min(due, calendar.add_business_hours(received, timedelta(hours=commitment.target_business_hours)))
    elif commitment.kind == "business_days":
        parts.append(_part("commitment_days", days=int(commitment.amount)))
    if due is None:
        parts.append(_part("no_commitment"))
    else:
        parts += _day_parts(calendar, received, due)
        parts.append(_part("due", at=due))
        if target is not None:
            parts.append(_part("target", at=target, hours=commitment.target_business_hours))
    parts_tuple = tuple(parts)
    return ResponseDue(due, target, render_explanation(parts_tuple, "en", calendar), commitment, parts_tuple)


def business_days_of(parts) -> tuple[date, ...]:
    """The days an explanation counted time on (used by tests and the staff view)."""
    return tuple(part.value("day") for part in parts if part.message == "counted")


# --- wording ----------------------------------------------------------------------------------------

MESSAGES: dict[str, dict[str, str]] = {
    "received_open": {
        "en": "Received {at}, during opening hours.",
        "fr": "Reçue le {at}, pendant les heures d'ouverture.",
        "nl": "Ontvangen op {at}, tijdens de openingsuren.",
    },
    "received_closed": {
        "en": "Received {at}, outside opening hours.",
        "fr": "Reçue le {at}, en dehors des heures d'ouverture.",
        "nl": "Ontvangen op {at}, buiten de openingsuren.",
    },
    "commitment_hours": {
        "en": "The commitment is an answer within {hours} business hours.",
        "fr": "L'engagement est une réponse sous {hours} heures ouvrées.",
        "nl": "De verbintenis is een antwoord binnen {hours} werkuren.",
    },
    "commitment_same_day": {
        "en": "The commitment is an answer the same business day.",
        "fr": "L'engagement est une réponse le jour ouvré même.",
        "nl": "De verbintenis is een antwoord op dezelfde werkdag.",
    },
    "commitment_days": {
        "en": "The commitment is an answer within {days} business days.",
        "fr": "L'engagement est une réponse sous {days} jours ouvrés.",
        "nl": "De verbintenis is een antwoord binnen {days} werkdagen.",
    },
    "counted": {
        "en": "{duration} counted on {day}.",
        "fr": "{duration} comptées le {day}.",
        "nl": "{duration} geteld op {day}.",
    },
    "skipped_weekend": {
        "en": "Weekend skipped.",
        "fr": "Week-end non compté.",
        "nl": "Weekend overgeslagen.",
    },
    "skipped_holiday": {
        "en": "{day} skipped ({reason}).",
        "fr": "{day} non compté ({reason}).",
        "nl": "{day} overgeslagen ({reason}).",
    },
    "due": {
        "en": "Due {at}.",
        "fr": "Échéance : {at}.",
        "nl": "Uiterlijk: {at}.",
    },
    "target": {
        "en": "Usually answered within {hours} business hours, by {at}.",
        "fr": "Habituellement traitée sous {hours} heures ouvrées, soit avant le {at}.",
        "nl": "Meestal beantwoord binnen {hours} werkuren, dus vóór {at}.",
    },
    "no_commitment": {
        "en": "No response time is committed: requests are handled in the order they arrive.",
        "fr": "Aucun délai de réponse n'est garanti : les demandes sont traitées dans leur ordre d'arrivée.",
        "nl": "Er geldt geen gegarandeerde antwoordtermijn: aanvragen worden behandeld in volgorde van binnenkomst.",
    },
}

DAY_NAMES = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
}
MONTH_NAMES = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
}
CLOSED_DAY = {"en": "closed", "fr": "fermé", "nl": "gesloten"}


def _day_words(day: date, language: str) -> str:
    return f"{DAY_NAMES[language][day.weekday()]} {day.day} {MONTH_NAMES[language][day.month - 1]}"


def _duration_words(value: timedelta) -> str:
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes:02d}"
    return f"{hours} h" if hours else f"{minutes} min"


def _number_words(value, language: str) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text.replace(".", ",") if language in ("fr", "nl") else text


def _words(name: str, value, language: str, zone) -> str:
    if name == "at":
        local = value.astimezone(zone) if zone is not None and value.tzinfo is not zone else value
        return f"{_day_words(local.date(), language)} {local.year}, {local:%H:%M}"
    if name == "day":
        return _day_words(value, language)
    if name == "duration":
        return _duration_words(value)
    return _number_words(value, language)


def render_explanation(parts, language: str = "en", calendar: BusinessCalendar | None = None) -> tuple[str, ...]:
    """The explanation's sentences in `language` (fr, nl or en; English for any other). Times are shown in the
    calendar's zone, and holidays named in that language where the holiday data has the name."""
    language = language if language in LANGUAGES else "en"
    zone = calendar.zone if calendar is not None else None
    lines = []
    for part in parts:
        values = {name: _words(name, value, language, zone) for name, value in part.values}
        if part.message == "skipped_holiday":
            reason = part.value("reason")
            if reason == "closed":
                values["reason"] = CLOSED_DAY[language]
            elif calendar is not None:
                values["reason"] = calendar.holiday_name(part.value("day"), language) or reason
        lines.append(MESSAGES[part.message][language].format(**values))
    return tuple(lines)
