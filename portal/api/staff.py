"""The support team's JSON API (`/api/v1/staff/...`) for integrations, with staff tokens (`Bearer st_...`): a
telephony system logs contact attempts, a CRM reads the queue; the meeting list (S8), problem records (S9, P8),
the director's review (T8) and the follow-up tasks (G3). The same services and role rules as the console."""

from __future__ import annotations

import functools
from datetime import UTC, datetime

from flask import current_app, g, jsonify, request, url_for

from portal.api import bp
from portal.api.errors import api_error
from portal.domain.errors import ConcurrentUpdate, NotFound
from portal.domain.instants import iso_utc
from portal.domain.problems import KINDS, STATUSES, ProblemRefused
from portal.domain.staff import DIRECTOR, MANAGER, OVERSEERS, WORKERS
from portal.domain.workflow import ActionNotAllowed
from portal.services import console, lead, problems
from portal.services.staff_tokens import authenticate_staff
from portal.web.app import portal_context
from portal.web.json_body import json_body

MAX_ID = 40


def staff_token_required(*roles: str):
    """Endpoints for the team's programs: a valid staff token (else 401), of one of `roles` (else 403)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not presented.strip():
                return api_error(401, "unauthenticated", "Send a staff API token: Authorization: Bearer <token>.")
            storage = portal_context().storage
            member = authenticate_staff(storage.api_tokens, storage.staff, presented.strip(), datetime.now(UTC).date())
            if member is None:
                return api_error(401, "unauthenticated", "The staff token is unknown, altered or revoked.")
            if roles and member.role not in roles:
                return api_error(403, "forbidden", f"The role {member.role} may not do this.")
            g.staff_member = member
            return view(*args, **kwargs)

        return wrapper

    return decorate


class BadBody(Exception):
    def __init__(self, fields: dict[str, str], code: str = "invalid_fields"):
        super().__init__(code)
        self.fields = fields
        self.code = code


def _body(**shape) -> dict:
    """The JSON object sent, checked against {name: (required, max length)}; text values only.

    :raise BadBody: not an object, or a field missing, not a string or too long.
    """
    body = json_body()
    if not isinstance(body, dict):
        raise BadBody({"body": "must be a JSON object (Content-Type: application/json)"}, "malformed_json")
    problems_found, values = {}, {}
    for name, (required, limit) in shape.items():
        value = body.get(name)
        if value is None:
            if required:
                problems_found[name] = "is required"
            values[name] = ""
        elif not isinstance(value, str):
            problems_found[name] = "must be a string"
        elif required and not value.strip():
            problems_found[name] = "is required"
        elif len(value) > limit:
            problems_found[name] = f"must be at most {limit} characters"
        else:
            values[name] = value.strip()
    unknown = sorted(set(body) - set(shape) - {"revision"})
    for name in unknown:
        problems_found[name] = "is not a field of this endpoint"
    if problems_found:
        raise BadBody(problems_found)
    return values


def _errors(view):
    """The services' refusals as JSON errors with a code, never a 500."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except BadBody as bad:
            message = "The body is not a JSON object." if bad.code == "malformed_json" else "Some fields are wrong."
            return api_error(400, bad.code, message, fields=bad.fields)
        except NotFound:
            return api_error(404, "not_found", "No such request, record or open task.")
        except console.NotPermitted:
            return api_error(403, "forbidden", "This role may not do this.")
        except console.InvalidInput as invalid:
            return api_error(422, "invalid_input", "The input cannot be used.", problem=invalid.problem)
        except console.OwnedByColleague:
            return api_error(409, "owned_by_colleague", "Another technician owns this request.")
        except ConcurrentUpdate:
            return api_error(409, "conflict", "The request changed meanwhile: read it again and retry.")
        except ActionNotAllowed:
            return api_error(409, "not_allowed", "Not possible in the request's current state.")
        except lead.NotForReview:
            return api_error(409, "not_for_review", "The request is not waiting for the director's review (T8).")
        except ProblemRefused as refused:
            return api_error(422, refused.code, "The problem record refuses this.", rule=refused.rule or None)
        except ValueError as error:
            return api_error(422, str(error) or "invalid_input", "The input cannot be used.")

    return wrapper


