"""Attachments for programs (intake rule 4): start an upload, send the bytes (to S3 with the presigned form in
production, to the portal on a laptop), have it accepted by its content; its id then goes in a request's or a
message's `attachments`. The same service and checks as the pages' uploads."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import jsonify, request, url_for
from flask_babel import get_locale

from portal.api import bp
from portal.api.auth import token_required
from portal.api.errors import api_error
from portal.api.tickets import _contact  # the token's contact, as the ticket endpoints see it
from portal.domain.errors import NotFound
from portal.domain.uploads import UploadRefusal
from portal.services import attachments
from portal.web.app import portal_context
from portal.web.json_body import json_body

MAX_NAME_CHARACTERS = 1000
MAX_UPLOAD_ID = 64


def _refused(refusal: UploadRefusal):
    """413 for a file over the charter's limit, 422 for any other refusal; the reason in the Accept-Language."""
    status = 413 if refusal.code == "too_large" else 422
    return api_error(status, refusal.code, attachments.refusal_message(refusal, str(get_locale())))


def _not_found():
    return api_error(404, "not_found", "No such upload, or not your company's.")


@bp.post("/uploads")
@token_required
def api_start_upload():
    """Before any byte is sent: the name and size pass the charter (type, limit), and the program gets where to
    send the file (a form valid 15 minutes)."""
    body = json_body()
    name = body.get("name") if isinstance(body, dict) else None
    size = body.get("size") if isinstance(body, dict) else None
    if isinstance(size, float) and size.is_integer():
        size = int(size)
    problems = {}
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARACTERS:
        problems["name"] = f"is required: the file's name, at most {MAX_NAME_CHARACTERS} characters"
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        problems["size"] = "is required: the file's size in bytes"
    if isinstance(body, dict):
        problems.update({key: "is not a field of an upload" for key in body if key not in ("name", "size")})
    if problems:
        return api_error(400, "invalid_fields", "Some fields are missing or invalid.", fields=problems)
    portal = portal_context()
    started = attachments.start_upload(portal.files, _contact(), name, size, portal.charter.attachments,
                                       datetime.now(UTC))
    if isinstance(started, UploadRefusal):
        return _refused(started)
    url = started.form.url
    if getattr(portal.files, "receives_uploads", False):  # a laptop: the bytes come to the API itself
        url = url_for("api.api_receive_upload", upload_id=started.upload_id, _external=True)
    return jsonify({"upload_id": started.upload_id, "name": started.name, "url": url,
                    "fields": started.form.fields, "max_bytes": started.max_bytes,
                    "expires_at": started.expires_at.isoformat()}), 201


@bp.post("/uploads/<upload_id>/file")
@token_required
def api_receive_upload(upload_id: str):
    """The laptop's upload endpoint (in production the bytes go to S3): one file in the field `file`."""
    portal = portal_context()
    if not getattr(portal.files, "receives_uploads", False) or len(upload_id) > MAX_UPLOAD_ID:
        return _not_found()
    sent = request.files.get("file")
    if sent is None:
        return api_error(400, "invalid_fields", "Send the file in a multipart field named file.",
                         fields={"file": "is required"})
    try:
        received = attachments.receive_upload(portal.files, _contact(), upload_id, sent.filename or "",
                                              sent.stream, portal.charter.attachments)
    except NotFound:
        return _not_found()
    if isinstance(received, UploadRefusal):
        return _refused(received)
    return jsonify({"upload_id": upload_id}), 201


@bp.post("/uploads/<upload_id>/done")
@token_required
def api_accept_upload(upload_id: str):
    """The bytes are there: the file is accepted by its content (type, size, archive limits) or deleted with the
    reason."""
    portal = portal_context()
    if len(upload_id) > MAX_UPLOAD_ID:
        return _not_found()
    try:
        accepted = attachments.accept_upload(portal.files, _contact(), upload_id, portal.charter.attachments)
    except NotFound:
        return _not_found()
    if isinstance(accepted, UploadRefusal):
        return _refused(accepted)
    return jsonify({"upload_id": accepted.upload_id, "name": accepted.name, "size": accepted.size,
                    "kind": accepted.kind, "sha256": accepted.sha256})
