"""Error pages (404, 500, 503) in the visitor's language, or JSON errors with a code for the API."""

import logging

from flask import jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.domain.errors import BackendUnavailable
from portal.web.errors import bp

log = logging.getLogger("portal.web")
RETRY_AFTER_SECONDS = 30


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, code: str, message: str, headers=None):
    if wants_json():
        response = jsonify({"error": {"code": code, "message": message}})
    else:
        response = make_response(render_template("errors/error.html", status=status, message=message))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


@bp.app_errorhandler(404)
def not_found(error):
    return error_response(404, "not_found", _("This page does not exist, or you may not see it."))


@bp.app_errorhandler(403)
def forbidden(error):
    return error_response(403, "forbidden", _("Your role does not allow this page or this action."))


@bp.app_errorhandler(405)
def method_not_allowed(error):
    return error_response(405, "method_not_allowed", _("This address does not accept that action."))


@bp.app_errorhandler(BackendUnavailable)
def backend_unavailable(error):
    log.warning("backend unavailable", extra={"backend": error.backend, "path": request.path})
    return error_response(
        503, "unavailable",
        _("The service is briefly unavailable. Nothing was lost: please try again in a moment."),
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


@bp.app_errorhandler(CSRFError)
def csrf_failed(error):
    return error_response(400, "csrf_failed", _("This form has expired. Please reload the page and try again."))


@bp.app_errorhandler(413)
def too_large(error):
    return error_response(413, "too_large", _("What you sent is too large."))


@bp.app_errorhandler(HTTPException)
def other_http_error(error):
    return error_response(error.code or 500, (error.name or "error").lower().replace(" ", "_"),
                          _("The request could not be handled."))


@bp.app_errorhandler(Exception)
def internal_error(error):
    log.exception("unhandled error", extra={"path": request.path})
    return error_response(500, "internal", _("Something went wrong on our side. The team has been told."))
