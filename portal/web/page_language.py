"""Translating a page's texts in the visitor's language, quickly: templates translate dozens of texts per page."""

from __future__ import annotations

from babel import support
from flask import g
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup


def page_translations():
    """The catalog of the page's language, looked up once per request: Flask-Babel resolves the context, the
    domain, the locale and the catalog again for every text a template translates. `force_locale` empties the
    remembered catalog on entry and puts it back on exit, so a forced language still applies."""
    context = g.get("_flask_babel")
    translations = getattr(context, "babel_translations", None)
    if translations is None:
        translations = get_translations()
        g._flask_babel.babel_translations = translations  # get_translations() has made the context
    return translations


@pass_context
def translate_in_page(context, text: str, **variables):
    """`_()` in templates: what Jinja's newstyle gettext does (the text escaped as the page is, then always
    formatted with the escaped variables), without its two indirections through the template context."""
    translated = page_translations().ugettext(text)
    if context.eval_ctx.autoescape:
        translated = Markup(translated)  # noqa: S704 - a catalog's text, formatted with escaped variables below
    return translated % variables


_FORM_CATALOGS: dict[str, support.Translations] = {}


def form_catalog():
    """WTForms' own messages ("This field is required.") in the page's language, read from disk once per language
    and running portal (Flask-WTF reads the catalog again on every request that checks a form)."""
    language = str(get_locale())
    catalog = _FORM_CATALOGS.get(language)
    if catalog is None:
        from wtforms.i18n import messages_path

        catalog = _FORM_CATALOGS[language] = support.Translations.load(messages_path(), [language], domain="wtforms")
    return catalog


class FormMessages:
    """What Flask-WTF asks of `request.wtforms_translations`: the page's language is looked up when a message is,
    so a forced language applies."""

    def ugettext(self, text: str) -> str:
        return form_catalog().ugettext(text)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return form_catalog().ungettext(singular, plural, n)


FORM_MESSAGES = FormMessages()
