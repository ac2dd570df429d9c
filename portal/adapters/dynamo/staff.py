"""Support staff members: one item each in the staff table, found at login through the by-email index."""

from __future__ import annotations

from portal.adapters.dynamo.errors import dynamo_errors
from portal.adapters.dynamo.models import StaffModel
from portal.domain.accounts import StaffMember


def _member(item: StaffModel) -> StaffMember:
    return StaffMember(item.staff_id, item.email, item.name, item.role, item.language, item.password_hash)


def _item(member: StaffMember) -> StaffModel:
    return StaffModel(member.staff_id, email=member.email.strip().lower(), name=member.name, role=member.role,
                      language=member.language, password_hash=member.password_hash)


class StaffRepository:
    """Reads by key or index only (see the access patterns in models.py)."""

    @dynamo_errors
    def by_email(self, email: str) -> StaffMember | None:
        """The staff member with this e-mail address (one Query on the by-email index)."""
        for item in StaffModel.by_email.query(email.strip().lower(), limit=1):
            return _member(item)
        return None

    @dynamo_errors
    def get(self, staff_id: str) -> StaffMember | None:
        try:
            return _member(StaffModel.get(staff_id))
        except StaffModel.DoesNotExist:
            return None

    @dynamo_errors
    def get_many(self, staff_ids) -> dict[str, StaffMember]:
        """The staff members with these ids that exist (one BatchGetItem per 100 ids)."""
        ids = sorted(set(staff_ids))
        return {item.staff_id: _member(item) for item in StaffModel.batch_get(ids)} if ids else {}

    @dynamo_errors
    def add(self, member: StaffMember) -> None:
        """Create a staff member.

        :raise ConcurrentUpdate: when the id is taken.
        """
        _item(member).save(condition=StaffModel.staff_id.does_not_exist())

    @dynamo_errors
    def save(self, member: StaffMember) -> None:
        """Create or replace a staff member."""
        _item(member).save()

    @dynamo_errors
    def set_password_hash(self, staff_id: str, password_hash: str) -> None:
        StaffModel(staff_id).update(actions=[StaffModel.password_hash.set(password_hash)],
                                    condition=StaffModel.staff_id.exists())
