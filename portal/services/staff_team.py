"""The support team, managed by its administrators (permission `manage_staff`): who is on it, adding a member who
then sets their password from a signed single-use link, changing a member's role, deactivating and reactivating.

A deactivated member signs in no more and their staff API tokens stop working; they stay in the staff table, so
their name stays on the requests they owned. The last active administrator can neither be demoted nor
deactivated.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from portal.domain.accounts import StaffMember
from portal.domain.errors import ConcurrentUpdate, NotFound
from portal.domain.mail import OutgoingMail
from portal.domain.staff import ADMIN, UnknownRole, check_role, removes_the_last_admin, takes_an_admin_away
from portal.i18n import mark, translate
from portal.services.admin import AdminRefused, checked_person, id_stem
from portal.services.auth import check_password_strength, new_password_nonce
from portal.services.links import LinkInvalid

STAFF_LINKS = "#staff"  # the link's company: never a company id (those are lower-case letters, digits, hyphens)
PURPOSE = "staff_invitation"
MAX_ID_ATTEMPTS = 5

__all__ = ["AdminRefused", "add_member", "change_role", "invite_member", "set_active", "set_password_from_link",
           "staff_link_is_usable", "team"]


def team(staff) -> list[StaffMember]:
    """Every staff member, active or not: administrators first, then directors, managers, technicians, each by name."""
    return staff.team()


def _role(role: str) -> str:
    try:
        return check_role(role)
    except UnknownRole as error:
        raise AdminRefused("bad_role") from error


def add_member(staff, email: str, name: str, language: str, role: str) -> StaffMember:
    """A new staff member, without a password until they follow their invitation.

    :raise AdminRefused: `bad_email`, `email_taken`, `name_required`, `bad_language`, `bad_role`.
    """
    email, name = checked_person(email, name, language)
    role = _role(role)
    if staff.by_email(email) is not None:
        raise AdminRefused("email_taken")
    local = id_stem(email, "member")
    for attempt in range(MAX_ID_ATTEMPTS):
        staff_id = f"staff-{local}" if attempt == 0 else f"staff-{local}-{secrets.token_hex(2)}"
        member = StaffMember(staff_id, email, name, role, language)
        try:
            staff.add(member)
        except ConcurrentUpdate:
            continue
        return member
    raise AdminRefused("email_taken")


def _member(staff, staff_id: str) -> StaffMember:
    member = staff.get(staff_id)
    if member is None:
        raise NotFound(staff_id)
    return member


def change_role(staff, staff_id: str, role: str) -> tuple[StaffMember, StaffMember]:
    """Give a member another role; returns the member before and after.

    :raise NotFound: no such member. :raise AdminRefused: `bad_role`, `last_admin` (the last active administrator
        keeps the role).
    """
    role = _role(role)
    before = _member(staff, staff_id)
    return before, _keeping_an_admin(staff, before, role, before.active,
                                     lambda keeping: staff.set_role(staff_id, role, keeping_admin=keeping))


def set_active(staff, staff_id: str, active: bool, now: datetime) -> StaffMember:
    """Deactivate a member (they sign in no more, their tokens stop working) or make them active again.

    :raise NotFound: no such member. :raise AdminRefused: `last_admin` (the last active administrator stays).
    """
    member = _member(staff, staff_id)
    return _keeping_an_admin(staff, member, member.role, active,
                             lambda keeping: staff.set_active(staff_id, active, now, keeping_admin=keeping))


def _keeping_an_admin(staff, member: StaffMember, role: str, active: bool, change) -> StaffMember:
    """Make a change that takes an active administrator away only while another one stays: the change is written
    on the condition that the other is still an active administrator, so two administrators demoting or
    deactivating each other at the same time leave one of them in place (the refused one is told `last_admin`)."""
    for _attempt in range(2):  # a colleague changed meanwhile: read the administrators again, once
        admins = staff.of_role(ADMIN)
        if removes_the_last_admin(admins, member, role, active):
            raise AdminRefused("last_admin")
        if not takes_an_admin_away(member, role, active):
            return change(None)
        keeping = next(other.staff_id for other in admins
                       if other.role == ADMIN and other.active and other.staff_id != member.staff_id)
        try:
            return change(keeping)
        except ConcurrentUpdate:
            continue
    raise AdminRefused("last_admin")


def invite_member(staff, mailer, signer, staff_id: str, now: datetime, link_for) -> StaffMember:
    """E-mail the member a signed, single-use link to set their password (72 hours); a newer link replaces an older.

    :raise NotFound: no such member. :raise AdminRefused: `inactive` (reactivate the member first).
    """
    member = _member(staff, staff_id)
    if not member.active:
        raise AdminRefused("inactive")
    nonce = new_password_nonce()
    staff.renew_password_nonce(staff_id, nonce)
    mailer.send(invitation_mail(member, link_for(signer.sign(STAFF_LINKS, staff_id, nonce, PURPOSE, now))))
    return member


def invitation_mail(member: StaffMember, link: str) -> OutgoingMail:
    """The staff invitation, in the member's language."""
    lang = member.language
    text = "\n".join([
        translate(lang, mark("Hello %(name)s,"), name=member.name), "",
        translate(lang, mark("You are invited to the support team's console. Choose your password here (the link "
                             "works once, for 72 hours):")),
        link, "", translate(lang, mark("If you did not expect this message, you can ignore it.")), ""])
    return OutgoingMail(to=member.email, subject=translate(lang, mark("Your access to the support team's console")),
                        text=text, language=lang, kept_if_refused=False)


def _claimed_member(staff, signer, token: str, now: datetime) -> tuple[StaffMember, str]:
    claim = signer.read(token, now)
    if claim.purpose != PURPOSE or claim.company_id != STAFF_LINKS:
        raise LinkInvalid("purpose")
    member = staff.get(claim.contact_id)
    if member is None or not member.active or member.password_nonce != claim.nonce:
        raise LinkInvalid("used")
    return member, claim.nonce


def staff_link_is_usable(staff, signer, token: str, now: datetime) -> bool:
    """Whether a staff set-password link can still be used (to show the form or say why not)."""
    try:
        _claimed_member(staff, signer, token, now)
    except LinkInvalid:
        return False
    return True


def set_password_from_link(staff, passwords, signer, token: str, new_password: str, now: datetime) -> StaffMember:
    """Set the password of the link's staff member; the link then stops working.

    :raise LinkInvalid: when the link is altered, expired, of another purpose, used already, or the member is
        deactivated. :raise PasswordTooWeak: when the password is too short or is the e-mail address.
    """
    member, nonce = _claimed_member(staff, signer, token, now)
    check_password_strength(new_password, member.email)
    try:
        staff.set_password(member.staff_id, passwords.hash(new_password), nonce, new_password_nonce())
    except ConcurrentUpdate as error:
        raise LinkInvalid("used") from error
    return member
