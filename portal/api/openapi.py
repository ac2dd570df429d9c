"""The OpenAPI 3.1 document of `/api/v1` (served at /api/v1/openapi.json; tests check responses against it)."""

from __future__ import annotations

from portal import __version__
from portal.domain.queue import AHEAD_COUNTED_UP_TO

NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}

SCHEMAS = {
    "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["code", "message"],
                                 "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}},
    },
    "ReleaseStatus": {
        "type": "object",
        "required": ["product", "version", "released", "supported", "phase", "support_ends", "withdrawn_from_sale"],
        "properties": {
            "product": {"type": "string"}, "version": {"type": "string"},
            "released": {"type": "string", "format": "date"}, "supported": {"type": "boolean"},
            "phase": {"type": "string", "enum": ["current", "previous", "ended", "upcoming"]},
            "support_ends": {**NULLABLE_DATE, "description": "First day without support; null when not known."},
            "withdrawn_from_sale": {"type": "boolean"},
            "product_name": {"type": "string"},
        },
    },
    "Me": {
        "type": "object", "required": ["contact", "company"],
        "properties": {
            "contact": {"type": "object", "required": ["id", "name", "email", "language", "roles"], "properties": {
                "id": {"type": "string"}, "name": NULLABLE_STRING, "email": NULLABLE_STRING,
                "language": NULLABLE_STRING, "roles": {"type": "array", "items": {"type": "string"}}}},
            "company": {"type": "object", "required": ["id", "name", "kind", "reseller_id"], "properties": {
                "id": {"type": "string"}, "name": {"type": "string"},
                "kind": {"type": "string", "enum": ["customer", "reseller"]}, "reseller_id": NULLABLE_STRING}},
        },
    },
    "Contract": {
        "type": "object",
        "required": ["id", "tier", "state", "starts", "ends", "products", "renews_automatically",
                     "next_period_starts", "last_day_to_cancel", "channels", "remote_support",
                     "professional_services_hours"],
        "properties": {
            "id": {"type": "string"}, "tier": {"type": "string"},
            "state": {"type": "string", "enum": ["active", "upcoming", "ended"]},
            "starts": {"type": "string", "format": "date"}, "ends": {"type": "string", "format": "date"},
            "products": {"type": "array", "items": {"type": "string"}},
            "renews_automatically": {"type": "boolean"},
            "next_period_starts": {"type": "string", "format": "date"},
            "last_day_to_cancel": NULLABLE_DATE,
            "channels": {"type": "array", "items": {"type": "string", "enum": ["web", "email", "phone", "remote"]}},
            "remote_support": {"type": "boolean"}, "professional_services_hours": {"type": "number"},
        },
    },
    "Contracts": {
        "type": "object", "required": ["company_id", "can_open_requests", "designated_contacts_ready", "contracts"],
        "properties": {"company_id": {"type": "string"}, "can_open_requests": {"type": "boolean"},
                       "designated_contacts_ready": {"type": "boolean"},
                       "contracts": {"type": "array", "items": {"$ref": "#/components/schemas/Contract"}}},
    },
    "Products": {
        "type": "object", "required": ["company_id", "products"],
        "properties": {"company_id": {"type": "string"}, "products": {"type": "array", "items": {
            "type": "object", "required": ["product", "product_name", "version", "status", "move_to"],
            "properties": {"product": {"type": "string"}, "product_name": {"type": "string"},
                           "version": {"type": "string"},
                           "status": {"oneOf": [{"$ref": "#/components/schemas/ReleaseStatus"}, {"type": "null"}]},
                           "move_to": {"type": "array", "items": {"type": "string"}}}}}},
    },
    "Eligibility": {
        "type": "object", "required": ["eligible", "tier", "reasons", "release", "supported_versions", "categories"],
        "properties": {
            "eligible": {"type": "boolean"}, "tier": NULLABLE_STRING,
            "reasons": {"type": "array", "items": {"type": "object", "required": ["code", "message"],
                                                   "properties": {"code": {"type": "string"},
                                                                  "message": {"type": "string"}}}},
            "release": {"oneOf": [{"$ref": "#/components/schemas/ReleaseStatus"}, {"type": "null"}]},
            "supported_versions": {"type": "array", "items": {"type": "string"}},
            "categories": {"type": "array", "items": {"type": "string"}},
        },
    },
}

