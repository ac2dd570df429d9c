"""The JSON API (`/api/v1`): the same rules and data as the pages, for programs."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import g, jsonify, request
from flask_babel import get_locale

from portal.api import bp
from portal.api.auth import token_required
from portal.api.errors import api_error
from portal.api.openapi import openapi_document
from portal.domain.errors import NotFound
from portal.services import customer
from portal.services.refusals import refusal_message
from portal.web.app import portal_context


def _today():
    return portal_context().today(datetime.now(UTC))


def _status_json(status, names):
    return {**status.as_json(), "product_name": names.get(status.product, status.product)}


def _visible_file():
    """The token owner's company file, or an end customer's it serves (rule E4); else None (answer 404)."""
    try:
        return customer.visible_company_file(portal_context().storage.accounts, g.api_token.company_id,
                                             request.args.get("company"))
    except NotFound:
        return None


def _not_found():
    return api_error(404, "not_found", "No such company, or it is not yours.")


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(portal_context().charter))


@bp.get("/lifecycle")
def lifecycle():
    """Public: every release of every product with its support status (rules E8, G6, T9, T11)."""
    catalog = portal_context().storage.catalog.catalog()
    names = {product.id: product.name for product in catalog.products}
    statuses = customer.public_lifecycle(portal_context().charter, catalog, _today())
    return jsonify({"releases": [_status_json(status, names) for status in statuses]})


@bp.get("/me")
@token_required
def me():
    file = _visible_file()
    if file is None:
        return _not_found()
    contact = next((c for c in file.contacts if c.contact_id == g.api_token.contact_id), None)
    return jsonify({
        "contact": {"id": g.api_token.contact_id, "name": contact.name if contact else None,
                    "email": contact.email if contact else None, "language": contact.language if contact else None,
                    "roles": list(contact.roles) if contact else []},
        "company": {"id": file.company.company_id, "name": file.company.name, "kind": file.company.kind,
                    "reseller_id": file.company.reseller_id},
    })


@bp.get("/me/contracts")
@token_required
def my_contracts():
    """Contracts with tier, state, renewal and notice (P1), channels (E5, T5), remote support (E7), PS hours (E11)."""
    file = _visible_file()
    if file is None:
        return _not_found()
    portal = portal_context()
    status = customer.contract_status(portal.charter, file, portal.storage.catalog.catalog(), _today())
    return jsonify({"company_id": file.company.company_id, "can_open_requests": status.can_open_requests,
                    "designated_contacts_ready": status.designated_ready,
                    "contracts": [_contract_json(view) for view in status.contracts]})


def _contract_json(view):
    renewal = view.renewal
    return {
        "id": view.contract.contract_id, "tier": view.contract.tier, "state": view.state,
        "starts": view.contract.starts.isoformat(), "ends": view.contract.ends.isoformat(),
        "products": list(view.contract.products),
        "renews_automatically": renewal.renews_automatically,
        "next_period_starts": renewal.next_period_starts.isoformat(),
        "last_day_to_cancel": renewal.last_day_to_cancel.isoformat() if renewal.last_day_to_cancel else None,
        "channels": list(view.tier.channels) if view.tier else [],
        "remote_support": bool(view.tier and view.tier.remote_support),
        "professional_services_hours": view.contract.professional_services_hours,
    }


@bp.get("/me/products")
@token_required
def my_products():
    """Installed products and versions with their support status and the versions to move to (G6, T9)."""
    file = _visible_file()
    if file is None:
        return _not_found()
    portal = portal_context()
    items = customer.installed_products(portal.charter, file, portal.storage.catalog.catalog(), _today())
    return jsonify({"company_id": file.company.company_id, "products": [
        {"product": item.product_id, "product_name": item.name, "version": item.version,
         "status": item.status.as_json() if item.status else None, "move_to": list(item.move_to)}
        for item in items]})


@bp.get("/eligibility")
@token_required
def eligibility():
    """May this contact open a request for this product and version; if not, why and what to do."""
    product, version = request.args.get("product", "").strip(), request.args.get("version", "").strip()
    missing = [name for name, value in (("product", product), ("version", version)) if not value]
    if missing:
        return api_error(400, "missing_parameter", f"Give {' and '.join(missing)} as query parameters.",
                         parameters=missing)
    if len(product) > 100 or len(version) > 50:
        return api_error(400, "invalid_parameter", "product or version is too long.")
    file = _visible_file()
    if file is None:
        return _not_found()
    portal = portal_context()
    result = customer.eligibility(portal.charter, file, portal.storage.catalog.catalog(), product, version, _today())
    language = str(get_locale())
    return jsonify({
        "eligible": result.allowed, "tier": result.tier,
        "reasons": [{"code": r.code, "message": refusal_message(r, language), **r.params} for r in result.refusals],
        "release": result.release.as_json() if result.release else None,
        "supported_versions": list(result.supported_versions), "categories": list(result.categories),
    })