def _now() -> datetime:
    return datetime.now(UTC)


def _ticket_json(ticket) -> dict:
    return {"number": ticket.number, "subject": ticket.subject, "status": ticket.status,
            "company_id": ticket.company_id, "category": ticket.category, "severity": ticket.severity,
            "tier": ticket.tier, "channel": ticket.channel, "product": ticket.product_id, "version": ticket.version,
            "owner_id": ticket.owner_id, "created_at": iso_utc(ticket.created_at),
            "response_due": iso_utc(ticket.response_due), "revision": ticket.revision}


def _revision() -> int | None:
    """The revision the caller read (optional): the action is refused if the request changed since."""
    body = json_body() or {}
    value = body.get("revision") if isinstance(body, dict) else None
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise BadBody({"revision": "must be an integer"})
    return value


def _desk() -> console.Desk:
    portal = portal_context()
    storage = portal.storage
    return console.Desk(storage.tickets, storage.accounts, storage.staff, portal.charter, portal.mailer,
                        lead.queue_key_for(portal.charter),
                        lambda number: url_for("requests.detail", number=number, _external=True)
                        if "requests.detail" in current_app.view_functions else "")


# --- the queue and the technicians' actions (staff-core's services) -------------------------------------


@bp.get("/staff/queue")
@staff_token_required(*WORKERS)
@_errors
def staff_queue():
    """Open requests in charter order (T2, P5, S4) with the business time left to their commitment."""
    portal = portal_context()
    filters = {key: request.args.get(key, "")[:MAX_ID] for key in console.QUEUE_FILTERS if request.args.get(key)}
    rows = console.queue(portal.storage.queue, portal.storage.staff, portal.calendar, _now(), filters)
    return jsonify({"requests": [
        {**_ticket_json(row.ticket), "position": row.position, "owner_name": row.owner_name,
         "answered": row.answered, "overdue": row.overdue,
         "business_seconds_left": None if row.time_left is None else int(row.time_left.total_seconds())}
        for row in rows]})


@bp.post("/staff/tickets/<number>/contact-attempts")
@staff_token_required(*WORKERS)
@_errors
def staff_contact_attempt(number: str):
    """A call to the customer from the telephony system: reached, voicemail or no answer (S5, S6, S11)."""
    body = _body(outcome=(True, 20), note=(False, 20_000))
    done = console.log_contact_attempt(_desk(), g.staff_member, number[:MAX_ID], _revision(), body["outcome"],
                                       body["note"], _now())
    return jsonify(_ticket_json(done.ticket)), 201


def _event_json(event) -> dict:
    return {"kind": str(event.kind), "at": iso_utc(event.at), "actor": event.actor, "public": event.public,
            "data": {key: str(value) for key, value in dict(event.data).items()}}


@bp.get("/staff/tickets/<number>")
@staff_token_required(*WORKERS)
@_errors
def staff_ticket(number: str):
    """One request with its whole history, internal notes included (marked `public: false`)."""
    ticket, events = console.load(portal_context().storage.tickets, number[:MAX_ID])
    problem_id = portal_context().storage.problems.linked_problem(ticket.number)
    return jsonify({**_ticket_json(ticket), "problem_id": problem_id,
                    "history": [_event_json(event) for event in sorted(events, key=lambda e: e.at)]})


TEXT = (True, 20_000)
OPTIONAL_TEXT = (False, 20_000)
# action path -> (the body it takes, the console service called with the desk, member, number, revision, body, now)
ACTIONS = {
    "claim": ({}, lambda d, m, n, r, b, now: console.claim(d, m, n, r, now)),
    "replies": ({"text": TEXT}, lambda d, m, n, r, b, now: console.reply(d, m, n, r, b["text"], now)),
    "notes": ({"text": TEXT}, lambda d, m, n, r, b, now: console.add_note(d, m, n, r, b["text"], now)),
    "information-requests": ({"text": TEXT},
                             lambda d, m, n, r, b, now: console.ask_information(d, m, n, r, b["text"], now)),
    "file-requests": ({"text": TEXT}, lambda d, m, n, r, b, now: console.ask_files(d, m, n, r, b["text"], now)),
    "escalations": ({"target": (True, 20), "reference": (False, 200), "note": OPTIONAL_TEXT,
                     "colleague_id": (False, MAX_ID)},
                    lambda d, m, n, r, b, now: console.escalate(d, m, n, r, b["target"], b["reference"], b["note"],
                                                                now, b["colleague_id"])),
    "resolution": ({"text": OPTIONAL_TEXT}, lambda d, m, n, r, b, now: console.resolve(d, m, n, r, b["text"], now)),
    "reopening": ({"reason": OPTIONAL_TEXT},
                  lambda d, m, n, r, b, now: console.reopen(d, m, n, r, b["reason"], now)),
    "owner": ({"owner_id": (True, MAX_ID)},
              lambda d, m, n, r, b, now: console.reassign(d, m, n, r, b["owner_id"], now)),
}


