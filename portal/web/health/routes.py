from flask import current_app, jsonify

from portal import __version__
from portal.domain.errors import BackendUnavailable
from portal.web.health import bp


@bp.get("/healthz")
def healthz():
    """Liveness and readiness: the database answers, and which charter this portal applies."""
    try:
        current_app.extensions["portal"].storage.ping()
        dynamodb = "ok"
    except BackendUnavailable:
        dynamodb = "unavailable"
    status = "ok" if dynamodb == "ok" else "degraded"
    body = {"status": status, "dynamodb": dynamodb,
            "charter": current_app.extensions["portal"].charter.id, "version": __version__}
    return jsonify(body), 200 if status == "ok" else 503
