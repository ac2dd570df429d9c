"""Parts of every page that depend on the page's language alone, such as the customers' menu: rendered once per
language by each running portal instead of once per page (a tenth of a request page's rendering)."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup


def page_fragment(name: str) -> Markup:
    """The fragment template `name` as rendered for the page's language and the portal's address (its script
    root). A fragment may use only `url_for` and translations: never the visitor's session, request or data."""
    kept = current_app.extensions.setdefault("portal_fragments", {})
    key = (name, str(get_locale()), request.script_root)
    fragment = kept.get(key)
    if fragment is None:
        fragment = kept[key] = Markup(render_template(name))  # noqa: S704 - an autoescaped template's output
    return fragment
