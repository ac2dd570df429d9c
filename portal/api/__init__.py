from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from portal.api import kb, routes, staff, tickets, uploads  # noqa: E402,F401
