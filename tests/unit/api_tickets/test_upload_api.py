"""Attachments for programs (intake rule 4): start, send, accepted by content, then named in a request; the same
checks as the pages' uploads, and another company's upload is never found."""

import io

import jsonschema
import pytest

from tests.unit.api_tickets.api_builders import OTHER_COMPANY, file_ticket, ticket_api_app, token_headers

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def app(moto_storage, tmp_path):
    return ticket_api_app(moto_storage, tmp_path)


def matches(app, path: str, response) -> None:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    declared = document["paths"][path]["post"]["responses"][str(response.status_code)]
    schema = {**declared["content"]["application/json"]["schema"], "components": document["components"]}
    jsonschema.validate(response.get_json(), schema, cls=jsonschema.Draft202012Validator)


def upload(client, headers, name: str, content: bytes):
    """Start, send and finish an upload; the three answers."""
    started = client.post("/api/v1/uploads", json={"name": name, "size": len(content)}, headers=headers)
    if started.status_code != 201:
        return started, None, None
    upload_id = started.get_json()["upload_id"]
    sent = client.post(f"/api/v1/uploads/{upload_id}/file", headers=headers,
                       data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")
    done = client.post(f"/api/v1/uploads/{upload_id}/done", headers=headers)
    return started, sent, done


def test_a_program_uploads_a_screenshot_and_files_a_request_with_it(app):
    client, headers = app.test_client(), token_headers(app)
    started, sent, done = upload(client, headers, "screen.png", PNG)
    for path, response in (("/uploads", started), ("/uploads/{upload_id}/file", sent),
                           ("/uploads/{upload_id}/done", done)):
        matches(app, path, response)
    assert started.get_json()["url"].endswith(f"/api/v1/uploads/{started.get_json()['upload_id']}/file")
    assert done.status_code == 200 and done.get_json()["kind"] == "png" and len(done.get_json()["sha256"]) == 64
    number = file_ticket(client, headers, attachments=[done.get_json()["upload_id"]])
    history = client.get(f"/api/v1/tickets/{number}", headers=headers).get_json()["history"]
    assert [f["name"] for f in history[0]["files"]] == ["screen.png"]


def test_a_file_over_the_limit_is_refused_before_any_byte_is_sent(app):
    client, headers = app.test_client(), token_headers(app)
    limit = app.extensions["portal"].charter.attachments.max_megabytes
    response = client.post("/api/v1/uploads", json={"name": "huge.zip", "size": (limit + 1) * 1024 * 1024},
                           headers=headers)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large" and "compress" in response.get_json()["error"]["message"]


def test_a_program_named_as_a_picture_is_refused_by_its_content_and_deleted(app):
    client, headers = app.test_client(), token_headers(app)
    _started, sent, done = upload(client, headers, "holiday.png", b"MZ\x90\x00" + b"\x00" * 60)
    assert sent.status_code == 201 and done.status_code == 422
    assert done.get_json()["error"]["code"] in ("executable", "mismatch")
    again = client.post(f"/api/v1/uploads/{_started.get_json()['upload_id']}/done", headers=headers)
    assert again.status_code == 404  # nothing kept


def test_another_companys_upload_is_not_found_and_cannot_be_attached(app):
    client = app.test_client()
    _started, _sent, done = upload(client, token_headers(app), "screen.png", PNG)
    stranger = token_headers(app, OTHER_COMPANY)
    upload_id = done.get_json()["upload_id"]
    assert client.post(f"/api/v1/uploads/{upload_id}/done", headers=stranger).status_code == 404
    filed = client.post("/api/v1/tickets", headers=stranger, json={
        "category": "bug", "product": "alpha-cam", "version": "2026.1", "severity": 2, "subject": "x",
        "attachments": [upload_id]})
    assert filed.status_code in (404, 422) and filed.get_json()["error"]["code"] != "created"


@pytest.mark.parametrize("body, field", [({"size": 3}, "name"), ({"name": "a.png"}, "size"),
                                         ({"name": "a.png", "size": -1}, "size"),
                                         ({"name": "a.png", "size": 3, "path": "../x"}, "path")])
def test_a_bad_start_names_the_field(app, body, field):
    response = app.test_client().post("/api/v1/uploads", json=body, headers=token_headers(app))
    assert response.status_code == 400 and field in response.get_json()["error"]["fields"]


def test_uploads_need_a_token(app):
    assert app.test_client().post("/api/v1/uploads", json={"name": "a.png", "size": 3}).status_code == 401
