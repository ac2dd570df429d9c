"""The JSON a request carries, as the portal can store and show it."""

from __future__ import annotations

import json

from flask import request


def json_body():
    """The request's JSON value, or None when there is none the portal can take: not JSON, nested deeper than the
    parser goes (a RecursionError, not a ValueError), or text holding lone surrogates (not UTF-8: stored, it would
    break every page that shows it)."""
    try:
        body = request.get_json(silent=True)
        if body is not None:
            json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (RecursionError, UnicodeEncodeError, ValueError):
        return None
    return body
