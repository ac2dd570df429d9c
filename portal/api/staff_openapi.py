"""The staff part of the OpenAPI document (`/api/v1/staff/...`, staff tokens); merged by portal.api.openapi."""

from __future__ import annotations

STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
INSTANT = {"type": "string", "format": "date-time"}
NULLABLE_INSTANT = {"type": ["string", "null"], "format": "date-time"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str) -> dict:
    return {"content": {"application/json": {"schema": _ref(name)}}}


def _text(limit: int) -> dict:
    """A required text: at least one character that is not a space (the API strips what it receives)."""
    return {"type": "string", "maxLength": limit, "pattern": r"\S"}


def _object(required: list[str], properties: dict, closed: bool = False) -> dict:
    schema = {"type": "object", "required": required, "properties": properties}
    if closed:
        schema["additionalProperties"] = False
    return schema


STAFF_TICKET = _object(
    ["number", "subject", "status", "company_id", "category", "severity", "tier", "channel", "product", "version",
     "owner_id", "created_at", "response_due", "revision"],
    {"number": STRING, "subject": STRING, "status": STRING, "company_id": STRING, "category": STRING,
     "severity": {"type": "integer"}, "tier": STRING, "channel": STRING, "product": NULLABLE_STRING,
     "version": NULLABLE_STRING, "owner_id": NULLABLE_STRING, "created_at": INSTANT, "response_due": NULLABLE_INSTANT,
     "revision": {"type": "integer", "description": "Send it back with an action: refused (409) if it changed."}})

PROBLEM = _object(
    ["id", "kind", "title", "status", "product", "version", "description", "resolution", "created_at", "created_by",
     "requests"],
    {"id": STRING, "kind": {"type": "string", "enum": ["defect", "feature"],
                            "description": "defect: the problem database (S9, T8); feature: the backlog (P8)."},
     "title": STRING, "status": {"type": "string", "enum": ["open", "closed"]}, "product": NULLABLE_STRING,
     "version": NULLABLE_STRING, "description": STRING, "resolution": STRING, "created_at": INSTANT,
     "created_by": STRING, "requests": {"type": "array", "items": STRING}})

STAFF_SCHEMAS = {
    "StaffTicket": STAFF_TICKET,
    "StaffQueue": _object(["requests"], {"requests": {"type": "array", "items": {"allOf": [_ref("StaffTicket"), _object(
        ["position", "owner_name", "answered", "overdue", "business_seconds_left"],
        {"position": {"type": "integer", "minimum": 1}, "owner_name": STRING, "answered": {"type": "boolean"},
         "overdue": {"type": "boolean"}, "business_seconds_left": {"type": ["integer", "null"]}})]}}}),
    "ContactAttempt": _object(["outcome"], {
        "outcome": {"type": "string", "enum": ["reached", "voicemail", "no_answer"]},
        "note": {"type": "string", "maxLength": 20_000}, "revision": {"type": "integer"}}, closed=True),
    "MeetingList": _object(["requests"], {"requests": {"type": "array", "items": {"allOf": [
        _ref("StaffTicket"), _object(["age_business_days", "owner_name", "last_contact", "next_step", "problem_id"],
        {"age_business_days": {"type": "integer", "minimum": 0}, "owner_name": STRING,
         "last_contact": {"oneOf": [{"type": "null"}, _object(["at", "kind", "by_customer", "outcome"], {
             "at": INSTANT, "kind": STRING, "by_customer": {"type": "boolean"}, "outcome": NULLABLE_STRING})]},
         "next_step": _object(["code", "text", "rule", "at"], {"code": STRING, "text": STRING,
                                                               "rule": NULLABLE_STRING, "at": NULLABLE_INSTANT}),
         "problem_id": NULLABLE_STRING})]}}}),
    "NextStep": _object(["text"], {"text": _text(500)}, closed=True),
    "NextStepRecorded": _object(["number", "next_step"], {"number": STRING, "next_step": STRING}),
    "Problem": PROBLEM,
    "Problems": _object(["problems"], {"problems": {"type": "array", "items": _ref("Problem")}}),
    "NewProblem": _object(["kind", "title"], {
        "kind": {"type": "string", "enum": ["defect", "feature"]},
        "title": _text(200),
        "product": {"type": "string", "maxLength": 100}, "version": {"type": "string", "maxLength": 50},
        "description": {"type": "string", "maxLength": 4_000}}, closed=True),
    "ProblemLink": _object(["number"], {
        "number": _text(40),
        "cause": {"type": "string", "enum": ["program_defect", "misuse", "wrong_data", "computer"],
                  "description": "Required for a defect: only a programming defect is accepted (rule S9)."}},
        closed=True),
    "ProblemClosure": _object(["resolution"], {"resolution": _text(4_000)},
                              closed=True),
    "ReviewList": _object(["requests"], {"requests": {"type": "array", "items": {"allOf": [_ref("StaffTicket"), _object(
        ["review_since", "age_business_days", "owner_name"],
        {"review_since": INSTANT, "age_business_days": {"type": "integer"}, "owner_name": STRING})]}}}),
    "Decision": _object(["decision"], {
        "decision": {"type": "string", "enum": ["close_not_critical", "close_feature_request", "escalate_malfunction"]},
        "note": {"type": "string", "maxLength": 2_000},
        "problem": {"type": "string", "maxLength": 40,
                    "description": "An open record of the right kind; without it one is opened from the subject."}},
        closed=True),
    "Decided": {"allOf": [_ref("StaffTicket"), _object(["problem_id"], {"problem_id": NULLABLE_STRING})]},
    "Tasks": _object(["tasks"], {"tasks": {"type": "array", "items": _object(
        ["number", "kind", "due", "created", "owner_id", "owner_name", "overdue"],
        {"number": STRING, "kind": STRING, "due": INSTANT, "created": INSTANT, "owner_id": NULLABLE_STRING,
         "owner_name": STRING, "overdue": {"type": "boolean"}})}}),
    "TaskOwner": _object(["email"], {"email": _text(254)}, closed=True),
    "TaskOwned": _object(["number", "kind", "owner_name"], {"number": STRING, "kind": STRING, "owner_name": STRING}),
    "TaskDone": _object(["note"], {"note": _text(2_000)}, closed=True),
    "TaskFinished": _object(["number", "kind", "done"],
                            {"number": STRING, "kind": STRING, "done": {"type": "boolean"}}),
}

