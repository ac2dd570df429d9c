"""Personal-data pages: a contact downloads their own archive; an admin finds a contact, downloads their archive,
erases them, and reads the audit trail of it all; other roles are refused."""

import csv
import io
import json
import zipfile

import pytest

from portal.adapters.files import LocalFileStore
from tests.unit.staff.staff_builders import make_staff, staff_app, staff_client
from tests.unit.stewardship.builders import ANNA, company_with_history

ADMIN = make_staff(staff_id="staff-ada", email="ada@vendor.example", name="Ada", role="admin")
TOM = make_staff()


@pytest.fixture
def app(moto_storage, tmp_path):
    app = staff_app(moto_storage, tmp_path, ADMIN, TOM, data_dir=tmp_path)
    company_with_history(moto_storage, LocalFileStore(tmp_path / "files"))
    return app


def admin(app):
    return staff_client(app, ADMIN.email)


def contact_page(company="acme", contact=ANNA.contact_id):
    return f"/staff/privacy/{company}/{contact}"


def test_a_contact_downloads_everything_the_portal_holds_about_them(app):
    client = app.test_client()
    assert client.post("/login", data={"email": ANNA.email, "password": "correct horse battery"}).status_code == 302
    assert b"/account/personal-data" in client.get("/account").data

    response = client.post("/account/personal-data")

    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"profile.json", "requests/2026-000001.json", "requests/2026-000002.json", "survey_answers.json",
            "files/2026-000002/anna-journal.log"} <= names
    assert "requests/2026-000003.json" not in names  # a colleague's request
    profile = json.loads(archive.read("profile.json"))
    assert profile["email"] == ANNA.email and "password_hash" not in profile
    assert json.loads(archive.read("survey_answers.json"))[0]["data"] == {"score": "5"}


def test_the_archive_holds_the_mails_to_the_contact_that_wait_to_be_sent_again_and_no_one_elses(app, moto_storage):
    from datetime import UTC, datetime, timedelta

    from portal.domain.mail import OutgoingMail

    now = datetime.now(UTC)
    for to in (ANNA.email.upper(), "someone@else.example"):
        moto_storage.pending_mail.keep(OutgoingMail(to=to, subject="[2026-000001] Request received",
                                                    text="We have received your request."), now,
                                       now + timedelta(minutes=5))
    client = app.test_client()
    client.post("/login", data={"email": ANNA.email, "password": "correct horse battery"})
    archive = zipfile.ZipFile(io.BytesIO(client.post("/account/personal-data").data))
    waiting = json.loads(archive.read("mails_waiting.json"))
    assert [mail["to"] for mail in waiting] == [ANNA.email.upper()]
    assert waiting[0]["subject"] == "[2026-000001] Request received" and waiting[0]["next_try"]


def test_the_archive_needs_a_signed_in_contact(app):
    response = app.test_client().post("/account/personal-data")
    assert response.status_code == 302 and "/login" in response.location


def test_an_admin_finds_a_contact_by_address_and_the_view_is_recorded(app, moto_storage):
    client = admin(app)
    response = client.post("/staff/privacy", data={"email": ANNA.email})
    assert response.status_code == 302 and response.location.endswith(contact_page())

    page = client.get(contact_page())

    assert page.status_code == 200 and b"Anna Quist" in page.data
    trail = client.get("/staff/audit?month=" + _this_month()).data.decode()
    assert "Contact viewed" in trail and "staff-ada" in trail and ANNA.contact_id not in trail


def test_an_unknown_address_is_told_on_the_form(app):
    page = admin(app).post("/staff/privacy", data={"email": "nobody@acme.example"})
    assert page.status_code == 200 and b"No contact has this e-mail address." in page.data


def test_an_admin_downloads_a_contacts_archive_and_it_is_recorded(app, moto_storage):
    client = admin(app)
    response = client.post(contact_page() + "/archive")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert [entry.action for entry in moto_storage.audit.of_month(_this_month())] == ["contact_exported"]


def test_an_erasure_needs_the_contacts_address_typed_again(app, moto_storage):
    page = admin(app).post(contact_page() + "/erase", data={"confirm_email": "someone@else.example"})
    assert page.status_code == 400 and b"nothing was erased" in page.data
    assert moto_storage.accounts.contact_by_email(ANNA.email) is not None


def test_an_admin_erases_a_contact_and_the_trail_records_only_the_pseudonym(app, moto_storage):
    client = admin(app)
    response = client.post(contact_page() + "/erase", data={"confirm_email": ANNA.email.upper()})
    assert response.status_code == 302
    assert moto_storage.accounts.contact_by_email(ANNA.email) is None
    entry, = [entry for entry in moto_storage.audit.of_month(_this_month()) if entry.action == "contact_erased"]
    assert entry.subject.startswith("former-contact-") and entry.actor == "staff-ada"
    assert "anna" not in json.dumps(entry.details).lower()
    assert client.get(contact_page()).status_code == 404


def test_the_audit_trail_exports_as_csv_and_the_export_is_recorded(app, moto_storage):
    client = admin(app)
    client.get(contact_page())
    response = client.get("/staff/audit.csv?month=" + _this_month())
    rows = list(csv.reader(io.StringIO(response.data.decode())))
    assert rows[0] == ["at", "actor", "action", "subject", "company", "details"]
    assert [row[2] for row in rows[1:]] == ["contact_viewed"]
    assert moto_storage.audit.of_month(_this_month())[0].action == "audit_exported"


def test_a_bad_month_is_a_400_not_a_500(app):
    assert admin(app).get("/staff/audit?month=2026-13").status_code == 400


@pytest.mark.parametrize("path", ["/staff/privacy", contact_page(), "/staff/audit", "/staff/audit.csv"])
def test_a_technician_may_not_open_the_personal_data_pages(app, path):
    assert staff_client(app).get(path).status_code == 403


def _this_month():
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m")
