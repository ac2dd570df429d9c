"""The staff members page's reads and writes against Amazon's DynamoDB Local: a laptop's staff table made before the
by-role index gets it at start and lists the members stored before; a set-password link's conditional write works
once."""

import threading
from datetime import UTC, datetime

import pytest

from portal.adapters.dynamo.models import StaffModel
from portal.services import staff_team
from portal.services.links import LinkSigner
from tests.builders import fast_passwords
from tests.unit.staff.staff_builders import ListMailer, make_staff

pytestmark = pytest.mark.integration
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_a_staff_table_made_before_the_by_role_index_gets_it_and_lists_its_old_members(local_storage):
    from portal.adapters.dynamo.tables import create_missing_tables

    client = StaffModel._get_connection().connection.client
    table = StaffModel.Meta.table_name
    StaffModel.delete_table()
    client.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                        AttributeDefinitions=[{"AttributeName": "staff_id", "AttributeType": "S"},
                                              {"AttributeName": "email", "AttributeType": "S"}],
                        KeySchema=[{"AttributeName": "staff_id", "KeyType": "HASH"}],
                        GlobalSecondaryIndexes=[{"IndexName": "by-email",
                                                 "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                                                 "Projection": {"ProjectionType": "ALL"}}])
    client.put_item(TableName=table, Item={"staff_id": {"S": "tech-old"}, "email": {"S": "old@vendor.example"},
                                           "name": {"S": "Olga"}, "role": {"S": "technician"}})

    assert create_missing_tables() == []

    indexes = {i["IndexName"] for i in client.describe_table(TableName=table)["Table"]["GlobalSecondaryIndexes"]}
    assert indexes == {"by-email", "by-role"}
    [olga] = staff_team.team(local_storage.staff)
    assert (olga.staff_id, olga.active, olga.password_hash) == ("tech-old", True, None)


def test_an_invitation_sets_the_password_once_and_the_role_and_state_change(local_storage):
    local_storage.staff.save(make_staff(staff_id="staff-ada", email="ada@vendor.example", role="admin"))
    member = staff_team.add_member(local_storage.staff, "zoe@vendor.example", "Zoé", "fr", "technician")
    mailer, signer, links = ListMailer(), LinkSigner("k"), []

    def keep(token):
        links.append(token)
        return token

    staff_team.invite_member(local_storage.staff, mailer, signer, member.staff_id, NOW, keep)
    staff_team.set_password_from_link(local_storage.staff, fast_passwords(), signer, links[0], "a long password!",
                                      NOW)
    with pytest.raises(staff_team.LinkInvalid):
        staff_team.set_password_from_link(local_storage.staff, fast_passwords(), signer, links[0], "another one!!",
                                          NOW)
    staff_team.change_role(local_storage.staff, member.staff_id, "manager")
    staff_team.set_active(local_storage.staff, member.staff_id, False, NOW)
    stored = local_storage.staff.get(member.staff_id)
    assert (stored.role, stored.active, stored.password_hash) == ("manager", False, "h:a long password!")
    assert [(m.name, m.role) for m in staff_team.team(local_storage.staff)] == [("Tom", "admin"), ("Zoé", "manager")]
    with pytest.raises(staff_team.AdminRefused):
        staff_team.set_active(local_storage.staff, "staff-ada", False, NOW)


def test_two_administrators_demoting_each_other_at_once_leave_one_of_them(local_storage):
    """The race the last-administrator rule must survive: both pages read two administrators, both write."""
    for attempt in range(5):
        ada = make_staff(staff_id=f"staff-ada-{attempt}", email=f"ada{attempt}@vendor.example", name="Ada",
                         role="admin")
        bea = make_staff(staff_id=f"staff-bea-{attempt}", email=f"bea{attempt}@vendor.example", name="Bea",
                         role="admin")
        for member in (ada, bea):
            local_storage.staff.save(member)
        start, outcomes = threading.Barrier(2), []

        def demote(staff_id, start=start, outcomes=outcomes):
            start.wait()
            try:
                staff_team.change_role(local_storage.staff, staff_id, "manager")
                outcomes.append("demoted")
            except staff_team.AdminRefused as refused:
                outcomes.append(str(refused))

        threads = [threading.Thread(target=demote, args=(member.staff_id,)) for member in (ada, bea)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        still = [m for m in (local_storage.staff.get(ada.staff_id), local_storage.staff.get(bea.staff_id))
                 if m.role == "admin" and m.active]
        assert len(still) >= 1, outcomes
        for member in (ada, bea):  # the next attempt starts from two new administrators alone
            local_storage.staff.set_role(member.staff_id, "technician")
