"""Support staff members: one item each in the staff table, found at login through the by-email index, listed role
by role through the by-role index (the administrators' staff page)."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from portal.adapters.dynamo.errors import dynamo_errors, is_condition_failure
from portal.adapters.dynamo.models import StaffModel
from portal.adapters.dynamo.tickets import cancellation_codes
from portal.domain.accounts import STAFF_ROLES, StaffMember
from portal.domain.errors import ConcurrentUpdate, NotFound
from portal.domain.staff import ADMIN


def _member(item: StaffModel) -> StaffMember:
    return StaffMember(item.staff_id, item.email, item.name, item.role, item.language, item.password_hash,
                       item.deactivated_at is None, item.password_nonce)


def _item(member: StaffMember, deactivated_at: str | None = None) -> StaffModel:
    return StaffModel(member.staff_id, email=member.email.strip().lower(), name=member.name, role=member.role,
                      language=member.language, password_hash=member.password_hash,
                      password_nonce=member.password_nonce,
                      deactivated_at=None if member.active else (deactivated_at or "inactive"))


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
    def of_role(self, role: str) -> list[StaffMember]:
        """The members of one role, active or not, by name (one paged query on the by-role index)."""
        return [_member(item) for item in StaffModel.by_role.query(role)]

    def team(self) -> list[StaffMember]:
        """The whole team, role by role (administrators first), each role by name: one query per role."""
        return [member for role in reversed(STAFF_ROLES) for member in self.of_role(role)]

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

    def _update(self, staff_id: str, actions, condition=None) -> StaffMember:
        item = StaffModel(staff_id)
        exists = StaffModel.staff_id.exists()
        try:
            item.update(actions=actions, condition=exists if condition is None else exists & condition)
        except UpdateError as error:
            if not is_condition_failure(error):
                raise
            if condition is None:
                raise NotFound(staff_id) from error
            raise ConcurrentUpdate(staff_id) from error
        return _member(item)

    def _update_keeping_admin(self, staff_id: str, actions, admin_id: str) -> StaffMember:
        """Apply `actions` only while `admin_id` is an active administrator, in one transaction: two
        administrators demoting each other at the same time cannot both succeed."""
        connection = StaffModel._get_connection().connection
        try:
            with TransactWrite(connection=connection) as transaction:
                transaction.condition_check(StaffModel, admin_id, condition=(StaffModel.role == ADMIN)
                                            & StaffModel.deactivated_at.does_not_exist())
                transaction.update(StaffModel(staff_id), actions=actions, condition=StaffModel.staff_id.exists())
        except TransactWriteError as error:
            reasons = cancellation_codes(error)
            if reasons[1:2] == ["ConditionalCheckFailed"]:
                raise NotFound(staff_id) from error
            if "ConditionalCheckFailed" in reasons or "TransactionConflict" in reasons:
                raise ConcurrentUpdate(admin_id) from error
            raise
        return _member(StaffModel.get(staff_id))

    @dynamo_errors
    def set_role(self, staff_id: str, role: str, keeping_admin: str | None = None) -> StaffMember:
        """Give a member another role; returns the member as stored. With `keeping_admin`, only while that member
        is an active administrator.

        :raise NotFound: no such member. :raise ConcurrentUpdate: `keeping_admin` is no longer an active one."""
        actions = [StaffModel.role.set(role)]
        if keeping_admin:
            return self._update_keeping_admin(staff_id, actions, keeping_admin)
        return self._update(staff_id, actions)

    @dynamo_errors
    def set_active(self, staff_id: str, active: bool, now: datetime, keeping_admin: str | None = None) -> StaffMember:
        """Deactivate a member (from `now`) or make them active again; with `keeping_admin`, only while that member
        is an active administrator.

        :raise NotFound: no such member. :raise ConcurrentUpdate: `keeping_admin` is no longer an active one."""
        action = StaffModel.deactivated_at.remove() if active else StaffModel.deactivated_at.set(now.isoformat())
        if keeping_admin:
            return self._update_keeping_admin(staff_id, [action], keeping_admin)
        return self._update(staff_id, [action])

    @dynamo_errors
    def renew_password_nonce(self, staff_id: str, nonce: str) -> None:
        """A new nonce for the next set-password link (links carrying an older one stop working).

        :raise NotFound: no such member."""
        self._update(staff_id, [StaffModel.password_nonce.set(nonce)])

    @dynamo_errors
    def set_password(self, staff_id: str, password_hash: str, used_nonce: str, next_nonce: str) -> None:
        """Store a password set from a link, if the link's nonce is still the member's (single use).

        :raise ConcurrentUpdate: when the link was used (or replaced) meanwhile.
        """
        self._update(staff_id, [StaffModel.password_hash.set(password_hash),
                                StaffModel.password_nonce.set(next_nonce)],
                     StaffModel.password_nonce == used_nonce)
