"""The OpenAPI 3.1 document of `/api/v1` (served at /api/v1/openapi.json; tests check responses against it)."""

from __future__ import annotations

from portal import __version__

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


def openapi_document() -> dict:
    """The API description, built from the schemas above."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Support portal API", "version": __version__,
                 "description": "Contract status, version support and eligibility under the vendor's charter."},
        "servers": [{"url": "/api/v1"}],
        "components": {"schemas": SCHEMAS,
                       "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                                     "description": "A personal API token from the account page."}}},
        "paths": {
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
        },
    }
