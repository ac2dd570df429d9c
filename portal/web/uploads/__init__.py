from flask import Blueprint

bp = Blueprint("uploads", __name__)

from portal.web.uploads import routes  # noqa: E402,F401
