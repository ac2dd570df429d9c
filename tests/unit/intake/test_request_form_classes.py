"""The request form's class is made once per charter and language, and each language keeps its own labels."""

from __future__ import annotations

from portal.domain.charter import load_charter
from portal.web.app import create_app
from portal.web.requests.forms import fact_fields, request_form, request_form_class
from tests.builders import make_settings


def test_a_charter_in_one_language_has_one_form_class():
    charter = load_charter("example")
    assert request_form_class(charter, "fr") is request_form_class(charter, "fr")
    assert request_form_class(charter, "fr") is not request_form_class(charter, "nl")
    assert request_form_class(load_charter("example"), "fr") is not request_form_class(charter, "fr")


def test_forms_of_one_class_keep_their_own_data_and_labels_stay_in_their_language():
    charter = load_charter("example")
    app = create_app(make_settings(), charter=charter, storage=object())
    fact = next(f for f in charter.facts if f.kind not in ("version", "file"))
    with app.test_request_context("/?lang=fr"):
        first = request_form(charter, "fr", [("alpha-cam", "Alpha CAM")])
        second = request_form(charter, "fr", [("beta", "Beta")])
        dutch = request_form(charter, "nl", [("alpha-cam", "Alpha CAM")])
    first.subject.data = "Mine"
    assert second.subject.data != "Mine" and first.idempotency_key.data != second.idempotency_key.data
    assert [c.value for c in first.product.choices] == ["alpha-cam"]
    assert [c.value for c in second.product.choices] == ["beta"]
    labels = {name: field.label.text for name, field in fact_fields(first)}
    dutch_labels = {name: field.label.text for name, field in fact_fields(dutch)}
    assert labels[fact.id] == fact.label.get("fr") and dutch_labels[fact.id] == fact.label.get("nl")
