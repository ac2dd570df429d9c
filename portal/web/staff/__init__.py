"""The support team's console under /staff: its own login, the queue, working a request, and (staff-lead)
the managers' and director's lists, problem records, dashboard, admin and staff API."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("staff", __name__, url_prefix="/staff")

# The console's menu: (endpoint, label, permission from portal.domain.staff.PERMISSIONS). A route module
# appends its own entries; the menu shows those whose endpoint exists and whose permission the role has.
NAV: list[tuple[str, object, str]] = [
    ("staff.queue", _l("Queue"), "see_queue"),
]



@bp.context_processor
def staff_menu():
    """The menu entries the signed-in staff member may use, and that member (None on the login page)."""
    from flask import current_app

    from portal.domain.staff import may
    from portal.web.staff.labels import staff_role_label
    from portal.web.staff.session import current_staff

    member = current_staff()
    entries = [(endpoint, label) for endpoint, label, permission in NAV
               if member and endpoint in current_app.view_functions and may(member.role, permission)]
    return {"staff_member": member, "staff_menu": entries, "staff_role_label": staff_role_label,
            "tier_label": tier_label}


def tier_label(tier_id: str) -> str:
    """A contract tier's name in the charter, in the visitor's language (its id when the charter lacks it)."""
    from flask_babel import get_locale

    from portal.domain.charter import UnknownTier
    from portal.web.app import portal_context

    try:
        text = portal_context().charter.tier(tier_id).label
    except UnknownTier:
        return tier_id
    return (text.get(str(get_locale())) if text is not None else None) or tier_id


# Route modules of the console; add a new one to this list.
from portal.web.staff import auth, lead, privacy, queue, requests, team  # noqa: E402,F401
