"""The public knowledge base: search with snippets, the article list, one article (rule T7: documentation first).

Reads only the pre-built index (standard-library sqlite3), no sign-in. The index modules load at the first
knowledge-base request, so that a cold start that serves other pages skips them. Deflection counting costs one
DynamoDB UpdateItem per counted event (a view, "answered", helpful yes/no) and never fails the page.
"""

import re
from datetime import date

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from portal.i18n import mark
from portal.web.kb import bp

STATIC_SITE = "portal.static_site"  # set in the WSGI environ of the requests that render the static site
ARTICLE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESULTS_PER_PAGE = 20
SUGGESTIONS = 5
QUERY_CHARACTERS = 500  # what the search box accepts; the index reads at most as many (index.MAX_QUERY_CHARACTERS)
LANGUAGE_NAMES = {"fr": mark("French"), "nl": mark("Dutch"), "en": mark("English")}


def knowledge_base():
    """The index this portal reads: the app's KB_INDEX setting when given, else the file `portal kb build` writes."""
    from portal.kb.index import DEFAULT_INDEX
    from portal.kb.store import KnowledgeBase

    store = current_app.extensions.get("kb")
    if store is None:
        store = current_app.extensions["kb"] = KnowledgeBase(current_app.config.get("KB_INDEX") or DEFAULT_INDEX)
    return store


def chosen_filters(store) -> tuple[str | None, str | None]:
    """The product and version asked for, kept only when the catalog knows them (anything else: no filter)."""
    products = {entry.product: entry.versions for entry in store.products()}
    product = request.args.get("product") or None
    product = product if product in products else None
    version = request.args.get("version") or None
    known_versions = products[product] if product else {v for versions in products.values() for v in versions}
    return product, version if version in known_versions else None


@bp.app_context_processor
def static_site_context():
    """`static_site`: the page is being rendered for the static site (no server behind it: no counting, no forms
    that post, search in the browser)."""
    return {"static_site": rendering_static_site()}


def rendering_static_site() -> bool:
    """Whether this request renders a page of the static site (only the static build sets it, per request)."""
    return bool(request.environ.get(STATIC_SITE))


@bp.get("/kb")
def search_page():
    """Search the articles in the visitor's language (others stand in, flagged), filtered by product and version."""
    store = knowledge_base()
    language = str(get_locale())
    query = request.args.get("q", "")[:QUERY_CHARACTERS]
    product, version = chosen_filters(store)
    searching = bool(query.strip())
    hits = store.search(query, language, product, version, RESULTS_PER_PAGE) if searching else []
    listing = [] if searching else store.articles(language, product, version)
    return render_template("kb/search.html", query=query, searching=searching, hits=hits, listing=listing,
                           products=store.products(), product=product, version=version,
                           language_names=LANGUAGE_NAMES)


@bp.get("/kb/suggestions")
def suggestions():
    """The five best articles for what a customer is typing (subject and description), as JSON for intake."""
    store = knowledge_base()
    language = str(get_locale())
    product, version = chosen_filters(store)
    hits = store.search(request.args.get("q", "")[:QUERY_CHARACTERS], language, product, version, SUGGESTIONS)
    return jsonify({
        "articles": [{**hit.as_json(), "url": url_for("kb.article", article_id=hit.article_id),
                      "answered_url": url_for("kb.answered", article_id=hit.article_id)} for hit in hits],
        "labels": {"answered": _("This answered my question"), "still_need_help": _("I still need help")}})


def kb_counters():
    from portal.web.app import portal_context

    return portal_context().storage.kb_counters


def known_article(article_id: str) -> str:
    """The article id when the knowledge base holds it; 404 otherwise."""
    if not ARTICLE_ID.match(article_id) or knowledge_base().article(article_id, "en") is None:
        abort(404)
    return article_id


@bp.post("/kb/<article_id>/answered")
def answered(article_id):
    """Rule T7: "This answered my question" in the intake suggestions: counted, and the intake ends without a
    request (JSON: where to go next)."""
    from portal.services.deflection import count_answered

    count_answered(kb_counters(), known_article(article_id))
    flash(_("Glad the article answered your question: no request was filed."))
    return jsonify({"next": url_for("main.home")})


@bp.post("/kb/<article_id>/helpful")
def helpful(article_id):
    """Count a yes or no to "Was this article helpful?", then show the article again with a thank-you."""
    from portal.services.deflection import count_helpful

    known_article(article_id)
    answer = request.form.get("helpful")
    if answer not in ("yes", "no"):
        from portal.web.errors.handlers import error_response

        return error_response(400, "bad_answer", _("Please answer yes or no."))
    count_helpful(kb_counters(), article_id, answer == "yes")
    return redirect(url_for("kb.article", article_id=article_id, rated=1), code=303)


@bp.get("/kb/<article_id>")
def article(article_id):
    """One article in the visitor's language, else in another with a note saying so."""
    if not ARTICLE_ID.match(article_id):
        abort(404)
    store = knowledge_base()
    page = store.article(article_id, str(get_locale()))
    if page is None:
        abort(404)
    rated = request.args.get("rated") == "1"
    if not rendering_static_site() and not rated:
        from portal.services.deflection import count_view

        count_view(kb_counters(), article_id, from_intake=request.args.get("from") == "intake")
    names = {entry.product: entry.name for entry in store.products()}
    return render_template("kb/article.html", page=page, updated=date.fromisoformat(page.updated),
                           product_names=names, language_names=LANGUAGE_NAMES, rated=rated)
