"""Attachments for the request pages: start an upload, send it (to the portal on a laptop), have it accepted
by its content, download it (laptop). Called by static/js/uploads.js; every answer is JSON, errors included."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import abort, jsonify, request, send_file
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from portal.domain.errors import BackendUnavailable, NotFound
from portal.domain.uploads import UploadRefusal, company_of
from portal.services import attachments
from portal.web.app import portal_context
from portal.web.json_body import json_body
from portal.web.session import contact_required, current_contact
from portal.web.uploads import bp

log = logging.getLogger("portal.web")
MAX_NAME_CHARACTERS = 1000
RETRY_AFTER_SECONDS = 30


def _language() -> str:
    return str(get_locale())


def json_error(status: int, code: str, message: str, **headers):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    response.headers.update(headers)
    return response


def refusal_response(refusal: UploadRefusal):
    """A refused file: 413 when it is too large, 422 otherwise, with the reason in the contact's language."""
    status = 413 if refusal.code == "too_large" else 422
    return json_error(status, refusal.code, attachments.refusal_message(refusal, _language()))


_STATUS_MESSAGES: dict[str, dict[str, str]] = {}


def status_messages() -> dict[str, str]:
    """What the upload script says while it works, in the contact's language (translated once per language)."""
    language = str(get_locale())
    kept = _STATUS_MESSAGES.get(language)
    if kept is None:
        kept = _STATUS_MESSAGES[language] = {
            "uploading": _("Uploading…"), "checking": _("Checking the file…"), "uploaded": _("Attached."),
            "failed": _("The file could not be sent. Check your connection and try again."),
            "wait": _("Please wait until the files are uploaded."), "remove": _("Remove")}
    return dict(kept)


@bp.post("/uploads")
@contact_required
def start():
    """Before any byte is sent: the name and size pass the charter, and the browser gets where to send it."""
    body = json_body()
    name = body.get("name") if isinstance(body, dict) else None
    size = body.get("size") if isinstance(body, dict) else None
    if (not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARACTERS
            or not isinstance(size, int) or isinstance(size, bool) or size < 0):
        return json_error(400, "invalid", _("Send the file's name and size."))
    portal = portal_context()
    started = attachments.start_upload(portal.files, current_contact(), name, size, portal.charter.attachments,
                                       datetime.now(UTC))
    if isinstance(started, UploadRefusal):
        return refusal_response(started)
    return jsonify({"upload_id": started.upload_id, "name": started.name, "url": started.form.url,
                    "fields": started.form.fields, "max_bytes": started.max_bytes,
                    "expires_at": started.expires_at.isoformat(), "messages": status_messages()}), 201


@bp.post("/uploads/<upload_id>/file")
@contact_required
def receive(upload_id):
    """The laptop's upload endpoint (production browsers post to S3): one file, within the charter's limit."""
    portal = portal_context()
    if not getattr(portal.files, "receives_uploads", False):
        abort(404)
    sent = request.files.get("file")
    if sent is None:
        return json_error(400, "invalid", _("Send the file in the field named file."))
    received = attachments.receive_upload(portal.files, current_contact(), upload_id, sent.filename or "",
                                          sent.stream, portal.charter.attachments)
    if isinstance(received, UploadRefusal):
        return refusal_response(received)
    return jsonify({"upload_id": upload_id}), 201


@bp.post("/uploads/<upload_id>/done")
@contact_required
def done(upload_id):
    """The bytes are there: the file is accepted by its content, or deleted with the reason."""
    portal = portal_context()
    contact = current_contact()
    accepted = attachments.accept_upload(portal.files, contact, upload_id, portal.charter.attachments)
    if isinstance(accepted, UploadRefusal):
        return refusal_response(accepted)
    return jsonify({"upload_id": accepted.upload_id, "name": accepted.name, "size": accepted.size,
                    "kind": accepted.kind, "sha256": accepted.sha256})


@bp.delete("/uploads/<upload_id>")
@contact_required
def discard(upload_id):
    """The contact takes a file back before sending the request."""
    attachments.discard_upload(portal_context().files, current_contact(), upload_id)
    return "", 204


@bp.get("/files/<path:key>")
@contact_required
def download(key):
    """The laptop's downloads, by signed links that expire (as S3's presigned ones do); an upload only for its
    own company's contacts; always saved, never displayed."""
    portal = portal_context()
    files = portal.files
    name = request.args.get("name", "")
    if (not getattr(files, "serves_downloads", False)
            or not files.link_is_valid(key, name, request.args.get("expires", ""), request.args.get("signature", ""))
            or company_of(key) not in (None, current_contact().company_id)):
        abort(404)
    response = send_file(files.open(key), mimetype="application/octet-stream", as_attachment=True,
                         download_name=name or key.rsplit("/", 1)[1])
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.errorhandler(NotFound)
def upload_not_found(error):
    return json_error(404, "not_found", _("This file does not exist, or you may not see it."))


@bp.errorhandler(BackendUnavailable)
def files_unavailable(error):
    log.warning("backend unavailable", extra={"backend": error.backend, "path": request.path})
    return json_error(503, "unavailable",
                      _("The service is briefly unavailable. Nothing was lost: please try again in a moment."),
                      **{"Retry-After": str(RETRY_AFTER_SECONDS)})


@bp.errorhandler(CSRFError)
def csrf_failed(error):
    return json_error(400, "csrf_failed", _("This form has expired. Please reload the page and try again."))


@bp.errorhandler(RequestEntityTooLarge)
def body_too_large(error):
    return json_error(413, "too_large", _("This file is over the size limit. Please compress it (zip or 7z) "
                                          "or split it, then send it again."))


@bp.errorhandler(HTTPException)
def other_http_error(error):
    if error.code == 404:
        return upload_not_found(error)
    return json_error(error.code or 400, (error.name or "error").lower().replace(" ", "_"),
                      _("The request could not be handled."))


@bp.app_context_processor
def upload_texts():
    """The upload script's messages for the pages that carry an upload field."""
    return {"upload_messages": status_messages}
