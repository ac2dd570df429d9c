"""A customer's open session is checked against the accounts table at most once every five minutes, as the staff
console's are: an erased contact is signed out, a changed password ends the other sessions, changed roles apply."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.builders import seeded_app, signed_in_client
from tests.call_counter import count_dynamodb_calls
from tests.unit.intake.test_request_pages import file_request
from tests.unit.staff.staff_builders import make_staff, staff_client

OWNER = "owner@customer1.example"  # demo-1's system owner
DEPUTY = "deputy@customer1.example"


@pytest.fixture
def app(moto_storage, tmp_path):
    app = seeded_app(moto_storage, tmp_path, data_dir=tmp_path)
    moto_storage.staff.save(make_staff(staff_id="adm-ada", email="ada@vendor.example", name="Ada", role="admin"))
    return app


def age_the_check(client, minutes: int = 6) -> None:
    with client.session_transaction() as session:
        session["checked"] = (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat()


def signed_out(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_erased_contacts_open_session_ends_at_its_next_check_and_creates_no_token(app):
    owner = signed_in_client(app, OWNER)
    admin = staff_client(app, "ada@vendor.example")
    assert admin.post("/staff/privacy/demo-1/demo-1-owner/erase", data={"confirm_email": OWNER}).status_code == 302
    storage = app.extensions["portal"].storage
    assert storage.accounts.contact("demo-1", "demo-1-owner") is None
    assert signed_out(owner.post("/account", data={"name": "ghost"}))  # at once: a token outlives the session
    assert storage.api_tokens.tokens_of("demo-1-owner") == []
    age_the_check(owner)
    assert signed_out(owner.get("/requests"))
    with owner.session_transaction() as session:
        assert "contact_id" not in session


def test_a_password_change_ends_the_contacts_other_sessions_at_their_next_check(app):
    elsewhere = signed_in_client(app, OWNER)
    here = app.test_client()
    here.post("/password/forgot", data={"email": OWNER})
    body = app.extensions["portal"].mailer.messages()[-1].get_body(("plain",)).get_content()
    link = re.search(r"http://[^\s]+/password/set/[^\s]+", body).group(0).replace("http://localhost", "")
    new = {"password": "a much better secret", "confirm": "a much better secret"}
    assert here.post(link, data=new).status_code == 302
    assert elsewhere.get("/account").status_code == 200  # checked less than five minutes ago
    age_the_check(elsewhere)
    assert signed_out(elsewhere.get("/account"))
    again = app.test_client()
    assert again.post("/login", data={"email": OWNER, "password": "a much better secret"}).status_code == 302
    age_the_check(again)
    assert again.get("/account").status_code == 200  # a session opened after the change goes on


def test_a_demoted_system_owners_open_session_loses_the_companys_requests_at_its_next_check(app):
    assert file_request(signed_in_client(app, OWNER)).status_code == 302
    storage = app.extensions["portal"].storage
    [summary] = storage.tickets.of_company("demo-1")
    storage.admin.set_designation("demo-1", "demo-1-deputy", ("system_owner",), True)
    deputy = signed_in_client(app, DEPUTY)
    assert deputy.get(f"/requests/{summary.number}").status_code == 200
    storage.admin.set_designation("demo-1", "demo-1-deputy", ("deputy",), True)
    age_the_check(deputy)
    assert deputy.get(f"/requests/{summary.number}").status_code == 404
    assert deputy.post(f"/requests/{summary.number}/messages", data={"text": "still here?"}).status_code == 404
    with deputy.session_transaction() as session:
        assert session["roles"] == ["deputy"]


def test_an_open_session_reads_its_contact_once_every_five_minutes_and_not_on_every_page(app):
    owner = signed_in_client(app, OWNER)
    with count_dynamodb_calls() as fresh:
        assert owner.get("/account").status_code == 200
    age_the_check(owner)
    with count_dynamodb_calls() as due:
        assert owner.get("/account").status_code == 200
    with count_dynamodb_calls() as after:
        assert owner.get("/account").status_code == 200
    assert due["GetItem"] == fresh["GetItem"] + 1
    assert after == fresh


def test_a_session_opened_before_the_checks_existed_is_signed_out_at_once(app):
    owner = signed_in_client(app, OWNER)
    with owner.session_transaction() as session:
        del session["checked"], session["password"]
    assert signed_out(owner.get("/account"))


def test_a_set_password_link_asked_for_someones_address_signs_no_one_out(app):
    """Anyone may ask for a link for an address: the contact's sessions go on until the password itself changes."""
    owner = signed_in_client(app, OWNER)
    app.test_client().post("/password/forgot", data={"email": OWNER})
    age_the_check(owner)
    assert owner.get("/account").status_code == 200
