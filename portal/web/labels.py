"""Names of states and history events in the visitor's language (for pages and e-mails)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "new": _l("received, waiting for a technician"),
    "in_progress": _l("in progress"),
    "waiting_customer": _l("waiting for your answer"),
    "awaiting_files": _l("closed until your files arrive"),
    "escalated": _l("escalated"),
    "resolved": _l("resolved"),
    "closed": _l("closed"),
}

EVENT_LABELS = {
    "received": _l("Request received"),
    "message": _l("Message from support"),
    "contact_attempt": _l("Support tried to reach you"),
    "waiting_customer": _l("Support asked you for information"),
    "awaiting_files": _l("Support asked you for files; the request is closed until they arrive"),
    "customer_replied": _l("Your message"),
    "files_received": _l("Files received"),
    "resolved": _l("Resolved"),
    "closed": _l("Closed"),
    "reopened": _l("Reopened"),
    "claimed": _l("A technician took charge of your request"),
    "escalated": _l("Escalated"),
    "survey_answered": _l("Satisfaction survey answered"),
    "problem_linked": _l("Recorded with a known problem or a planned improvement"),
    "reminder_sent": _l("Reminder sent to you"),
    "director_review": _l("Reviewed by the director"),
    "response_missed": _l("Response time missed"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


ESCALATION_LABELS = {
    "publisher": _l("With the publisher since %(date)s"),
    "rnd": _l("With research and development since %(date)s"),
    "senior": _l("With a senior colleague since %(date)s"),
}


def event_label(event) -> str:
    kind = str(getattr(event.kind, "value", event.kind))
    target = event.data.get("target") if kind == "escalated" and event.data else None
    if target in ESCALATION_LABELS:  # rules T6, G2, G9, E3: the customer sees with whom, and since when
        from flask_babel import format_date

        return str(ESCALATION_LABELS[target]) % {"date": format_date(event.at, "long")}
    return str(EVENT_LABELS.get(kind, kind))
