"""Forms and labels of the managers' and director's pages: problem records, the weekly meeting, the director's
review and the follow-up tasks (shape only; the rules live in portal.domain and portal.services)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.domain.meeting import MAX_NEXT_STEP
from portal.domain.problems import CAUSES, DEFECT, FEATURE, MAX_TEXT, MAX_TITLE
from portal.services.lead import (
    CLOSE_FEATURE_REQUEST,
    CLOSE_NOT_CRITICAL,
    ESCALATE_MALFUNCTION,
    MAX_NOTE,
    SATISFACTION_FOLLOW_UP,
)

KIND_LABELS = {DEFECT: _l("Problem database (defect for quality control)"),
               FEATURE: _l("Feature backlog (suggestion for a future version)")}
SHORT_KIND_LABELS = {DEFECT: _l("defect"), FEATURE: _l("feature request")}
STATUS_LABELS = {"open": _l("open"), "closed": _l("closed")}
CAUSE_LABELS = {"program_defect": _l("A programming defect"), "misuse": _l("Misuse of the software"),
                "wrong_data": _l("Wrong data"), "computer": _l("The computer, its system or network")}
DECISION_LABELS = {
    CLOSE_NOT_CRITICAL: _l("Close: not critical"),
    CLOSE_FEATURE_REQUEST: _l("Close as a feature request for a future version (feature backlog)"),
    ESCALATE_MALFUNCTION: _l("Escalate the malfunction for correction (problem database)"),
}
TASK_LABELS = {"dissatisfied_survey": _l("Dissatisfied survey answer: contact the customer"),
               "director_review": _l("Director's review after ten business days"),
               "response_at_risk": _l("Response time at risk: make sure the customer is answered"),
               SATISFACTION_FOLLOW_UP: _l("Satisfaction follow-up after the director's decision")}
NEXT_STEP_LABELS = {
    "take_it": _l("A technician takes the request"),
    "answer_customer": _l("Answer the customer"),
    "await_customer": _l("Wait for the customer's answer"),
    "follow_escalation": _l("Follow the escalation"),
    "await_files": _l("Wait for the customer's files"),
    "await_confirmation": _l("Wait for the customer's confirmation"),
    "close": _l("Closes"),
    "remind": _l("Reminder to the customer"),
    "reopen": _l("Reopens"),
    "director_review": _l("The director reviews it"),
}
CONTACT_LABELS = {
    "received": _l("request filed"), "customer_replied": _l("customer's message"),
    "files_received": _l("customer's files"), "reopened": _l("reopened by the customer"),
    "message": _l("reply to the customer"), "contact_attempt": _l("call"),
    "waiting_customer": _l("question to the customer"), "awaiting_files": _l("files asked for"),
}
OUTCOME_LABELS = {"reached": _l("reached"), "voicemail": _l("voicemail"), "no_answer": _l("no answer")}
REFUSALS = {
    "not_a_defect": _l("Quality control takes programming defects only: not misuse, wrong data or the computer "
                       "(rule S9)."),
    "unknown_cause": _l("Say what caused the problem."),
    "already_linked": _l("This request is linked to a problem record already."),
    "closed": _l("This record is closed: open it again or choose another."),
    "title_required": _l("Give the record a title."),
    "title_too_long": _l("The title is too long."),
    "unknown_kind": _l("Choose the problem database or the feature backlog."),
    "resolution_required": _l("Say how it ended (for example the version that fixes it)."),
    "wrong_kind": _l("This record is of the other kind: a malfunction goes to the problem database, a feature "
                     "request to the feature backlog."),
    "not_found": _l("There is no such request or record."),
}


def label(table: dict, code: str) -> str:
    return str(table.get(code, code))


class ProblemForm(FlaskForm):
    kind = SelectField(_l("Where it goes"), validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    product = StringField(_l("Product"), validators=[Optional(), Length(max=100)])
    version = StringField(_l("Version"), validators=[Optional(), Length(max=50)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=MAX_TEXT)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(kind, str(text)) for kind, text in KIND_LABELS.items()]


class LinkForm(FlaskForm):
    number = StringField(_l("Request number"), validators=[DataRequired(), Length(max=32)])
    cause = SelectField(_l("Cause found"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cause.choices = [SelectChoice("", "—"), *(SelectChoice(c, str(CAUSE_LABELS[c])) for c in CAUSES)]


class CloseProblemForm(FlaskForm):
    resolution = StringField(_l("How it ended"), validators=[DataRequired(), Length(max=MAX_TEXT)])


class NextStepForm(FlaskForm):
    text = StringField(_l("Next step"), validators=[DataRequired(), Length(max=MAX_NEXT_STEP)])


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), validators=[DataRequired()])
    problem = StringField(_l("Existing record (optional)"), validators=[Optional(), Length(max=32)])
    note = TextAreaField(_l("What the customer was told"), validators=[Optional(), Length(max=MAX_NOTE)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = [SelectChoice(code, str(text)) for code, text in DECISION_LABELS.items()]


class AssignForm(FlaskForm):
    email = EmailField(_l("Owner's e-mail address"), validators=[DataRequired(), Length(max=254)])


class TaskDoneForm(FlaskForm):
    note = TextAreaField(_l("What was done"), validators=[DataRequired(), Length(max=MAX_NOTE)])


class EmptyForm(FlaskForm):
    """A button: only the CSRF token."""
