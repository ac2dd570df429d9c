"""The request form: fixed fields, plus one field per fact the charter asks for (P4, G5, E6)."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

FACT_PREFIX = "fact_"
MAX_IDEMPOTENCY_KEY = 100  # as the API's Idempotency-Key (portal/api/tickets.py): it becomes part of a DynamoDB key


class RequestForm(FlaskForm):
    category = SelectField(_l("Kind of request"), validators=[DataRequired()])
    product = SelectField(_l("Product"), validators=[DataRequired()])
    version = StringField(_l("Version"), validators=[DataRequired(), Length(max=50)])
    severity = SelectField(_l("Impact"), coerce=int, validators=[DataRequired()])
    topic = SelectField(_l("Topic"), validators=[Optional()])
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    idempotency_key = HiddenField(validators=[Optional(), Length(
        max=MAX_IDEMPOTENCY_KEY, message=_l("This form has expired. Please reload the page and try again."))])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.idempotency_key.errors:  # altered: the form comes back with a key of its own, to send it again
            self.idempotency_key.data = secrets.token_urlsafe(16)
        return valid


_FORM_CLASSES: dict[tuple[int, str], tuple[object, type[RequestForm]]] = {}
KEPT_FORM_CLASSES = 32  # a process serves one charter in three languages; tests make many charters


def request_form_class(charter, language: str) -> type[RequestForm]:
    """The form class of a charter in a language, made once per process: its fields depend on nothing else."""
    kept = _FORM_CLASSES.get((id(charter), language))
    if kept is not None and kept[0] is charter:
        return kept[1]
    if len(_FORM_CLASSES) >= KEPT_FORM_CLASSES:
        _FORM_CLASSES.clear()
    form_class = _charter_form_class(charter, language)
    _FORM_CLASSES[(id(charter), language)] = (charter, form_class)
    return form_class


def _charter_form_class(charter, language: str) -> type[RequestForm]:
    class CharterRequestForm(RequestForm):
        pass

    for fact in charter.facts:
        if fact.kind == "version":
            continue
        label, help_text = fact.label.get(language), fact.help.get(language) if fact.help else ""
        if fact.kind == "longtext":
            field = TextAreaField(label, description=help_text, validators=[Optional(), Length(max=20_000)])
        elif fact.kind == "choice":
            field = SelectField(label, description=help_text, validators=[Optional()],
                                choices=[SelectChoice("", "—"),
                                         *(SelectChoice(c.id, c.label.get(language)) for c in fact.choices)])
        elif fact.kind == "file":
            continue  # files come as attachments
        else:
            field = StringField(label, description=help_text, validators=[Optional(), Length(max=4_000)])
        setattr(CharterRequestForm, FACT_PREFIX + fact.id, field)
    return CharterRequestForm


def request_form(charter, language: str, products, formdata=None) -> RequestForm:
    """A request form for this charter, in `language`, with a field per fact (shape only: rules are checked
    by the intake service)."""
    form_class = request_form_class(charter, language)
    form = form_class(formdata=formdata) if formdata is not None else form_class()
    form.category.choices = [SelectChoice(c.id, c.label.get(language)) for c in charter.categories]
    form.product.choices = [SelectChoice(value, label) for value, label in products]
    form.severity.choices = [SelectChoice(s.level, f"{s.level} — {s.label.get(language)}") for s in charter.severities]
    topics = [SelectChoice(t.id, t.label.get(language)) for t in (*charter.in_scope, *charter.out_of_scope)]
    form.topic.choices = [SelectChoice("", str(_l("Other / not sure"))), *topics]
    if not form.idempotency_key.data:
        form.idempotency_key.data = secrets.token_urlsafe(16)
    return form


def fact_fields(form):
    """The fact fields of a form, in the charter's order, with the fact id."""
    return [(name[len(FACT_PREFIX):], field) for name, field in form._fields.items() if name.startswith(FACT_PREFIX)]
