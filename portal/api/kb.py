"""The knowledge base for programs (rule T7: documentation first): the same search as the pages and the intake
suggestions, public like the articles themselves."""

from __future__ import annotations

import re

from flask import jsonify, request, url_for
from flask_babel import get_locale

from portal.api import bp
from portal.api.errors import api_error
from portal.web.kb.routes import QUERY_CHARACTERS, chosen_filters, knowledge_base

LANGUAGES = ("fr", "nl", "en")
MAX_RESULTS = 20


@bp.get("/kb/search")
def kb_search():
    """Articles matching `q` in the asked language (others stand in, flagged), best first, with a snippet;
    `product` and `version` narrow them when the catalog knows them."""
    query = request.args.get("q", "")
    language = request.args.get("language") or str(get_locale())
    problems = {}
    if not query.strip():
        problems["q"] = "is required"
    elif len(query) > QUERY_CHARACTERS:
        problems["q"] = f"must be at most {QUERY_CHARACTERS} characters"
    if language not in LANGUAGES:
        problems["language"] = f"must be one of {', '.join(LANGUAGES)}"
    limit = request.args.get("limit", "5")
    if not re.fullmatch(r"[0-9]{1,3}", limit) or not 1 <= int(limit) <= MAX_RESULTS:  # not isdigit(): "²" is one
        problems["limit"] = f"must be a whole number from 1 to {MAX_RESULTS}"
    if problems:
        return api_error(400, "invalid_fields", "Some parameters are missing or invalid.", fields=problems)
    store = knowledge_base()
    product, version = chosen_filters(store)
    hits = store.search(query, language, product, version, int(limit))
    return jsonify({"articles": [{**hit.as_json(), "url": url_for("kb.article", article_id=hit.article_id,
                                                                   _external=True)} for hit in hits]})
