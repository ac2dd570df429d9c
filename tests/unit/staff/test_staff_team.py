"""The staff members page (permission manage_staff): the team read through the by-role index, a new member invited
with a signed single-use link, role changes, deactivation (no sign-in, no staff token, their name kept), and the
last active administrator kept; each change in the audit trail."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from portal.domain.staff import removes_the_last_admin, takes_an_admin_away
from portal.services import staff_team
from portal.services.links import LinkSigner
from portal.services.staff_tokens import authenticate_staff, create_staff_token
from tests.call_counter import count_dynamodb_calls
from tests.unit.staff.staff_builders import ListMailer, make_staff, staff_app, staff_client

ADA = make_staff(staff_id="staff-ada", email="ada@vendor.example", name="Ada", role="admin")
TOM = make_staff()
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def this_month() -> str:
    return datetime.now(UTC).strftime("%Y-%m")


@pytest.fixture
def app(moto_storage, tmp_path):
    return staff_app(moto_storage, tmp_path, ADA, TOM)


@pytest.fixture
def admin(app):
    return staff_client(app, ADA.email)


def invitation_link(app) -> str:
    mail = app.extensions["portal"].mailer.messages()[-1]
    return re.search(r"http://localhost(/staff/password/set/\S+)", mail.get_content()).group(1)


def invite_tom(storage, mailer, signer, now=NOW) -> str:
    """Invite Tom; the link's token, read back from the mail (the link is the bare token here)."""
    staff_team.invite_member(storage.staff, mailer, signer, TOM.staff_id, now, lambda token: f"<{token}>")
    return re.search(r"<(\S+)>", mailer.sent[-1].text).group(1)


# --- the rules -------------------------------------------------------------------------------------------------


def test_the_team_is_read_role_by_role_through_the_index_never_a_scan(moto_storage):
    for member in (TOM, ADA, make_staff(staff_id="boss-mia", email="mia@vendor.example", name="Mia",
                                        role="manager"),
                   make_staff(staff_id="tech-al", email="al@vendor.example", name="Al", active=False)):
        moto_storage.staff.save(member)
    with count_dynamodb_calls() as calls:
        team = staff_team.team(moto_storage.staff)
    assert [(m.name, m.role, m.active) for m in team] == [
        ("Ada", "admin", True), ("Mia", "manager", True), ("Al", "technician", False), ("Tom", "technician", True)]
    assert calls == {"Query": 4}


def test_the_last_active_administrator_can_be_neither_demoted_nor_deactivated():
    other = make_staff(staff_id="staff-bea", role="admin")
    assert removes_the_last_admin([ADA], ADA, "manager", True)
    assert removes_the_last_admin([ADA], ADA, "admin", False)
    assert removes_the_last_admin([ADA, make_staff(staff_id="staff-bea", role="admin", active=False)], ADA,
                                  "technician", True)
    assert not removes_the_last_admin([ADA, other], ADA, "manager", True)
    assert not removes_the_last_admin([ADA], TOM, "technician", False)
    assert not removes_the_last_admin([ADA], ADA, "admin", True)


def test_demoting_or_deactivating_an_active_administrator_takes_one_away_and_nothing_else_does():
    assert takes_an_admin_away(ADA, "manager", True) and takes_an_admin_away(ADA, "admin", False)
    assert not takes_an_admin_away(ADA, "admin", True)
    assert not takes_an_admin_away(TOM, "technician", False)
    assert not takes_an_admin_away(make_staff(staff_id="staff-bea", role="admin", active=False), "manager", False)


class StaleAdmins:
    """The staff repository as a page that read the administrators before a colleague changed them."""

    def __init__(self, staff, stale):
        self.staff, self.stale, self.reads = staff, stale, 0

    def of_role(self, role):
        self.reads += 1
        return self.stale if self.reads == 1 else self.staff.of_role(role)

    def __getattr__(self, name):
        return getattr(self.staff, name)


@pytest.mark.parametrize("change", ["demote", "deactivate"])
def test_two_administrators_removing_each_other_leave_one_in_place(moto_storage, change):
    bea = make_staff(staff_id="staff-bea", email="bea@vendor.example", name="Bea", role="admin")
    for member in (ADA, bea):
        moto_storage.staff.save(member)
    read_before = moto_storage.staff.of_role("admin")  # Ada's page read both administrators
    staff_team.change_role(moto_storage.staff, ADA.staff_id, "manager")  # meanwhile Bea demotes Ada
    stale = StaleAdmins(moto_storage.staff, read_before)
    with pytest.raises(staff_team.AdminRefused, match="last_admin"):
        if change == "demote":
            staff_team.change_role(stale, bea.staff_id, "technician")
        else:
            staff_team.set_active(stale, bea.staff_id, False, NOW)
    kept = moto_storage.staff.get(bea.staff_id)
    assert (kept.role, kept.active) == ("admin", True) and stale.reads == 2