NULLABLE_INSTANT = {"type": ["string", "null"], "format": "date-time"}
ARTICLE_ID = "^[a-z0-9]+(-[a-z0-9]+)*$"
REQUIRED_TEXT = {"type": "string", "pattern": r"\S", "description": "At least one character that is not a space."}
TICKET_STATUS = {"type": "string", "description": "new, in_progress, waiting_customer, awaiting_files, resolved, "
                                                  "closed, ..."}

SCHEMAS.update({
    "KbArticles": {
        "type": "object", "required": ["articles"],
        "properties": {"articles": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "language", "title", "snippet", "products", "versions", "languages", "score", "url"],
            "properties": {
                "id": {"type": "string"}, "title": {"type": "string"},
                "language": {"type": "string", "description": "The language shown; another stands in when the "
                                                              "article does not exist in the one asked."},
                "snippet": {"type": "string", "description": "HTML: the matching words in <mark>, all else escaped."},
                "products": {"type": "array", "items": {"type": "string"}},
                "versions": {"type": "array", "items": {"type": "string"}},
                "languages": {"type": "array", "items": {"type": "string"}},
                "score": {"type": "number"}, "url": {"type": "string"}}}}},
    },
    "NewUpload": {
        "type": "object", "additionalProperties": False, "required": ["name", "size"],
        "properties": {"name": {**REQUIRED_TEXT, "maxLength": 1000}, "size": {"type": "integer", "minimum": 0}},
    },
    "UploadForm": {
        "type": "object", "required": ["upload_id", "name", "url", "fields", "max_bytes", "expires_at"],
        "properties": {
            "upload_id": {"type": "string"}, "name": {"type": "string", "description": "The name kept (made safe)."},
            "url": {"type": "string", "description": "Where to POST the file as multipart/form-data: the `fields` "
                                                     "first, then the file in the field `file`."},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            "max_bytes": {"type": "integer"}, "expires_at": {"type": "string", "format": "date-time"}},
    },
    "UploadReceived": {"type": "object", "required": ["upload_id"], "properties": {"upload_id": {"type": "string"}}},
    "AcceptedUpload": {
        "type": "object", "required": ["upload_id", "name", "size", "kind", "sha256"],
        "properties": {"upload_id": {"type": "string"}, "name": {"type": "string"}, "size": {"type": "integer"},
                       "kind": {"type": "string", "description": "The type told by the content."},
                       "sha256": {"type": "string"}},
    },
    "NewTicket": {
        "type": "object", "additionalProperties": False,
        "required": ["category", "product", "version", "severity", "subject"],
        "properties": {
            "category": {**REQUIRED_TEXT, "maxLength": 100, "description": "A category of the charter (rule P8)."},
            "product": {**REQUIRED_TEXT, "maxLength": 100}, "version": {**REQUIRED_TEXT, "maxLength": 50},
            "severity": {"type": "integer", "minimum": 1, "maximum": 4,
                         "description": "The impact, in the charter's words (rule E10)."},
            "subject": {**REQUIRED_TEXT, "maxLength": 200},
            "topic": {**NULLABLE_STRING, "maxLength": 100, "description": "A scope topic id of the charter."},
            "facts": {"type": "object", "maxProperties": 50, "propertyNames": {"maxLength": 100},
                      "additionalProperties": {"type": "string", "maxLength": 20_000},
                      "description": "The facts the charter requires for the category (rules P4, G5, E6)."},
            "kb_shown": {"type": "array", "maxItems": 20, "items": {"type": "string", "pattern": ARTICLE_ID},
                         "description": "Knowledge-base articles shown to the customer before filing (rule T7): "
                                        "counted as filed anyway."},
            "attachments": {"type": "array", "maxItems": 20,
                            "items": {"type": "string", "minLength": 1, "maxLength": 100},
                            "description": "Upload ids of files sent beforehand."},
        },
    },
    "Acknowledgement": {
        "type": "object",
        "required": ["number", "status", "priority", "response_due", "explanation", "queue_position",
                     "queue_position_exact"],
        "properties": {
            "number": {"type": "string"}, "status": TICKET_STATUS, "priority": {"type": "integer"},
            "response_due": {**NULLABLE_INSTANT, "description": "null where the charter commits to no response time."},
            "explanation": {"type": "array", "items": {"type": "string"},
                            "description": "Why the answer is due then, in the Accept-Language language."},
            "queue_position": {"type": ["integer", "null"], "minimum": 1,
                               "description": "null once the request left the queue, or when its place could not"
                                              " be counted as it was filed (it is filed all the same)."},
            "queue_position_exact": {"type": "boolean", "description": (
                f"false when more than {AHEAD_COUNTED_UP_TO} requests are ahead: queue_position is then "
                f"{AHEAD_COUNTED_UP_TO + 2} and says only that.")},
        },
    },
    "TicketSummary": {
        "type": "object",
        "required": ["number", "subject", "status", "category", "severity", "created_at", "response_due", "product",
                     "version"],
        "properties": {
            "number": {"type": "string"}, "subject": {"type": "string"}, "status": TICKET_STATUS,
            "category": {"type": "string"}, "severity": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"}, "response_due": NULLABLE_INSTANT,
            "product": NULLABLE_STRING, "version": NULLABLE_STRING,
        },
    },
    "Tickets": {
        "type": "object", "required": ["tickets"],
        "properties": {"tickets": {"type": "array", "items": {"$ref": "#/components/schemas/TicketSummary"}}},
    },
    "Ticket": {
        "type": "object",
        "required": ["number", "subject", "status", "category", "severity", "created_at", "status_since",
                     "response_due", "product", "version", "facts"],
        "properties": {
            "number": {"type": "string"}, "subject": {"type": "string"}, "status": TICKET_STATUS,
            "category": {"type": "string"}, "severity": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"},
            "status_since": {"type": "string", "format": "date-time"}, "response_due": NULLABLE_INSTANT,
            "product": NULLABLE_STRING, "version": NULLABLE_STRING,
            "facts": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    "TicketEvent": {
        "type": "object", "required": ["kind", "at", "data", "files"],
        "properties": {"kind": {"type": "string"}, "at": {"type": "string", "format": "date-time"},
                       "data": {"type": "object", "additionalProperties": {"type": "string"}},
                       "files": {"type": "array", "description": "Files this event brought, accepted by content.",
                                 "items": {"type": "object", "required": ["name", "size", "kind", "sha256"],
                                           "properties": {"name": {"type": "string"}, "size": {"type": "integer"},
                                                          "kind": {"type": "string"},
                                                          "sha256": {"type": "string"}}}}},
    },
    "TicketWithHistory": {
        "allOf": [{"$ref": "#/components/schemas/Ticket"},
                  {"type": "object", "required": ["history"], "properties": {
                      "history": {"type": "array", "items": {"$ref": "#/components/schemas/TicketEvent"},
                                  "description": "Public events only, oldest first."}}}],
    },
    "NewMessage": {
        "type": "object", "additionalProperties": False,
        "properties": {"text": {"type": "string", "maxLength": 20_000},
                       "attachments": {"type": "array", "maxItems": 20,
                                       "items": {"type": "string", "minLength": 1, "maxLength": 100}}},
        "anyOf": [{"required": ["text"], "properties": {"text": REQUIRED_TEXT}},
                  {"required": ["attachments"], "properties": {"attachments": {"minItems": 1}}}],
        "description": "A text, attachments, or both (rule P9).",
    },
    "SurveyAnswer": {
        "type": "object", "additionalProperties": False, "required": ["score"],
        "properties": {"score": {"type": "integer", "minimum": 1, "description": "1 to the charter's scale."},
                       "comment": {"type": "string", "maxLength": 4000}},
    },
    "SurveyAnswered": {
        "type": "object", "required": ["number", "score", "comment"],
        "properties": {"number": {"type": "string"}, "score": {"type": "integer"}, "comment": {"type": "string"}},
    },
    "IntakeError": {
        "type": "object", "required": ["error"],
        "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {
                "code": {"type": "string",
                         "enum": ["not_eligible", "out_of_scope", "missing_facts", "category_not_allowed",
                                  "unknown_uploads"]},
                "message": {"type": "string"},
                "reasons": {"type": "array", "items": {"type": "object", "required": ["code", "message"],
                                                       "properties": {"code": {"type": "string"},
                                                                      "message": {"type": "string"}}},
                            "description": "not_eligible: each reason, translated, with what to do instead."},
                "topic": {"type": "object", "required": ["id", "label", "explanation", "alternative"],
                          "properties": {"id": {"type": "string"}, "label": {"type": "string"},
                                         "explanation": {"type": "string"}, "alternative": {"type": "string"}},
                          "description": "out_of_scope: the charter's explanation and the alternative offered."},
                "fields": {"type": "object", "additionalProperties": {
                    "type": "string", "enum": ["required", "too_long", "invalid_choice"]},
                    "description": "missing_facts: the problem with each fact."},
                "allowed": {"type": "array", "items": {"type": "string"},
                            "description": "category_not_allowed: the categories open to this version."},
                "uploads": {"type": "array", "items": {"type": "string"},
                            "description": "unknown_uploads: the ids naming no accepted upload of your company."},
            },
        }},
    },
})


