from flask import Blueprint

bp = Blueprint("tools", __name__, url_prefix="/tools")

from portal.web.tools import routes  # noqa: E402,F401
