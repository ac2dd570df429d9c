from flask import Blueprint

bp = Blueprint("health", __name__)

from portal.web.health import routes  # noqa: E402,F401
