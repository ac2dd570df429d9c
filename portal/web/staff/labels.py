"""Names of staff roles in the visitor's language."""

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "technician": _l("technician"),
    "manager": _l("manager"),
    "director": _l("director"),
    "admin": _l("administrator"),
}


def staff_role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))