@bp.post("/staff/tickets/<number>/<action>")
@staff_token_required(*WORKERS)
@_errors
def staff_ticket_action(number: str, action: str):
    """The technicians' actions (S7, S12, S13, S14, T6, G2, G9, E3), each refused where the console refuses it."""
    if action not in ACTIONS:
        return api_error(404, "not_found", "No such action.")
    shape, call = ACTIONS[action]
    body = _body(**shape) if shape or request.get_data() else {}
    done = call(_desk(), g.staff_member, number[:MAX_ID], _revision(), body, _now())
    return jsonify({**_ticket_json(done.ticket), "mailed": done.mailed})


# --- the weekly meeting (S8) ------------------------------------------------------------------------------


@bp.get("/staff/meeting")
@staff_token_required(*OVERSEERS)
@_errors
def staff_meeting():
    portal = portal_context()
    storage = portal.storage
    rows = lead.meeting_list(storage.oversight, storage.tickets, storage.staff, portal.charter, portal.calendar,
                             _now())
    return jsonify({"requests": [{
        **_ticket_json(row.ticket), "age_business_days": row.age_business_days, "owner_name": row.owner_name,
        "last_contact": None if row.last_contact is None else {
            "at": iso_utc(row.last_contact.at), "kind": row.last_contact.kind,
            "by_customer": row.last_contact.by_customer, "outcome": row.last_contact.outcome or None},
        "next_step": {"code": row.next_step.code, "text": row.next_step.text, "rule": row.next_step.rule or None,
                      "at": iso_utc(row.next_step.at)},
        "problem_id": row.problem_id or None} for row in rows]})


@bp.post("/staff/meeting/<number>/next-step")
@staff_token_required(*OVERSEERS)
@_errors
def staff_next_step(number: str):
    body = _body(text=(True, 500))
    storage = portal_context().storage
    lead.record_next_step(storage.oversight, storage.tickets, number[:MAX_ID], body["text"],
                          g.staff_member.staff_id, _now())
    return jsonify({"number": number[:MAX_ID], "next_step": body["text"]}), 201


# --- problem records (S9, P8, T8) -------------------------------------------------------------------------


def _record_json(record) -> dict:
    return {"id": record.problem_id, "kind": record.kind, "title": record.title, "status": record.status,
            "product": record.product_id, "version": record.version, "description": record.description,
            "resolution": record.resolution, "created_at": iso_utc(record.created_at), "created_by": record.created_by,
            "requests": list(record.tickets)}


@bp.get("/staff/problems")
@staff_token_required(*WORKERS)
@_errors
def staff_problems():
    kind = request.args.get("kind")
    status = request.args.get("status", "open")
    if (kind is not None and kind not in KINDS) or (status not in STATUSES and status != "any"):
        return api_error(400, "invalid_parameter", "kind is defect or feature; status is open, closed or any.")
    records = problems.list_problems(portal_context().storage.problems, kind, None if status == "any" else status)
    return jsonify({"problems": [_record_json(record) for record in records]})


@bp.post("/staff/problems")
@staff_token_required(*WORKERS)
@_errors
def staff_open_problem():
    body = _body(kind=(True, 20), title=(True, 200), product=(False, 100), version=(False, 50),
                 description=(False, 4_000))
    record = problems.open_problem(portal_context().storage.problems, body["kind"], body["title"],
                                   g.staff_member.staff_id, _now(), body["product"], body["version"],
                                   body["description"])
    return jsonify(_record_json(record)), 201


