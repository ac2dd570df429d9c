from datetime import UTC, datetime

from flask import current_app, render_template

from portal.domain.contracts import contracts_in_force
from portal.services import customer, followup
from portal.services.opening import opening_today
from portal.web.main import bp
from portal.web.session import current_contact


@bp.get("/")
def home():
    """Signed in: the open requests the contact may see (their own; a system owner, the company's: rule P2), the
    contract summary and today's hours. Otherwise: the hours."""
    context = current_app.extensions["portal"]
    now = datetime.now(UTC)
    opening = opening_today(context.calendar, now)
    contact = current_contact()
    if contact is None:
        return render_template("main/home.html", charter=context.charter, opening=opening)
    accounts = context.storage.accounts
    file = customer.visible_company_file(accounts, contact.company_id, None)
    today = context.today(now)
    served = accounts.end_customers_of(contact.company_id) if file.company.kind == "reseller" else []
    return render_template("main/dashboard.html", charter=context.charter, opening=opening, file=file,
                           contracts=[(c, customer.tier_or_none(context.charter, c.tier))
                                      for c in contracts_in_force(context.charter, file.contracts, today)],
                           tickets=followup.my_open_requests(context.storage.tickets, contact), served=served,
                           contact=contact)
