from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.services.console import MAX_REFERENCE, MAX_TEXT


class StaffLoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class ActionForm(FlaskForm):
    """The shape of every action on a request: the revision the staff member saw, and what the action needs
    (the rules on what each action requires live in portal/services/console.py)."""

    revision = IntegerField(validators=[Optional()])
    text = TextAreaField(_l("Message"), validators=[Optional(), Length(max=MAX_TEXT)])
    outcome = StringField(_l("Outcome"), validators=[Optional(), Length(max=32)])  # one of console.OUTCOMES
    target = StringField(_l("Escalate to"), validators=[Optional(), Length(max=32)])  # console.ESCALATION_TARGETS
    reference = StringField(_l("External reference"), validators=[Optional(), Length(max=MAX_REFERENCE)])
    colleague = EmailField(_l("Colleague's e-mail address"), validators=[Optional(), Length(max=254)])
