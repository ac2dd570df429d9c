from datetime import UTC, datetime

from flask import current_app, render_template

from portal.services.opening import opening_today
from portal.web.main import bp


@bp.get("/")
def home():
    """The portal's front page: who gives support, and whether support is open now."""
    context = current_app.extensions["portal"]
    return render_template("main/home.html", charter=context.charter,
                           opening=opening_today(context.calendar, datetime.now(UTC)))
