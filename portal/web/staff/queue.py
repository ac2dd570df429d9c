"""The technicians' queue: open requests in charter order (T2, P5, S4) with the time left to respond."""

from datetime import UTC, datetime, timedelta

from flask import render_template, request
from flask_babel import gettext as _

from portal.domain.staff import WORKERS
from portal.domain.workflow import OPEN_STATES
from portal.services import console
from portal.web.app import portal_context
from portal.web.staff import bp
from portal.web.staff.session import staff_required


def business_duration(left: timedelta | None) -> str:
    """Business time left to the response commitment, or how long it is overdue, in hours and minutes."""
    if left is None:
        return ""
    minutes = int(abs(left).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if left < timedelta(0):
        return _("overdue by %(hours)d h %(minutes)02d", hours=hours, minutes=minutes)
    return _("%(hours)d h %(minutes)02d left", hours=hours, minutes=minutes)


def queue_filters(staff_id: str) -> dict[str, str]:
    """The filters asked in the address; owner "mine" is the signed-in staff member."""
    filters = {key: request.args.get(key, "").strip()[:64] for key in console.QUEUE_FILTERS}
    if filters["owner"] == "mine":
        filters["owner"] = staff_id
    return {key: value for key, value in filters.items() if value}


@bp.get("/queue")
@staff_required(*WORKERS)
def queue():
    """Open requests, first to take first, filtered by product, severity, owner or state; overdue ones stand out."""
    from flask import g

    portal = portal_context()
    now = datetime.now(UTC)
    filters = queue_filters(g.staff.staff_id)
    rows = console.queue(portal.storage.queue, portal.storage.staff, portal.calendar, now, filters)
    products = sorted({row.ticket.product_id for row in rows if row.ticket.product_id} |
                      ({filters["product"]} if filters.get("product") else set()))
    owners = sorted({(row.ticket.owner_id, row.owner_name) for row in rows if row.ticket.owner_id},
                    key=lambda pair: pair[1])
    return render_template("staff/queue.html", rows=rows, filters=filters, products=products, owners=owners,
                           states=OPEN_STATES, business_duration=business_duration,
                           asked=dict(request.args))