STAFF_SCHEMAS.update({
    "StaffEvent": _object(["kind", "at", "actor", "public", "data"], {
        "kind": STRING, "at": INSTANT, "actor": STRING, "public": {"type": "boolean"},
        "data": {"type": "object", "additionalProperties": STRING}}),
    "StaffTicketWithHistory": {"allOf": [_ref("StaffTicket"), _object(["problem_id", "history"], {
        "problem_id": NULLABLE_STRING, "history": {"type": "array", "items": _ref("StaffEvent")}})]},
    "ActionDone": {"allOf": [_ref("StaffTicket"), _object(["mailed"], {
        "mailed": {"type": "boolean", "description": "Whether the customer was e-mailed."}})]},
    "Revision": _object([], {"revision": {"type": "integer"}}, closed=True),
    "ActionText": _object(["text"], {"text": _text(20_000),
                                     "revision": {"type": "integer"}}, closed=True),
    "OptionalText": _object([], {"text": {"type": "string", "maxLength": 20_000}, "revision": {"type": "integer"}},
                            closed=True),
    "Reopening": _object([], {"reason": {"type": "string", "maxLength": 20_000}, "revision": {"type": "integer"}},
                         closed=True),
    "Escalation": _object(["target"], {
        "target": {"type": "string", "enum": ["senior", "rnd", "publisher"],
                   "description": "A senior colleague (T6), R&D (G9) or the publisher's level 2 (G2, E3)."},
        "reference": {"type": "string", "maxLength": 200, "description": "Required for the publisher."},
        "note": {"type": "string", "maxLength": 20_000}, "colleague_id": {"type": "string", "maxLength": 40},
        "revision": {"type": "integer"}}, closed=True)
    | {"if": {"properties": {"target": {"const": "publisher"}}},
       "then": {"required": ["reference"], "properties": {"reference": _text(200)}}},
    "Reassignment": _object(["owner_id"], {"owner_id": _text(40),
                                           "revision": {"type": "integer"}}, closed=True),
})

STAFF_SECURITY = {"staff_token": {"type": "http", "scheme": "bearer",
                                  "description": "A staff API token (st_...) from the console's API tokens page."}}


def _error(description: str) -> dict:
    return {"description": description, **_json("Error")}


ERRORS = {"401": _error("No staff token, or an unknown, altered or revoked one."),
          "403": _error("The staff member's role may not do this."),
          "503": _error("A backend did not answer; retry.")}
BODY_ERRORS = {"400": _error("malformed_json, or invalid_fields with `fields`."),
               "404": _error("No such request, record or open task."),
               "409": _error("conflict, not_allowed, owned_by_colleague or not_for_review."),
               "422": _error("A rule refuses it; `code` says which (not_a_defect for rule S9, ...).")}