def test_a_change_kept_on_a_colleague_who_is_no_longer_administrator_is_not_written(moto_storage):
    from portal.domain.errors import ConcurrentUpdate

    bea = make_staff(staff_id="staff-bea", email="bea@vendor.example", name="Bea", role="admin", active=False)
    for member in (ADA, bea):
        moto_storage.staff.save(member)
    with pytest.raises(ConcurrentUpdate):
        moto_storage.staff.set_role(ADA.staff_id, "manager", keeping_admin=bea.staff_id)
    assert moto_storage.staff.get(ADA.staff_id).role == "admin"
    moto_storage.staff.set_active(bea.staff_id, True, NOW)
    assert moto_storage.staff.set_role(ADA.staff_id, "manager", keeping_admin=bea.staff_id).role == "manager"


def test_a_new_member_needs_a_free_address_a_name_a_language_and_a_role(moto_storage):
    moto_storage.staff.save(TOM)
    moto_storage.staff.save(make_staff(staff_id="staff-tom", email="tom@elsewhere.example"))
    for values, code in (((" TOM@vendor.example ", "Tom 2", "en", "technician"), "email_taken"),
                         (("not-an-address", "X", "en", "technician"), "bad_email"),
                         (("x@vendor.example", " ", "en", "technician"), "name_required"),
                         (("x@vendor.example", "X", "de", "technician"), "bad_language"),
                         (("x@vendor.example", "X", "en", "boss"), "bad_role")):
        with pytest.raises(staff_team.AdminRefused) as refused:
            staff_team.add_member(moto_storage.staff, *values)
        assert refused.value.code == code
    member = staff_team.add_member(moto_storage.staff, "Tom@Other.example", "Tom Other", "nl", "manager")
    assert member.staff_id.startswith("staff-tom-") and member.password_hash is None  # staff-tom is taken
    assert moto_storage.staff.by_email("tom@other.example") == member


def test_an_invitation_link_works_once_for_its_member_and_a_newer_one_replaces_it(moto_storage):
    moto_storage.staff.save(make_staff(password_hash=None))
    signer, mailer = LinkSigner("k"), ListMailer()
    old, new = invite_tom(moto_storage, mailer, signer), invite_tom(moto_storage, mailer, signer)
    assert not staff_team.staff_link_is_usable(moto_storage.staff, signer, old, NOW)
    assert not staff_team.staff_link_is_usable(moto_storage.staff, signer, new, NOW + timedelta(hours=73))
    passwords = _passwords()
    staff_team.set_password_from_link(moto_storage.staff, passwords, signer, new, "a long new password", NOW)
    assert moto_storage.staff.get(TOM.staff_id).password_hash == "h:a long new password"
    with pytest.raises(staff_team.LinkInvalid):
        staff_team.set_password_from_link(moto_storage.staff, passwords, signer, new, "another long one!", NOW)
    assert mailer.sent[0].to == TOM.email and "72" in mailer.sent[0].text


def test_a_customers_set_password_link_is_no_staff_link_and_the_other_way_round(moto_storage, app):
    moto_storage.staff.save(make_staff(password_hash=None))
    signer = app.extensions["portal"].link_signer
    customer_link = signer.sign("acme", TOM.staff_id, "n", "invitation", datetime.now(UTC))
    assert not staff_team.staff_link_is_usable(moto_storage.staff, signer, customer_link, datetime.now(UTC))
    staff_link = invite_tom(moto_storage, ListMailer(), signer, datetime.now(UTC))
    with app.test_client().get(f"/password/set/{staff_link}") as response:
        assert response.status_code == 410


def test_a_deactivated_member_cannot_sign_in_nor_use_a_staff_token_and_keeps_their_name(moto_storage, app):
    secret, _token = create_staff_token(moto_storage.api_tokens, TOM, "telephony", NOW)
    staff_team.set_active(moto_storage.staff, TOM.staff_id, False, NOW)

    with app.test_client().post("/staff/login", data={"email": TOM.email, "password": "staff password 123"}) as r:
        assert r.status_code == 401
    assert authenticate_staff(moto_storage.api_tokens, moto_storage.staff, secret) is None
    assert moto_storage.staff.get_many([TOM.staff_id])[TOM.staff_id].name == "Tom"  # owners' names on requests
    with pytest.raises(staff_team.AdminRefused):
        staff_team.invite_member(moto_storage.staff, ListMailer(), LinkSigner("k"), TOM.staff_id, NOW, str)

    staff_team.set_active(moto_storage.staff, TOM.staff_id, True, NOW)
    assert authenticate_staff(moto_storage.api_tokens, moto_storage.staff, secret).staff_id == TOM.staff_id


# --- the page --------------------------------------------------------------------------------------------------


def test_the_staff_page_is_for_administrators_and_in_their_menu(app, admin):
    with staff_client(app).get("/staff/admin/staff") as response:
        assert response.status_code == 403
    with admin.get("/staff/admin/staff") as response:
        page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'href="/staff/admin/staff"' in page
    assert "tom@vendor.example" in page and "Deactivate" in page


