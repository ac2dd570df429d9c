"""Issue 11's audit trail beyond the personal-data pages: a console page showing contacts' details is recorded once
per view, naming the contacts by reference only; adding a contact and changing a designation (P2) are recorded;
every action the console records has a label in fr, nl and en."""

import json
from datetime import UTC, datetime

import pytest

from portal.adapters.files import LocalFileStore
from portal.web.staff.privacy import ACTION_LABELS
from tests.unit.staff.staff_builders import staff_client
from tests.unit.stewardship.builders import ANNA, BOB
from tests.unit.stewardship.test_privacy_pages import ADMIN
from tests.unit.stewardship.test_privacy_pages import app as privacy_app  # noqa: F401 (the same portal)

app = privacy_app


def trail(storage):
    return storage.audit.of_month(datetime.now(UTC).strftime("%Y-%m"))


def refs(app, *contacts):
    from portal.web.staff.audit import contact_ref

    with app.test_request_context():
        return " ".join(sorted(contact_ref(contact.contact_id, "acme") for contact in contacts))


def no_personal_data(entry) -> bool:
    text = json.dumps([entry.subject, entry.details]).lower()
    return not any(value.lower() in text for value in (ANNA.email, ANNA.name, ANNA.contact_id, BOB.email,
                                                       BOB.contact_id, "anna", "bob"))


def test_the_company_page_records_one_view_naming_every_contact_it_shows(app, moto_storage):
    with staff_client(app, ADMIN.email).get("/staff/admin/companies/acme") as response:
        assert ANNA.email in response.get_data(as_text=True)
    [entry] = trail(moto_storage)
    assert (entry.actor, entry.action, entry.subject, entry.company_id) == ("staff-ada", "contacts_shown",
                                                                           "company:acme", "acme")
    assert entry.details == {"contacts": refs(app, ANNA, BOB), "count": "2"} and no_personal_data(entry)


def test_the_consoles_request_page_records_a_view_of_the_customer_it_names(app, moto_storage):
    with staff_client(app).get("/staff/requests/2026-000003") as response:
        assert BOB.email in response.get_data(as_text=True)
    [entry] = trail(moto_storage)
    assert (entry.actor, entry.action, entry.subject) == ("tech-tom", "contacts_shown", "request:2026-000003")
    assert entry.details["contacts"] == refs(app, BOB) and no_personal_data(entry)


def test_the_request_page_of_an_erased_contact_shows_nobody_and_records_nothing(app, moto_storage, tmp_path):
    from portal.adapters.dynamo.personal_data import PersonalDataRepository
    from portal.adapters.dynamo.raw_tables import RawTables
    from portal.services.privacy import erase_contact
    from tests.unit.stewardship.builders import CHARTER

    erase_contact(PersonalDataRepository(RawTables(moto_storage.settings)), LocalFileStore(tmp_path / "files"), CHARTER,
                  "acme", BOB.contact_id, keep_files=True, throttle_key="login#email#bob@acme.example")
    with staff_client(app).get("/staff/requests/2026-000003") as response:
        assert response.status_code == 200
    assert trail(moto_storage) == []


def test_adding_a_contact_and_changing_a_designation_are_recorded(app, moto_storage):
    admin = staff_client(app, ADMIN.email)
    with admin.post("/staff/admin/companies/acme/contacts", data={
            "contact-email": "cleo@acme.example", "contact-name": "Cléo Vidal", "contact-language": "fr"}) as response:
        assert response.status_code == 302
    with admin.post(f"/staff/admin/companies/acme/contacts/{BOB.contact_id}/designation",
                    data={"roles": ["deputy"], "training_done": "y"}) as response:
        assert response.status_code == 302
    added, designated = reversed(trail(moto_storage))
    assert (added.action, added.company_id) == ("contact_added", "acme") and added.subject.startswith("contact:")
    assert (designated.action, designated.subject) == ("designation_changed", refs(app, BOB))
    assert designated.details == {"roles": "deputy", "training_done": "yes"}
    assert "cleo" not in json.dumps([added.subject, added.details]).lower() and no_personal_data(designated)


def test_the_audit_page_shows_each_action_by_its_label_with_its_details(app, moto_storage):
    admin = staff_client(app, ADMIN.email)
    admin.get("/staff/admin/companies/acme").close()
    with admin.get("/staff/audit") as response:
        page = response.get_data(as_text=True)
    assert "details shown" in page and "count=2" in page


@pytest.mark.parametrize("action", ["contacts_shown", "contact_added", "designation_changed", "staff_added",
                                    "role_changed", "staff_deactivated", "staff_reactivated"])
def test_every_recorded_action_has_a_label_in_each_language(app, action):
    from flask_babel import force_locale

    with app.test_request_context():
        texts = []
        for language in ("fr", "nl", "en"):
            with force_locale(language):
                texts.append(str(ACTION_LABELS[action]))
    assert len(set(texts)) == 3, texts
