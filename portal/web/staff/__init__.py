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
    return {"staff_member": member, "staff_menu": entries, "staff_role_label": staff_role_label}


# Route modules of the console; add a new one to this list.
from portal.web.staff import auth, lead, queue, requests  # noqa: E402,F401