def test_an_administrator_adds_a_member_who_sets_a_password_and_signs_in(app, admin, moto_storage):
    with admin.post("/staff/admin/staff", data={"email": "Zoe@vendor.example", "name": "Zoé", "language": "fr",
                                                "role": "manager"}) as response:
        assert response.status_code == 302
    link = invitation_link(app)
    visitor = app.test_client()
    with visitor.get(link) as response:
        assert response.status_code == 200
    with visitor.post(link, data={"password": "short", "confirm": "short"}) as response:
        assert response.status_code == 200 and "aria-invalid=\"true\"" in response.get_data(as_text=True)
    with visitor.post(link, data={"password": "zoe's long password", "confirm": "zoe's long password"}) as response:
        assert response.status_code == 302 and response.location.endswith("/staff/login")
    with visitor.get(link) as response:
        assert response.status_code == 410
    staff_client(app, "zoe@vendor.example", "zoe's long password")
    [entry] = [e for e in moto_storage.audit.of_month(this_month()) if e.action == "staff_added"]
    assert entry.actor == ADA.staff_id and entry.subject.startswith("staff:staff-zoe") and entry.details == {
        "role": "manager"}


def test_a_taken_address_is_told_on_the_form(admin):
    with admin.post("/staff/admin/staff", data={"email": TOM.email, "name": "Tom", "language": "en",
                                                "role": "technician"}) as response:
        assert response.status_code == 400
        assert "A staff member with this e-mail address exists already." in response.get_data(as_text=True)


def test_a_role_change_applies_and_is_recorded_with_both_roles(app, admin, moto_storage):
    tom = staff_client(app)
    with admin.post("/staff/admin/staff/tech-tom/role", data={"role": "manager"}) as response:
        assert response.status_code == 302
    assert moto_storage.staff.get("tech-tom").role == "manager"
    [entry] = [e for e in moto_storage.audit.of_month(this_month()) if e.action == "role_changed"]
    assert (entry.subject, entry.details) == ("staff:tech-tom", {"from": "technician", "to": "manager"})
    _age_the_check(tom)
    with tom.get("/staff/") as response:
        assert "manager" in response.get_data(as_text=True)


def test_an_administrator_cannot_demote_or_deactivate_themself_as_the_last_one(app, admin, moto_storage):
    for url, data in (("/staff/admin/staff/staff-ada/role", {"role": "technician"}),
                      ("/staff/admin/staff/staff-ada/deactivation", {})):
        with admin.post(url, data=data) as response:
            assert response.status_code == 302
        with admin.get("/staff/admin/staff") as response:
            assert "The team needs an active administrator" in response.get_data(as_text=True)
    assert moto_storage.staff.get("staff-ada").role == "admin" and moto_storage.staff.get("staff-ada").active
    assert [e.action for e in moto_storage.audit.of_month(this_month())] == []


def test_a_deactivated_members_open_session_ends_at_its_next_check(app, admin, moto_storage):
    tom = staff_client(app)
    with admin.post("/staff/admin/staff/tech-tom/deactivation") as response:
        assert response.status_code == 302
    assert [e.action for e in moto_storage.audit.of_month(this_month())] == ["staff_deactivated"]
    with tom.get("/staff/queue") as response:
        assert response.status_code == 200  # checked less than five minutes ago
    _age_the_check(tom)
    with tom.get("/staff/queue") as response:
        assert response.status_code == 302 and "/staff/login" in response.location
    with admin.post("/staff/admin/staff/tech-tom/reactivation") as response:
        assert response.status_code == 302
    assert moto_storage.staff.get("tech-tom").active
    staff_client(app)


def test_a_staff_members_open_session_ends_at_its_next_check_once_their_password_changed(app, moto_storage):
    """A session opened before a password change (a reset after a lost laptop) does not outlive it; the one
    opened with the new password goes on."""
    tom = staff_client(app)
    moto_storage.staff.set_password_hash("tech-tom", _passwords().hash("an entirely new secret 42"))
    with tom.get("/staff/queue") as response:
        assert response.status_code == 200  # checked less than five minutes ago
    _age_the_check(tom)
    with tom.get("/staff/queue") as response:
        assert response.status_code == 302 and "/staff/login" in response.location
    fresh = staff_client(app, password="an entirely new secret 42")
    _age_the_check(fresh)
    with fresh.get("/staff/queue") as response:
        assert response.status_code == 200


def test_an_unknown_member_is_a_404(admin):
    with admin.post("/staff/admin/staff/nobody/role", data={"role": "manager"}) as response:
        assert response.status_code == 404


def _age_the_check(client) -> None:
    with client.session_transaction() as session:
        session["checked"] = (datetime.now(UTC) - timedelta(minutes=6)).isoformat()


def _passwords():
    from tests.builders import fast_passwords

    return fast_passwords()