def _json(schema_name: str) -> dict:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}


def _error(description: str) -> dict:
    return {"description": description, **_json("Error")}


COMPANY_PARAMETER = {"name": "company", "in": "query", "required": False, "schema": {"type": "string"},
                     "description": "A reseller may read an end customer it serves (rule E4); default: own company."}
SECURED = {"security": [{"token": []}]}
AUTH_ERRORS = {"401": _error("No token, or an unknown, altered or revoked one."),
               "404": _error("No such company, or not yours."),
               "503": _error("A backend did not answer; retry.")}


def _secured_get(summary: str, schema: str, parameters=()) -> dict:
    return {"get": {"summary": summary, **SECURED, "parameters": [COMPANY_PARAMETER, *parameters],
                    "responses": {"200": {"description": "OK", **_json(schema)}, **AUTH_ERRORS}}}


def charter_schemas(charter) -> dict:
    """The schemas whose limits the charter sets: its severity levels (E10), its scope topics (S3, G7, G8, E8,
    P10) and its survey's scale (G3)."""
    levels = sorted(severity.level for severity in charter.severities) or [1, 2, 3, 4]
    topics = [topic.id for topic in (*charter.in_scope, *charter.out_of_scope)]
    ticket = SCHEMAS["NewTicket"]
    survey = SCHEMAS["SurveyAnswer"]
    return {
        "NewTicket": {**ticket, "properties": {
            **ticket["properties"],
            "severity": {**ticket["properties"]["severity"], "enum": levels, "minimum": levels[0],
                         "maximum": levels[-1]},
            "topic": {**ticket["properties"]["topic"], "enum": [*topics, None]}}},
        "SurveyAnswer": {**survey, "properties": {**survey["properties"], "score": {
            **survey["properties"]["score"], "maximum": charter.survey.scale}}},
    }


