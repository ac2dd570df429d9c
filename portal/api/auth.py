"""API access with personal tokens (`Authorization: Bearer pt_...`); cookies never authenticate the API."""

from __future__ import annotations

import functools
from datetime import UTC, datetime

from flask import current_app, g, request

from portal.api.errors import api_error
from portal.services.api_tokens import authenticate


def token_required(view):
    """Endpoints for a contact's programs: a valid token, else 401 with a JSON error."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, presented = header.partition(" ")
        if scheme.lower() != "bearer" or not presented.strip():
            return api_error(401, "unauthenticated", "Send a personal API token: Authorization: Bearer <token>.")
        token = authenticate(current_app.extensions["portal"].storage.api_tokens, presented.strip(),
                             datetime.now(UTC).date())
        if token is None:
            return api_error(401, "unauthenticated", "The token is unknown, altered or revoked.")
        g.api_token = token
        return view(*args, **kwargs)

    return wrapper
