"""Builders for the staff console's tests: staff members, an app with a signed-in staff member."""

from __future__ import annotations

from portal.domain.accounts import StaffMember

STAFF_PASSWORD = "staff password 123"


def make_staff(**overrides) -> StaffMember:
    values = dict(staff_id="tech-tom", email="tom@vendor.example", name="Tom", role="technician", language="en",
                  password_hash=f"h:{STAFF_PASSWORD}")
    values.update(overrides)
    return StaffMember(**values)


def staff_app(storage, tmp_path, *members: StaffMember, **settings):
    """An app on `storage` holding these staff members (fast password hashing), CSRF checked only where asked."""
    from portal.adapters.mail import OutboxMailer
    from portal.domain.charter import load_charter
    from portal.web.app import create_app
    from tests.builders import fast_passwords, make_settings

    for member in members:
        storage.staff.save(member)
    app = create_app(make_settings(**settings), charter=load_charter("example"), storage=storage,
                     mailer=OutboxMailer(tmp_path / "outbox", "support@vendor.example"), passwords=fast_passwords())
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def staff_client(app, email: str = "tom@vendor.example", password: str = STAFF_PASSWORD):
    client = app.test_client()
    response = client.post("/staff/login", data={"email": email, "password": password})
    assert response.status_code == 302, f"staff login of {email} failed"
    return client