SECURED = {"security": [{"staff_token": []}]}
NUMBER = {"name": "number", "in": "path", "required": True, "schema": STRING}
PROBLEM_ID = {"name": "problem_id", "in": "path", "required": True, "schema": STRING}
KIND = {"name": "kind", "in": "path", "required": True, "schema": STRING}


def _get(summary: str, schema: str, parameters=()) -> dict:
    """A read; one naming a request, record or task in its path may answer 404."""
    named = any(parameter["in"] == "path" for parameter in parameters)
    missing = {"404": BODY_ERRORS["404"]} if named else {}
    return {"get": {"summary": summary, **SECURED, "parameters": list(parameters),
                    "responses": {"200": {"description": "OK", **_json(schema)}, **ERRORS, **missing}}}


def _post(summary: str, body: str, schema: str, status: str = "200", parameters=()) -> dict:
    return {"post": {"summary": summary, **SECURED, "parameters": list(parameters),
                     "requestBody": {"required": True, **_json(body)},
                     "responses": {status: {"description": "Done", **_json(schema)}, **ERRORS, **BODY_ERRORS}}}


# action path -> (summary, body schema)
TICKET_ACTIONS = {
    "claim": ("Take the request (S7)", "Revision"),
    "replies": ("Answer the customer (e-mailed)", "ActionText"),
    "notes": ("An internal note (never shown to the customer)", "ActionText"),
    "information-requests": ("Ask the customer for information (S12)", "ActionText"),
    "file-requests": ("Ask the customer for files (S13)", "ActionText"),
    "escalations": ("Escalate to a senior colleague, R&D or the publisher (T6, G2, G9, E3)", "Escalation"),
    "resolution": ("Resolved by mutual agreement (S14)", "OptionalText"),
    "reopening": ("Reopen a resolved or closed request", "Reopening"),
    "owner": ("Give the request to another technician (managers and the director)", "Reassignment"),
}

QUERY = [{"name": name, "in": "query", "required": False, "schema": STRING}
         for name in ("product", "severity", "owner", "state")]

STAFF_PATHS = {
    "/staff/queue": _get("The open requests in charter order (T2, P5, S4); for a CRM", "StaffQueue", QUERY),
    "/staff/tickets/{number}/contact-attempts": _post(
        "Log a call to the customer (S5, S6, S11); for a telephony system", "ContactAttempt", "StaffTicket", "201",
        [NUMBER]),
    "/staff/tickets/{number}": _get("One request with its whole history, internal notes marked",
                                    "StaffTicketWithHistory", [NUMBER]),
    **{f"/staff/tickets/{{number}}/{action}": _post(summary, body, "ActionDone", "200", [NUMBER])
       for action, (summary, body) in TICKET_ACTIONS.items()},
    "/staff/meeting": _get("The weekly meeting list (S8): managers and the director", "MeetingList"),
    "/staff/meeting/{number}/next-step": _post("Record the next step agreed (S8)", "NextStep", "NextStepRecorded",
                                               "201", [NUMBER]),
    "/staff/problems": {
        **_get("Problem records (S9, P8)", "Problems", [
            {"name": "kind", "in": "query", "required": False, "schema": {"type": "string",
                                                                          "enum": ["defect", "feature"]}},
            {"name": "status", "in": "query", "required": False,
             "schema": {"type": "string", "enum": ["open", "closed", "any"]}}]),
        **_post("Open a problem record", "NewProblem", "Problem", "201"),
    },
    "/staff/problems/{problem_id}": _get("One problem record", "Problem", [PROBLEM_ID]),
    "/staff/problems/{problem_id}/links": _post("Link a request to the record (S9)", "ProblemLink", "Problem", "201",
                                                [PROBLEM_ID]),
    "/staff/problems/{problem_id}/close": _post("Close the record with how it ended", "ProblemClosure", "Problem",
                                                "200", [PROBLEM_ID]),
    "/staff/review": _get("Requests unresolved for ten business days (T8): the director", "ReviewList"),
    "/staff/review/{number}": _post("The director's decision (T8)", "Decision", "Decided", "200", [NUMBER]),
    "/staff/tasks": _get("Open follow-up tasks of the caller's role (G3, T8)", "Tasks"),
    "/staff/tasks/{number}/{kind}/owner": _post("Give a task an owner", "TaskOwner", "TaskOwned", "200",
                                                [NUMBER, KIND]),
    "/staff/tasks/{number}/{kind}/done": _post("Mark a task done", "TaskDone", "TaskFinished", "200", [NUMBER, KIND]),
}