def openapi_document(charter=None) -> dict:
    """The API description, built from the schemas above; with the charter, its own limits."""
    from portal.api.staff_openapi import STAFF_PATHS, STAFF_SCHEMAS, STAFF_SECURITY

    schemas = {**SCHEMAS, **STAFF_SCHEMAS, **(charter_schemas(charter) if charter is not None else {})}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Support portal API", "version": __version__,
                 "description": "Contract status, version support and eligibility under the vendor's charter."},
        "servers": [{"url": "/api/v1"}],
        "components": {"schemas": schemas,
                       "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                                     "description": "A personal API token from the account page."},
                                           **STAFF_SECURITY}},
        "paths": {
            "/kb/search": {"get": {
                "summary": "Search the knowledge base (public, rule T7)", "security": [],
                "parameters": [
                    {"name": "q", "in": "query", "required": True,
                     "schema": {"type": "string", "pattern": "\\S", "maxLength": 500}},
                    {"name": "language", "in": "query", "required": False,
                     "schema": {"type": "string", "enum": ["fr", "nl", "en"]}},
                    {"name": "product", "in": "query", "required": False, "schema": {"type": "string"}},
                    {"name": "version", "in": "query", "required": False, "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1, "maximum": 20, "default": 5}}],
                "responses": {"200": {"description": "OK", **_json("KbArticles")},
                              "400": _error("invalid_fields: `fields` says which parameter."),
                              "503": _error("A backend did not answer; retry.")}}},
            "/lifecycle": {"get": {"summary": "Every release with its support status (public)", "security": [],
                                   "responses": {"200": {"description": "OK", "content": {"application/json": {
                                       "schema": {"type": "object", "required": ["releases"], "properties": {
                                           "releases": {"type": "array",
                                                        "items": {"$ref": "#/components/schemas/ReleaseStatus"}}}}}}},
                                       "503": _error("A backend did not answer; retry.")}}},
            "/me": _secured_get("The token's contact and company", "Me"),
            "/me/contracts": _secured_get("Contracts and what they allow", "Contracts"),
            "/me/products": _secured_get("Installed products and their support status", "Products"),
            "/eligibility": {"get": {
                "summary": "May a request be opened for this product and version", **SECURED,
                "parameters": [COMPANY_PARAMETER,
                               {"name": "product", "in": "query", "required": True,
                                "schema": {"type": "string", "minLength": 1, "maxLength": 100}},
                               {"name": "version", "in": "query", "required": True,
                                "schema": {"type": "string", "minLength": 1, "maxLength": 50}}],
                "responses": {"200": {"description": "OK", **_json("Eligibility")},
                              "400": _error("A parameter is missing or invalid."), **AUTH_ERRORS}}},
            **TICKET_PATHS,
            **STAFF_PATHS,
        },
    }


UPLOAD_ID = {"name": "upload_id", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 64}}
NUMBER_PARAMETER = {"name": "number", "in": "path", "required": True, "schema": {"type": "string"},
                    "description": "The request number, e.g. 2026-000123."}
