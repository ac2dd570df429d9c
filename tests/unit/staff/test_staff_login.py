"""Staff sign in apart from customers: own accounts, own session, the customer login's throttling."""

from datetime import UTC, datetime, timedelta

import pytest
from flask import Blueprint

from portal.domain.staff import MANAGER, TECHNICIAN
from portal.services import staff_auth
from portal.web.staff.session import staff_required
from tests.builders import fast_passwords, make_contact
from tests.unit.staff.staff_builders import STAFF_PASSWORD, make_staff, staff_app, staff_client

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def app(moto_storage, tmp_path):
    moto_storage.accounts.save_contact(make_contact())
    application = staff_app(moto_storage, tmp_path, make_staff(),
                            make_staff(staff_id="boss-mia", email="mia@vendor.example", name="Mia", role="manager"))
    probe = Blueprint("probe", __name__)

    @probe.get("/staff/probe/managers")
    @staff_required(MANAGER)
    def managers_only():
        return "managers' page"

    @probe.get("/staff/probe/anyone")
    @staff_required
    def any_staff():
        return "any staff page"

    application.register_blueprint(probe)
    return application


def test_the_right_password_signs_the_staff_member_in_with_a_staff_session(app):
    client = app.test_client()
    response = client.post("/staff/login", data={"email": "Tom@Vendor.example ", "password": STAFF_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/")
    with client.session_transaction() as session:
        assert session["who"] == "staff" and session["staff_id"] == "tech-tom" and session["role"] == TECHNICIAN
        assert "contact_id" not in session


def test_an_unknown_email_and_a_wrong_password_get_the_same_answer(app):
    client = app.test_client()
    wrong = client.post("/staff/login?lang=en", data={"email": "tom@vendor.example", "password": "nope nope nope"})
    unknown = client.post("/staff/login?lang=en", data={"email": "nobody@vendor.example", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 401
    message = "The e-mail address or the password is not right."
    assert message in wrong.get_data(as_text=True).replace("&#39;", "'")
    assert message in unknown.get_data(as_text=True).replace("&#39;", "'")


def test_a_customer_password_does_not_open_the_staff_console(app):
    client = app.test_client()
    response = client.post("/staff/login", data={"email": "ann@acme.example", "password": "correct horse battery"})
    assert response.status_code == 401


def test_a_staff_account_does_not_open_the_customer_portal(app):
    client = app.test_client()
    response = client.post("/login", data={"email": "tom@vendor.example", "password": STAFF_PASSWORD})
    assert response.status_code == 401


def test_a_customer_session_is_sent_to_the_staff_login(app):
    client = app.test_client()
    assert client.post("/login", data={"email": "ann@acme.example", "password": "correct horse battery"}
                       ).status_code == 302
    response = client.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")


def test_a_staff_session_is_sent_to_the_customer_login(app):
    client = staff_client(app)
    response = client.get("/contract")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/api/tickets").status_code in (401, 404)


def test_signing_in_as_staff_drops_a_customer_session_and_back(app):
    client = app.test_client()
    client.post("/login", data={"email": "ann@acme.example", "password": "correct horse battery"})
    client.post("/staff/login", data={"email": "tom@vendor.example", "password": STAFF_PASSWORD})
    with client.session_transaction() as session:
        assert "contact_id" not in session and session["who"] == "staff"
    client.post("/login", data={"email": "ann@acme.example", "password": "correct horse battery"})
    with client.session_transaction() as session:
        assert "staff_id" not in session and session["who"] == "contact"


def test_the_session_is_renewed_at_login_and_cleared_at_logout(app):
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    client.post("/staff/login", data={"email": "tom@vendor.example", "password": STAFF_PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        first_sid = session["sid"]
    client.post("/staff/login", data={"email": "tom@vendor.example", "password": STAFF_PASSWORD})
    with client.session_transaction() as session:
        assert session["sid"] != first_sid
    client.post("/staff/logout")
    with client.session_transaction() as session:
        assert "staff_id" not in session
    assert client.get("/staff/").status_code == 302


@pytest.mark.parametrize("next_in_url", ["/staff/queue%0a", "/staff/%09/evil.example", "/%09/evil.example",
                                         "/%5Cevil.example", "//evil.example/staff/"])
def test_the_staff_login_never_sends_the_member_elsewhere_behind_control_characters_or_backslashes(app, next_in_url):
    credentials = {"email": "tom@vendor.example", "password": STAFF_PASSWORD}
    home = app.test_client().post("/staff/login", data=credentials).headers["Location"]
    response = app.test_client().post(f"/staff/login?next={next_in_url}", data=credentials)
    assert response.status_code == 302 and response.headers["Location"] == home


def test_a_staff_session_ends_after_twelve_hours(app):
    client = staff_client(app)
    with client.session_transaction() as session:
        session["since"] = (datetime.now(UTC) - timedelta(hours=12, minutes=1)).isoformat()
    assert client.get("/staff/").status_code == 302


def test_a_forged_session_without_a_start_time_is_refused(app):
    client = app.test_client()
    with client.session_transaction() as session:
        session.update({"who": "staff", "staff_id": "tech-tom", "role": "admin"})
    assert client.get("/staff/").status_code == 302


def test_a_role_the_page_does_not_admit_gets_403_in_the_visitor_language(app):
    client = staff_client(app)
    response = client.get("/staff/probe/managers?lang=en")
    assert response.status_code == 403
    assert "Your role does not allow" in response.get_data(as_text=True)
    assert client.get("/staff/probe/anyone").get_data(as_text=True) == "any staff page"


def test_the_role_the_page_admits_gets_it(app):
    client = staff_client(app, "mia@vendor.example")
    assert client.get("/staff/probe/managers").get_data(as_text=True) == "managers' page"


def test_a_signed_out_visitor_goes_to_the_staff_login_and_comes_back_after(app):
    client = app.test_client()
    response = client.get("/staff/probe/anyone")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/login?next=/staff/probe/anyone"
    back = client.post(response.headers["Location"], data={"email": "tom@vendor.example",
                                                           "password": STAFF_PASSWORD})
    assert back.headers["Location"] == "/staff/probe/anyone"


def test_login_never_sends_staff_outside_the_console(app):
    client = app.test_client()
    for target in ("//evil.example/x", "/contract", "https://evil.example/"):
        response = client.post("/staff/login", query_string={"next": target},
                               data={"email": "tom@vendor.example", "password": STAFF_PASSWORD})
        assert response.headers["Location"].startswith("/staff/")


def test_repeated_failures_are_slowed_down_with_a_translated_message(app):
    client = app.test_client()
    for _ in range(4):
        client.post("/staff/login", data={"email": "tom@vendor.example", "password": "wrong password!"})
    response = client.post("/staff/login", data={"email": "tom@vendor.example", "password": STAFF_PASSWORD},
                           headers={"Accept-Language": "fr"})
    assert response.status_code == 401 and "Trop de tentatives" in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "staff_id" not in session


def test_the_login_form_carries_a_csrf_token(app):
    app.config["WTF_CSRF_ENABLED"] = True
    assert 'name="csrf_token"' in app.test_client().get("/staff/login").get_data(as_text=True)


# --- the service, with the storage's repositories on moto ------------------------------------------------


def test_ten_failures_lock_the_staff_account_for_fifteen_minutes(moto_storage):
    moto_storage.staff.save(make_staff())
    passwords = fast_passwords()
    at, failures = NOW, 0
    while failures < 10:  # each attempt waits out the growing delay, from a new address each time
        try:
            staff_auth.log_in_staff(moto_storage.staff, moto_storage.throttles, passwords, "tom@vendor.example",
                                    "wrong", f"10.0.0.{failures}", at)
        except staff_auth.LoginThrottled as throttled:
            at += throttled.wait
        except staff_auth.LoginRefused:
            failures += 1
    with pytest.raises(staff_auth.LoginThrottled) as throttled:
        staff_auth.log_in_staff(moto_storage.staff, moto_storage.throttles, passwords, "tom@vendor.example",
                                STAFF_PASSWORD, "10.0.1.1", at + timedelta(minutes=1))
    assert throttled.value.wait > timedelta(minutes=13)
    member = staff_auth.log_in_staff(moto_storage.staff, moto_storage.throttles, passwords, "tom@vendor.example",
                                     STAFF_PASSWORD, "10.0.1.1", at + timedelta(minutes=16))
    assert member.staff_id == "tech-tom"


def test_a_staff_failure_does_not_throttle_the_customer_with_the_same_address(moto_storage):
    moto_storage.staff.save(make_staff())
    keys = staff_auth.staff_throttle_keys("tom@vendor.example", "10.0.0.1")
    assert keys[0] != "login#email#tom@vendor.example"


def test_an_account_without_a_staff_role_cannot_sign_in(moto_storage):
    moto_storage.staff.save(make_staff(role="customer"))
    with pytest.raises(staff_auth.LoginRefused):
        staff_auth.log_in_staff(moto_storage.staff, moto_storage.throttles, fast_passwords(), "tom@vendor.example",
                                STAFF_PASSWORD, "10.0.0.1", NOW)


def test_an_account_without_a_password_cannot_sign_in(moto_storage):
    moto_storage.staff.save(make_staff(password_hash=None))
    with pytest.raises(staff_auth.LoginRefused):
        staff_auth.log_in_staff(moto_storage.staff, moto_storage.throttles, fast_passwords(), "tom@vendor.example",
                                "", "10.0.0.1", NOW)


def test_the_staff_repository_finds_a_member_by_email_and_by_id(moto_storage):
    moto_storage.staff.save(make_staff(email="Tom@Vendor.Example"))
    assert moto_storage.staff.by_email("TOM@vendor.example").staff_id == "tech-tom"
    assert moto_storage.staff.get("tech-tom").email == "tom@vendor.example"
    assert moto_storage.staff.get("nobody") is None
    assert moto_storage.staff.by_email("nobody@vendor.example") is None
    assert set(moto_storage.staff.get_many(["tech-tom", "nobody"])) == {"tech-tom"}


def test_a_staff_password_hashed_with_argon2_signs_in(moto_storage):
    from portal.adapters.passwords import argon2_passwords, hash_password

    moto_storage.staff.save(make_staff(password_hash=hash_password(STAFF_PASSWORD)))
    stored = moto_storage.staff.get("tech-tom").password_hash
    assert stored.startswith("$argon2id$")
    member = staff_auth.log_in_staff(moto_storage.staff, moto_storage.throttles, argon2_passwords(),
                                     "tom@vendor.example", STAFF_PASSWORD, "10.0.0.1", NOW)
    assert member.staff_id == "tech-tom"


def test_the_demo_data_has_one_staff_member_of_each_role_with_the_demo_password():
    from datetime import date

    from portal.services.demo import DEMO_PASSWORD, build_demo

    demo = build_demo(["premium"], [("alpha-cam", ["2025.1", "2026.1"])], date(2026, 11, 1), lambda p: f"h:{p}")
    assert sorted(member.role for member in demo.staff) == ["admin", "director", "manager", "technician"]
    assert all(member.password_hash == f"h:{DEMO_PASSWORD}" for member in demo.staff)
    assert {email for who, email, _ in demo.logins if who.startswith("staff")} == {m.email for m in demo.staff}
