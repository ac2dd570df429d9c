"""Remote-support tools (rules G10, E7): the tools the contact's tier may use, and their counted downloads."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, redirect, render_template
from flask_babel import get_locale
from flask_babel import gettext as _

from portal.domain.errors import NotFound
from portal.services import tools
from portal.web.app import portal_context
from portal.web.formatting import size_label
from portal.web.session import contact_required, current_contact
from portal.web.tools import bp

REASONS = {
    "no_contract": lambda tier: _("Remote support is for customers with a contract in force."),
    "no_remote_support": lambda tier: _("Your level of service, %(tier)s, does not include remote support.",
                                        tier=tier.label.get(_language())),
    "no_tools": lambda tier: _("Remote support is part of your level of service, but there is no tool to "
                               "download: support tells you how to connect when a session is needed."),
}


def _language() -> str:
    return str(get_locale())


def _contact_tier() -> str | None:
    """The tier of the signed-in contact's company: its best contract in force (one read)."""
    portal = portal_context()
    file = portal.storage.accounts.company_file(current_contact().company_id)
    return tools.tier_of(portal.charter, file, portal.today(datetime.now(UTC)))


@bp.get("")
@contact_required
def index():
    """Rules G10, E7: the tools the tier may use with version, size and SHA-256, or why there are none."""
    portal = portal_context()
    offer = tools.tools_for(portal.charter, _contact_tier())
    listed = tools.listed_tools(portal.files, offer)
    reason = REASONS[offer.reason](offer.tier) if offer.reason else None
    return render_template("tools/index.html", offer=offer, listed=listed, reason=reason, size_label=size_label)


@bp.get("/<tool_id>/download")
@contact_required
def download(tool_id):
    """Count the download, then send the file (a short-lived address) or the charter's address for the tool."""
    portal = portal_context()
    try:
        address = tools.download_address(portal.charter, portal.files, portal.storage.downloads, _contact_tier(),
                                         tool_id)
    except NotFound:
        abort(404)
    return redirect(address)