TICKET_ERRORS = {"401": _error("No token, or an unknown, altered or revoked one."),
                 "404": _error("No such request, or not yours (the same answer for both)."),
                 "503": _error("A backend did not answer; retry.")}
BAD_BODY = {"400": _error("malformed_json: the body is not a JSON object; invalid_fields: `fields` says which.")}
STATE_ERRORS = {"409": _error("conflict: the request changed meanwhile (read it again and retry); not_allowed: "
                              "not possible in its current state; reopen_window_over: file a new request.")}


def _body(schema_name: str) -> dict:
    return {"requestBody": {"required": True, **_json(schema_name)}}


UNKNOWN_UPLOADS = {"422": {"description": "unknown_uploads: `uploads` names no accepted upload of your company.",
                           **_json("IntakeError")}}


def _ticket_action(summary: str, status: str = "200", body: str | None = None) -> dict:
    return {"post": {"summary": summary, **SECURED, "parameters": [NUMBER_PARAMETER], **(_body(body) if body else {}),
                     "responses": {status: {"description": "The request as it is now", **_json("Ticket")},
                                   **(BAD_BODY if body else {}), **(UNKNOWN_UPLOADS if body else {}),
                                   **STATE_ERRORS, **TICKET_ERRORS}}}


TICKET_PATHS = {
    "/tickets": {
        "post": {
            "summary": "File a request (the same checks as the request form)", **SECURED,
            "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                            "schema": {"type": "string", "minLength": 1, "maxLength": 100},
                            "description": "A retried call with the same key answers the request filed the first "
                                           "time (200) instead of filing a second one."},
                           {"name": "Accept-Language", "in": "header", "required": False,
                            "schema": {"type": "string"}, "description": "fr, nl or en: the explanation's language."}],
            **_body("NewTicket"),
            "responses": {"201": {"description": "Filed", **_json("Acknowledgement")},
                          "200": {"description": "Filed before with this Idempotency-Key", **_json("Acknowledgement")},
                          **BAD_BODY,
                          "422": {"description": "Not filed: not eligible, out of scope, missing facts, a "
                                                 "category this version does not allow, or unknown uploads",
                                  **_json("IntakeError")},
                          "409": _error("idempotency_key_taken: the key filed another contact's request; nothing "
                                        "was filed."),
                          **TICKET_ERRORS},
        },
        "get": {"summary": "My requests, newest first (a system owner: the whole company's)", **SECURED,
                "responses": {"200": {"description": "OK", **_json("Tickets")}, **TICKET_ERRORS}},
    },
    "/tickets/{number}": {"get": {"summary": "One request with its public history", **SECURED,
                                  "parameters": [NUMBER_PARAMETER],
                                  "responses": {"200": {"description": "OK", **_json("TicketWithHistory")},
                                                **TICKET_ERRORS}}},
    "/tickets/{number}/messages": _ticket_action("Add information and files (P9); files a request awaits reopen "
                                                 "it (S13)", "201", "NewMessage"),
    "/tickets/{number}/solved": _ticket_action("Say the problem is solved (S14)"),
    "/tickets/{number}/reopen": _ticket_action("Reopen a resolved request, or a closed one within the charter's "
                                               "window"),
    "/uploads": {"post": {
        "summary": "Start an upload: the name and size pass the charter (intake rule 4)", **SECURED,
        **_body("NewUpload"),
        "responses": {"201": {"description": "Where to send the file", **_json("UploadForm")}, **BAD_BODY,
                      "413": _error("too_large: over the charter's limit; compress or split the file."),
                      "422": _error("A type the charter does not accept, or a program (`code` says which)."),
                      "401": TICKET_ERRORS["401"], "503": TICKET_ERRORS["503"]}}},
    "/uploads/{upload_id}/file": {"post": {
        "summary": "Send the file (on a laptop; in production `url` is S3's)", **SECURED,
        "parameters": [UPLOAD_ID],
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}}}}}},
        "responses": {"201": {"description": "Received", **_json("UploadReceived")}, **BAD_BODY,
                      "413": _error("too_large: over the charter's limit."),
                      "422": _error("A type the charter does not accept (`code` says which)."), **TICKET_ERRORS}}},
    "/uploads/{upload_id}/done": {"post": {
        "summary": "The file is sent: have it accepted by its content (type, size, archive limits)", **SECURED,
        "parameters": [UPLOAD_ID],
        "responses": {"200": {"description": "Accepted: put `upload_id` in `attachments`", **_json("AcceptedUpload")},
                      "413": _error("too_large: over the charter's limit."),
                      "422": _error("Refused by its content: mismatch, executable, archive_too_large, ..."),
                      **TICKET_ERRORS}}},
    "/tickets/{number}/survey": {"post": {
        "summary": "Answer the satisfaction survey once the request is resolved or closed (G3)", **SECURED,
        "parameters": [NUMBER_PARAMETER], **_body("SurveyAnswer"),
        "responses": {"201": {"description": "Answer recorded", **_json("SurveyAnswered")}, **BAD_BODY,
                      "409": _error("not_allowed: no survey for this request now, or answered already."),
                      **TICKET_ERRORS}}},
}
