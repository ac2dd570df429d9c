"""Requests through the JSON API: file, list, read, add information, say solved, reopen, answer the survey.

The same services as the pages, so the same rules and the same refusals; this module only checks the
shape of what a program sends and turns the services' answers and errors into JSON.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import UTC, datetime

from flask import g, jsonify, request, url_for
from flask_babel import get_locale

from portal.api import bp
from portal.api.auth import token_required
from portal.api.errors import api_error
from portal.domain.errors import ConcurrentUpdate, NotFound
from portal.domain.instants import iso_utc
from portal.domain.queue import position_is_exact
from portal.domain.ticket_files import files_of
from portal.domain.workflow import ActionNotAllowed
from portal.services import attachments, deflection, followup, intake
from portal.services.explanations import explain
from portal.services.notifications import acknowledgement_mail, send_quietly
from portal.services.refusals import refusal_message
from portal.web.app import portal_context
from portal.web.json_body import json_body
from portal.web.requests.routes import _queue_key_for

MAX_ID = 100
MAX_NUMBER = 32
MAX_VERSION = 50
MAX_FACTS = 50
MAX_ATTACHMENTS = 20
MAX_IDEMPOTENCY_KEY = 100
MAX_COMMENT = 4_000
TICKET_FIELDS = {"category", "product", "version", "severity", "subject", "topic", "facts", "attachments", "kb_shown"}


class TokenContact:
    """The token's contact as the follow-up services see it; the roles are read only when a rule asks for
    them (a system owner sees the whole company's requests, rule P2)."""

    def __init__(self, token, accounts):
        self.contact_id = token.contact_id
        self.company_id = token.company_id
        self._accounts = accounts

    @functools.cached_property
    def profile(self):
        return self._accounts.contact(self.company_id, self.contact_id)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(self.profile.roles) if self.profile else ()


class BadShape(Exception):
    """The body is not what the endpoint accepts: {field: what is wrong}."""

    def __init__(self, fields: dict[str, str], code: str = "invalid_fields"):
        super().__init__(", ".join(fields))
        self.fields = fields
        self.code = code


class UnknownUploadIds(BadShape):
    """Upload ids well formed but naming no accepted upload of the contact's company (the same for each reason)."""

    def __init__(self, upload_ids: tuple[str, ...]):
        super().__init__({"attachments": "no accepted upload with these ids"}, "unknown_uploads")
        self.upload_ids = upload_ids


def _language() -> str:
    return str(get_locale())


def _contact() -> TokenContact:
    return TokenContact(g.api_token, portal_context().storage.accounts)


def _json_body() -> dict:
    """The request's JSON object. :raise BadShape: when the body is not a JSON object."""
    body = json_body()
    if not isinstance(body, dict):
        raise BadShape({"body": "must be a JSON object (Content-Type: application/json)"}, "malformed_json")
    return body


def _text(body: dict, name: str, problems: dict, *, required: bool, limit: int) -> str:
    value = body.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        problems[name] = "must be a string"
    elif required and not value.strip():
        problems[name] = "is required"
    elif len(value) > limit:
        problems[name] = f"must be at most {limit} characters"
    else:
        return value.strip()
    return ""


def _upload_ids(body: dict, problems: dict) -> tuple[str, ...]:
    value = body.get("attachments", [])
    if value is None:
        return ()
    if (not isinstance(value, list) or len(value) > MAX_ATTACHMENTS
            or not all(isinstance(item, str) and 0 < len(item) <= MAX_ID for item in value)):
        problems["attachments"] = f"must be a list of at most {MAX_ATTACHMENTS} upload ids"
        return ()
    return tuple(value)


def _kb_shown(body: dict, problems: dict) -> tuple[str, ...]:
    value = body.get("kb_shown", [])
    if value is None:
        return ()
    if (not isinstance(value, list) or len(value) > deflection.MAX_SHOWN
            or not all(isinstance(item, str) and deflection.ARTICLE_ID.match(item) for item in value)):
        problems["kb_shown"] = f"must be a list of at most {deflection.MAX_SHOWN} article ids"
        return ()
    return tuple(value)


def _facts(body: dict, problems: dict) -> dict[str, str]:
    value = body.get("facts", {})
    if value is None:
        return {}
    if (not isinstance(value, dict) or len(value) > MAX_FACTS
            or not all(isinstance(k, str) and len(k) <= MAX_ID and isinstance(v, str)
                       and len(v) <= intake.MAX_DESCRIPTION for k, v in value.items())):
        problems["facts"] = (f"must be an object of at most {MAX_FACTS} texts of at most "
                             f"{intake.MAX_DESCRIPTION} characters")
        return {}
    return value


def _topic(body: dict, problems: dict) -> str | None:
    """One of the charter's scope topics, in or out of scope (S3, G7, G8, E8, P10, P11), or none."""
    topic = _text(body, "topic", problems, required=False, limit=MAX_ID)
    charter = portal_context().charter
    if topic and topic not in {known.id for known in (*charter.in_scope, *charter.out_of_scope)}:
        problems["topic"] = "is not one of the charter's topics (the document's NewTicket.topic lists them)"
    return topic


def _severity(body: dict, problems: dict) -> int:
    value = body.get("severity")
    levels = sorted(severity.level for severity in portal_context().charter.severities) or [1, 2, 3, 4]
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON does not tell 2 from 2.0
    if isinstance(value, bool) or not isinstance(value, int) or value not in levels:
        problems["severity"] = f"must be one of {', '.join(map(str, levels))}"
        return 0
    return value


def draft_from_json(body: dict, idempotency_key: str | None) -> intake.RequestDraft:
    """The request a program sends, shape-checked (the charter's rules are the intake service's).

    :raise BadShape: unknown fields, wrong types, a severity outside the charter's, over-long texts.
    """
    problems: dict[str, str] = {name: "is not a field of a request" for name in body if name not in TICKET_FIELDS}
    category = _text(body, "category", problems, required=True, limit=MAX_ID)
    product = _text(body, "product", problems, required=True, limit=MAX_ID)
    version = _text(body, "version", problems, required=True, limit=MAX_VERSION)
    subject = _text(body, "subject", problems, required=True, limit=intake.MAX_SUBJECT)
    topic = _topic(body, problems)
    severity = _severity(body, problems)
    facts = _facts(body, problems)
    upload_ids = _upload_ids(body, problems)
    kb_shown = _kb_shown(body, problems)
    if idempotency_key is not None and not 0 < len(idempotency_key) <= MAX_IDEMPOTENCY_KEY:
        problems["Idempotency-Key"] = f"must be 1 to {MAX_IDEMPOTENCY_KEY} characters"
    if problems:
        raise BadShape(problems)
    return intake.RequestDraft(category=category, product_id=product, version=version, severity=severity,
                               subject=subject, topic=topic or None, facts=facts, attachments=upload_ids,
                               channel=intake.WEB, idempotency_key=idempotency_key, kb_shown=kb_shown)


def accepted_attachments(contact, upload_ids: tuple[str, ...]) -> tuple:
    """The accepted uploads of the contact's company behind these ids (checked by content when they arrived).

    :raise BadShape: an id that is unknown, not accepted, or another company's (the same answer for each).
    """
    try:
        return attachments.accepted_attachments(portal_context().files, contact, upload_ids)
    except attachments.UnknownUploads as unknown:
        raise UnknownUploadIds(tuple(unknown.upload_ids)) from None


def _bad_shape(error: BadShape):
    """400 for a body the document refuses; 422 for upload ids well formed but naming no accepted upload."""
    if isinstance(error, UnknownUploadIds):
        return api_error(422, error.code, "An attachment names no accepted upload of your company.",
                         uploads=list(error.upload_ids))
    message = ("The body is not a JSON object." if error.code == "malformed_json"
               else "Some fields are missing or invalid.")
    return api_error(400, error.code, message, fields=error.fields)


def _not_found():
    return api_error(404, "not_found", "No such request, or it is not yours.")


def _plausible(number: str) -> bool:
    """A request number is short (e.g. 2026-000123): anything longer is not one, and is not looked up."""
    return 0 < len(number) <= MAX_NUMBER


def _acknowledgement_json(ack: intake.Acknowledgement, queue_position: int | None) -> dict:
    portal = portal_context()
    return {"number": ack.ticket.number, "status": ack.ticket.status, "priority": ack.priority,
            "response_due": iso_utc(ack.due.due), "explanation": explain(ack.due.parts, _language(), portal.calendar),
            "queue_position": queue_position,
            "queue_position_exact": queue_position is None or position_is_exact(queue_position)}


def _current_queue_position(ticket) -> int | None:
    """Where a request filed earlier stands in the queue now (None once it left the queue)."""
    key = _queue_key_for(portal_context().charter)(ticket)
    return portal_context().storage.tickets.queue_position(key) if key else None


def _out_of_scope_json(topic) -> dict:
    language = _language()
    return {"id": topic.id, "label": topic.label.get(language), "explanation": topic.explanation.get(language),
            "alternative": topic.alternative}


def _refused(refused: intake.IntakeRefused):
    allowed = next((r for r in refused.refusals if r.code == "category_not_allowed"), None)
    if allowed is not None:
        categories = [c for c in allowed.params.get("allowed", "").split(", ") if c]
        return api_error(422, "category_not_allowed",
                         f"Requests of category {allowed.params.get('category')!r} cannot be filed for this "
                         "product version.", allowed=categories)
    language = _language()
    reasons = [{"code": r.code, "message": refusal_message(r, language), **r.params} for r in refused.refusals]
    return api_error(422, "not_eligible", "This request cannot be filed; the reasons say why and what to do.",
                     reasons=reasons)


@bp.post("/tickets")
@token_required
def file_ticket():
    """File a request: every charter check runs before anything is stored; a retried call with the same
    Idempotency-Key answers the request filed the first time (200) instead of filing a second one."""
    portal, contact = portal_context(), _contact()
    try:
        draft = draft_from_json(_json_body(), request.headers.get("Idempotency-Key"))
        draft = replace(draft, attachments=accepted_attachments(contact, draft.attachments))
    except BadShape as error:
        return _bad_shape(error)
    try:
        ack = intake.submit_request(portal.charter, portal.calendar, portal.storage.accounts, portal.storage.catalog,
                                    portal.storage.tickets, contact, draft, datetime.now(UTC))
    except intake.OutOfScope as out:
        return api_error(422, "out_of_scope", "Support does not cover this topic; see the alternative offered.",
                         topic=_out_of_scope_json(out.topic))
    except intake.IntakeRefused as refused:
        return _refused(refused)
    except intake.MissingFacts as missing:
        return api_error(422, "missing_facts", "Facts the charter requires for this category are missing or "
                         "invalid.", fields=missing.problems)
    except intake.IdempotencyKeyTaken:
        return api_error(409, "idempotency_key_taken", "This Idempotency-Key was used by another client of your "
                         "company: send the request with a key of your own.")
    if ack.duplicate:
        return jsonify(_acknowledgement_json(ack, _current_queue_position(ack.ticket))), 200
    if contact.profile is not None:
        send_quietly(portal.mailer, acknowledgement_mail(portal.charter, portal.calendar, contact.profile, ack))
    deflection.count_request_filed_anyway(portal.storage.kb_counters, draft.kb_shown)  # T7
    response = jsonify(_acknowledgement_json(ack, ack.queue_position))
    response.status_code = 201
    response.headers["Location"] = url_for("api.read_ticket", number=ack.ticket.number)
    return response


def _summary_json(summary) -> dict:
    return {"number": summary.number, "subject": summary.subject, "status": summary.status,
            "category": summary.category, "severity": summary.severity, "created_at": iso_utc(summary.created_at),
            "response_due": iso_utc(summary.response_due), "product": summary.product_id, "version": summary.version}


def _ticket_json(ticket) -> dict:
    return {"number": ticket.number, "subject": ticket.subject, "status": ticket.status,
            "category": ticket.category, "severity": ticket.severity, "created_at": iso_utc(ticket.created_at),
            "status_since": iso_utc(ticket.status_since), "response_due": iso_utc(ticket.response_due),
            "product": ticket.product_id, "version": ticket.version, "facts": dict(ticket.facts)}


def _event_json(event) -> dict:
    data = {name: value for name, value in event.data.items() if name != "files"}
    files = [{"name": f.name, "size": f.size, "kind": f.kind, "sha256": f.sha256} for f in files_of(event)]
    return {"kind": str(event.kind), "at": iso_utc(event.at), "data": data, "files": files}


@bp.get("/tickets")
@token_required
def list_tickets():
    """The contact's requests, newest first; a system owner sees the whole company's (rule P2)."""
    summaries = followup.my_requests(portal_context().storage.tickets, _contact())
    return jsonify({"tickets": [_summary_json(summary) for summary in summaries]})


@bp.get("/tickets/<number>")
@token_required
def read_ticket(number):
    """One request with its public history; internal notes never appear."""
    if not _plausible(number):
        return _not_found()
    try:
        view = followup.request_view(portal_context().storage.tickets, _contact(), number)
    except NotFound:
        return _not_found()
    return jsonify({**_ticket_json(view.ticket), "history": [_event_json(event) for event in view.events]})


def _reopen_until(closed_at):
    """The last instant a closed request may be reopened: the charter's confirmation window (None: no window)."""
    portal = portal_context()
    window = portal.charter.closure.confirmation_window_business_days
    return portal.calendar.add_business_days(closed_at, window) if window else None


def _follow_up(number: str, action, status: int = 200):
    """Run a follow-up service on the token's contact and answer the request as it is afterwards."""
    portal = portal_context()
    if not _plausible(number):
        return _not_found()
    try:
        ticket = action(portal, _contact(), datetime.now(UTC), _queue_key_for(portal.charter))
    except NotFound:
        return _not_found()
    except ActionNotAllowed as refused:
        return api_error(409, "not_allowed", f"That is not possible while the request is {refused.state}.",
                         state=refused.state)
    except ConcurrentUpdate:
        return api_error(409, "conflict", "The request changed meanwhile: read it again and retry.")
    except followup.ReopenWindowOver:
        return api_error(409, "reopen_window_over", "This request can no longer be reopened: file a new one.")
    return jsonify(_ticket_json(ticket)), status


@bp.post("/tickets/<number>/messages")
@token_required
def add_message(number):
    """Rule P9: add information and files; sending the files a request awaits reopens it (rule S13)."""
    try:
        body = _json_body()
        problems = {name: "is not a field of a message" for name in body if name not in ("text", "attachments")}
        text = _text(body, "text", problems, required=False, limit=followup.MAX_MESSAGE)
        upload_ids = _upload_ids(body, problems)
        if not problems and not text and not upload_ids:
            problems["text"] = "write a text or send attachments"
        if problems:
            raise BadShape(problems)
        accepted = accepted_attachments(_contact(), upload_ids)
    except BadShape as error:
        return _bad_shape(error)
    return _follow_up(number, lambda portal, contact, now, key: followup.add_information(
        portal.storage.tickets, contact, number, text, accepted, now, key), status=201)


@bp.post("/tickets/<number>/solved")
@token_required
def mark_solved(number):
    """Rule S14: the customer says the problem is solved."""
    return _follow_up(number, lambda portal, contact, now, key: followup.mark_solved(
        portal.storage.tickets, contact, number, now, key))


@bp.post("/tickets/<number>/reopen")
@token_required
def reopen(number):
    """The customer reopens a resolved request, or a closed one within the charter's window."""
    return _follow_up(number, lambda portal, contact, now, key: followup.reopen(
        portal.storage.tickets, contact, number, now, _reopen_until, key))


@bp.post("/tickets/<number>/survey")
@token_required
def answer_survey(number):
    """Rule G3: a score and a comment once the request is resolved or closed, answered once."""
    portal = portal_context()
    if not _plausible(number):
        return _not_found()
    try:
        body = _json_body()
        problems = {name: "is not a field of a survey answer" for name in body if name not in ("score", "comment")}
        score = body.get("score")
        if isinstance(score, float) and score.is_integer():
            score = int(score)  # JSON does not tell 3 from 3.0
        if isinstance(score, bool) or not isinstance(score, int):
            problems["score"] = f"must be a whole number from 1 to {portal.charter.survey.scale}"
        comment = _text(body, "comment", problems, required=False, limit=MAX_COMMENT)
        if problems:
            raise BadShape(problems)
    except BadShape as error:
        return _bad_shape(error)
    try:
        followup.answer_survey(portal.storage.tickets, portal.charter, portal.calendar, _contact(), number, score,
                               comment, datetime.now(UTC))
    except NotFound:
        return _not_found()
    except followup.SurveyNotOpen:
        return api_error(409, "not_allowed", "The survey is answered once, on a resolved or closed request, where "
                         "the charter has one.")
    except ValueError:
        return _bad_shape(BadShape({"score": f"must be a whole number from 1 to {portal.charter.survey.scale}"}))
    return jsonify({"number": number, "score": score, "comment": comment}), 201