@bp.get("/staff/problems/<problem_id>")
@staff_token_required(*WORKERS)
@_errors
def staff_problem(problem_id: str):
    return jsonify(_record_json(_get_record(problem_id)))


def _get_record(problem_id: str):
    record = portal_context().storage.problems.get(problem_id[:MAX_ID])
    if record is None:
        raise NotFound(problem_id)
    return record


@bp.post("/staff/problems/<problem_id>/links")
@staff_token_required(*WORKERS)
@_errors
def staff_link_problem(problem_id: str):
    """Link a request (rule S9: only a programming defect joins the problem database)."""
    body = _body(number=(True, MAX_ID), cause=(False, 40))
    storage = portal_context().storage
    problems.link_request(storage.problems, storage.tickets, body["number"], problem_id[:MAX_ID], body["cause"],
                          g.staff_member.staff_id, _now())
    return jsonify(_record_json(_get_record(problem_id))), 201


@bp.post("/staff/problems/<problem_id>/close")
@staff_token_required(*OVERSEERS)
@_errors
def staff_close_problem(problem_id: str):
    body = _body(resolution=(True, 4_000))
    problems.close_problem(portal_context().storage.problems, problem_id[:MAX_ID], body["resolution"])
    return jsonify(_record_json(_get_record(problem_id)))


# --- the director (T8) ------------------------------------------------------------------------------------


@bp.get("/staff/review")
@staff_token_required(DIRECTOR)
@_errors
def staff_review():
    portal = portal_context()
    storage = portal.storage
    items = lead.director_list(storage.oversight, storage.tickets, storage.staff, portal.charter, portal.calendar,
                               _now())
    return jsonify({"requests": [{**_ticket_json(item.ticket), "review_since": iso_utc(item.since),
                                  "age_business_days": item.age_business_days, "owner_name": item.owner_name}
                                 for item in items]})


@bp.post("/staff/review/<number>")
@staff_token_required(DIRECTOR)
@_errors
def staff_decide(number: str):
    body = _body(decision=(True, 40), note=(False, 2_000), problem=(False, MAX_ID))
    portal = portal_context()
    saved = lead.director_decide(portal.storage.tickets, portal.storage.problems, portal.charter, portal.calendar,
                                 number[:MAX_ID], body["decision"], g.staff_member.staff_id, _now(), body["note"],
                                 body["problem"])
    return jsonify({**_ticket_json(saved), "problem_id": portal.storage.problems.linked_problem(saved.number)})


# --- follow-up tasks (G3, T8) -----------------------------------------------------------------------------


@bp.get("/staff/tasks")
@staff_token_required(MANAGER, DIRECTOR)
@_errors
def staff_tasks():
    storage = portal_context().storage
    items = lead.task_list(storage.tickets, storage.staff, g.staff_member.role, _now())
    return jsonify({"tasks": [{"number": item.task.ticket_number, "kind": item.task.kind, "due": iso_utc(item.task.due),
                               "created": iso_utc(item.task.created), "owner_id": item.task.owner_id,
                               "owner_name": item.owner_name, "overdue": item.overdue} for item in items]})


@bp.post("/staff/tasks/<number>/<kind>/owner")
@staff_token_required(MANAGER, DIRECTOR)
@_errors
def staff_assign_task(number: str, kind: str):
    body = _body(email=(True, 254))
    storage = portal_context().storage
    name = lead.assign_task(storage.oversight, storage.staff, number[:MAX_ID], kind[:MAX_ID], body["email"],
                            g.staff_member.role)
    return jsonify({"number": number[:MAX_ID], "kind": kind[:MAX_ID], "owner_name": name})


@bp.post("/staff/tasks/<number>/<kind>/done")
@staff_token_required(MANAGER, DIRECTOR)
@_errors
def staff_finish_task(number: str, kind: str):
    body = _body(note=(True, 2_000))
    lead.finish_task(portal_context().storage.oversight, number[:MAX_ID], kind[:MAX_ID], body["note"],
                     g.staff_member.staff_id, g.staff_member.role, _now())
    return jsonify({"number": number[:MAX_ID], "kind": kind[:MAX_ID], "done": True})
