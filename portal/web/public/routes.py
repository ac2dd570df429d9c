from datetime import UTC, datetime, timedelta

from flask import render_template

from portal.domain.eligibility import tier_in_force
from portal.services import customer, tools
from portal.services.opening import closed_days_ahead, opening_today
from portal.web.app import portal_context
from portal.web.public import bp
from portal.web.session import current_contact

HOLIDAYS_AHEAD = timedelta(days=120)


@bp.get("/lifecycle")
def lifecycle():
    """Public: every product's versions and until when each is supported (rules T9, T11, G6, E8)."""
    portal = portal_context()
    today = portal.today(datetime.now(UTC))
    catalog = portal.storage.catalog.catalog()
    statuses = customer.public_lifecycle(portal.charter, catalog, today)
    names = {product.id: product.name for product in catalog.products}
    return render_template("public/lifecycle.html", statuses=statuses, names=names, today=today,
                           policy=portal.charter.version_policy)


@bp.get("/contact")
def contact():
    """How to reach support: the channels of the visitor's tier (E5, T5), addresses per product line (P5),
    opening hours with lunch breaks, the holidays ahead and the next opening."""
    portal = portal_context()
    now = datetime.now(UTC)
    signed_in = current_contact()
    today = portal.today(now)
    tiers = portal.charter.tiers
    if signed_in is not None:
        file = portal.storage.accounts.company_file(signed_in.company_id)
        tier = tier_in_force(portal.charter, file.contracts, None, today) if file else None  # T2, P3
        tiers = (tier,) if tier else ()
    closed_days = closed_days_ahead(portal.calendar, portal.charter.weekly_hours, today, HOLIDAYS_AHEAD.days)
    tiers = [tier for tier in tiers if tier]
    open_channels = {channel for tier in tiers for channel in tier.channels}
    return render_template("public/contact.html", charter=portal.charter, tiers=tiers, open_channels=open_channels,
                           signed_in=signed_in is not None, opening=opening_today(portal.calendar, now),
                           closed_days=closed_days)


@bp.get("/remote-support")
def remote_support():
    """Public: which level of service includes remote support and with which tool (rules E7, G10); downloads need
    a sign-in (the tools page)."""
    charter = portal_context().charter
    offers = [tools.tools_for(charter, tier.id) for tier in charter.tiers]
    return render_template("public/remote_support.html", offers=offers)
