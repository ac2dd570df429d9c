"""The menus every page carries are rendered once per language and address, and stay right in each language."""

from __future__ import annotations

from flask import template_rendered

from portal.domain.charter import load_charter
from portal.web.app import create_app
from tests.builders import make_settings


def make_app():
    return create_app(make_settings(), charter=load_charter("example"), storage=object())


def rendered_templates(app):
    names = []
    template_rendered.connect(lambda sender, template, context, **_: names.append(template.name), app, weak=False)
    return names


def signed_in(client):
    with client.session_transaction() as session:
        session.update({"who": "contact", "contact_id": "c1", "company_id": "acme", "name": "Anne",
                        "email": "anne@acme.example", "lang": "fr", "contact_lang": "fr", "roles": []})
    return client


def test_the_customers_menu_is_rendered_once_per_language_and_keeps_the_sign_out_form():
    app = make_app()
    names = rendered_templates(app)
    client = signed_in(app.test_client())
    pages = [client.get(path).get_data(as_text=True) for path in ("/nowhere?lang=fr", "/elsewhere", "/again")]
    assert names.count("fragments/contact_menu.html") == 1
    for page in pages:
        assert "Mes demandes" in page and 'action="/logout"' in page and 'name="csrf_token"' in page
    dutch = client.get("/nowhere?lang=nl").get_data(as_text=True)
    assert names.count("fragments/contact_menu.html") == 2
    assert "Mijn aanvragen" in dutch and "Mes demandes" not in dutch


def test_visitors_see_their_own_menu_in_their_language():
    app = make_app()
    client = app.test_client()
    english = client.get("/nowhere?lang=en").get_data(as_text=True)
    assert "Version support" in english and "Sign in" in english and "My requests" not in english
    assert "Mes demandes" not in client.get("/nowhere?lang=fr").get_data(as_text=True)


def test_a_portal_served_under_a_path_links_under_it():
    app = make_app()
    client = app.test_client()
    assert 'href="/kb' in client.get("/nowhere?lang=en").get_data(as_text=True)
    prefixed = client.get("/nowhere?lang=en", environ_overrides={"SCRIPT_NAME": "/production"}).get_data(as_text=True)
    assert 'href="/production/kb' in prefixed and 'href="/kb' not in prefixed
