"""Templates translate through one catalog per request, and a forced language still applies."""

from __future__ import annotations

from unittest import mock

import flask_babel
from flask import render_template_string

from portal.domain.charter import load_charter
from portal.web import page_language
from portal.web.app import create_app
from tests.builders import make_settings

TEMPLATE = '{{ _("Home") }} / {{ _("Sign in") }} / {{ ngettext("%(num)s file", "%(num)s files", 2) }}'


def make_app():
    return create_app(make_settings(), charter=load_charter("example"), storage=object())


def test_a_page_with_many_texts_looks_its_catalog_up_once():
    app = make_app()
    with app.test_request_context("/?lang=nl"), \
            mock.patch.object(page_language, "get_translations", wraps=flask_babel.get_translations) as looked_up:
        page = render_template_string(TEMPLATE * 5)
    assert looked_up.call_count == 1
    assert page.startswith("Start / ") and "2 files" in page


def test_templates_speak_the_visitors_language():
    app = make_app()
    for language, home in (("fr", "Accueil"), ("nl", "Start"), ("en", "Home")):
        with app.test_request_context(f"/?lang={language}"):
            assert render_template_string('{{ _("Home") }}') == home


def test_a_forced_language_applies_inside_and_the_page_language_after():
    app = make_app()
    with app.test_request_context("/?lang=en"):
        assert render_template_string('{{ _("Home") }}') == "Home"
        with flask_babel.force_locale("fr"):
            assert render_template_string('{{ _("Home") }}') == "Accueil"
        assert render_template_string('{{ _("Home") }}') == "Home"


def test_a_translated_text_escapes_its_variables_and_reads_percent_signs_as_the_catalog_means():
    app = make_app()
    with app.test_request_context("/?lang=en"):
        page = render_template_string('{{ _("Request %(number)s", number="<b>1</b>") }}|{{ _("100%% sure") }}')
    assert page == "Request &lt;b&gt;1&lt;/b&gt;|100% sure"


def test_form_messages_speak_the_page_language_and_their_catalog_is_read_once_per_language():
    """Flask-WTF read WTForms' catalog from disk on every request that checked a form."""
    from babel import support
    from flask_wtf import FlaskForm
    from wtforms import StringField
    from wtforms.validators import DataRequired

    class Named(FlaskForm):
        name = StringField(validators=[DataRequired()])

    app = make_app()
    app.config["WTF_CSRF_ENABLED"] = False
    page_language._FORM_CATALOGS.clear()
    with mock.patch.object(support.Translations, "load", wraps=support.Translations.load) as loaded:
        messages = {}
        for language in ("fr", "nl", "en", "fr", "nl"):
            with app.test_request_context(f"/?lang={language}", method="POST", data={"name": ""}):
                app.preprocess_request()
                form = Named()
                assert not form.validate()
                messages[language] = form.name.errors[0]
                with flask_babel.force_locale("nl"):
                    forced = Named()
                    forced.validate()
                    assert forced.name.errors == ["Dit veld is vereist."]
    assert loaded.call_count == 3
    assert messages == {"fr": "Ce champ est requis.", "nl": "Dit veld is vereist.",
                        "en": "This field is required."}


def test_hours_file_sizes_and_dates_on_pages_are_written_as_a_french_reader_writes_them():
    """Contract hours (rule E11), a request's file sizes and the days of a contract use the page's language."""
    from datetime import date

    app = make_app()
    with app.test_request_context("/?lang=fr"):
        page = render_template_string('{{ 2.5|decimal }}|{{ size_label(1_500_000) }}|{{ day|dateformat("long") }}',
                                      day=date(2026, 6, 30))
    assert page.replace("\u00a0", " ") == "2,5|1,5 Mo|30 juin 2026"
