"""Over-long keys from visitors, against Amazon's DynamoDB Local (which, unlike moto, refuses a key over 2,048
bytes): each gets the answer any malformed value gets, never a 500."""

import pytest

from tests.builders import seeded_app, signed_in_client
from tests.unit.intake.test_request_pages import PREMIUM, file_request

pytestmark = pytest.mark.integration
LONG = "a" * 2100


@pytest.fixture
def app(local_storage, tmp_path):
    return seeded_app(local_storage, tmp_path, data_dir=tmp_path)


def test_an_over_long_personal_token_gets_401_on_the_api(app):
    response = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer pt_{LONG}.secret"})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthenticated"


def test_an_over_long_staff_token_gets_401_on_the_staff_api(app):
    response = app.test_client().get("/api/v1/staff/queue", headers={"Authorization": f"Bearer st_staff-{LONG}.x"})
    assert response.status_code == 401


def test_revoking_an_over_long_token_id_is_a_404(app):
    assert signed_in_client(app, PREMIUM).post(f"/account/tokens/{LONG}/revoke").status_code == 404


def test_an_over_long_form_key_brings_the_request_form_back_and_files_nothing(app):
    response = file_request(signed_in_client(app, PREMIUM), idempotency_key="k" * 2100)
    assert response.status_code == 200
    assert "This form has expired. Please reload the page and try again." in response.get_data(as_text=True)
    assert app.extensions["portal"].storage.tickets.of_company("demo-1") == []
