"""CSRF on every state-changing form (proof issue): each POST or DELETE of the pages, found in the URL map, is
refused without the session's token, whoever sends it; the JSON API, which takes bearer tokens and no cookies,
is the only exception."""

import pytest

from tests.builders import signed_in_client
from tests.security.test_authorization_matrix import PREMIUM, calls, kind_of
from tests.security.test_authorization_matrix import app as matrix_app  # noqa: F401 (the module's portal)
from tests.unit.staff.staff_builders import staff_client

app = matrix_app


@pytest.fixture
def csrf_on(app):
    clients = {"customer": signed_in_client(app, PREMIUM), "staff": staff_client(app), "public": app.test_client()}
    app.config["WTF_CSRF_ENABLED"] = True
    yield clients
    app.config["WTF_CSRF_ENABLED"] = False


def test_every_state_changing_page_request_without_the_token_is_refused(app, csrf_on):
    changing = [(e, m, u) for e, m, u in calls(app) if m in ("POST", "PUT", "PATCH", "DELETE")
                and not e.startswith("api.")]
    assert len(changing) > 30  # the pages' forms, the uploads, the console's actions
    for endpoint, method, url in changing:
        kind = kind_of(endpoint)
        client = csrf_on["public" if kind == "public" else kind]
        response = client.open(url, method=method, data={"text": "x"})
        response.close()
        assert response.status_code == 400, f"{method} {url} ({endpoint}) answered {response.status_code}"
