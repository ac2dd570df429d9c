"""The upload endpoints the request pages call: start → send → done, within the contact's own company."""

import re

import pytest

from tests.builders import seeded_app, signed_in_client
from tests.unit.attachments.attachment_builders import png_bytes, windows_program, zip_of

ANN = "owner@customer1.example"  # demo-1
BOB = "owner@customer2.example"  # demo-2, another company


@pytest.fixture
def app(moto_storage, tmp_path):
    return seeded_app(moto_storage, tmp_path, data_dir=tmp_path)


def stored_files(tmp_path):
    return sorted(p.relative_to(tmp_path / "files").as_posix() for p in (tmp_path / "files").rglob("*")
                  if p.is_file())


def start(client, name, size, language="en"):
    return client.post(f"/uploads?lang={language}", json={"name": name, "size": size})


def send(client, started, content, name=None):
    """The browser's multipart POST, built in memory (Werkzeug's builder leaves a temporary file open for large
    bodies)."""
    boundary = "portal-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"\r\n\r\n{value}\r\n'.encode()
             for field, value in started["fields"].items()]
    header = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name or started["name"]}"'
              f'\r\nContent-Type: application/octet-stream\r\n\r\n')
    body = b"".join(parts) + header.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return client.post(started["url"], data=body, content_type=f"multipart/form-data; boundary={boundary}")


def upload(client, name, content):
    """The browser's three steps; the answer of the last one."""
    started = start(client, name, len(content)).get_json()
    assert send(client, started, content).status_code == 201
    return client.post(f"/uploads/{started['upload_id']}/done")


def test_a_file_goes_through_start_send_and_done_and_comes_back_as_an_attachment(app, tmp_path):
    client = signed_in_client(app, ANN)
    started = start(client, "../Capture d'écran.png", len(png_bytes()))
    assert started.status_code == 201
    body = started.get_json()
    assert body["url"] == f"/uploads/{body['upload_id']}/file" and body["fields"] == {}
    assert body["name"] == "Capture d'écran.png" and body["messages"]["uploading"]
    assert send(client, body, png_bytes()).status_code == 201
    done = client.post(f"/uploads/{body['upload_id']}/done")
    assert done.status_code == 200
    assert done.get_json()["name"] == "Capture d'écran.png" and done.get_json()["kind"] == "png"
    assert len(done.get_json()["sha256"]) == 64
    assert any(key.startswith("uploads/") for key in stored_files(tmp_path))


def test_a_file_over_the_charters_limit_is_refused_at_the_start_in_the_contacts_language(app, tmp_path):
    client = signed_in_client(app, ANN)
    refused = start(client, "video.zip", 200 * 1024 * 1024, "fr")
    assert refused.status_code == 413
    error = refused.get_json()["error"]
    assert error["code"] == "too_large" and "25" in error["message"] and "compress" in error["message"].lower()
    assert stored_files(tmp_path) == []


def test_a_forbidden_type_is_refused_with_the_allowed_kinds(app):
    refused = start(signed_in_client(app, ANN), "setup.exe", 1000)
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "type_not_allowed"
    assert "pdf" in refused.get_json()["error"]["message"]


def test_a_program_renamed_txt_is_refused_and_nothing_is_left_in_the_store(app, tmp_path):
    refused = upload(signed_in_client(app, ANN), "notes.txt", windows_program())
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "executable"
    assert stored_files(tmp_path) == []


def test_a_zip_bomb_is_refused_and_nothing_is_left_in_the_store(app, tmp_path):
    refused = upload(signed_in_client(app, ANN), "logs.zip", zip_of({"zeros.bin": bytes(5 * 1024 * 1024)}))
    assert refused.get_json()["error"]["code"] == "archive_too_large"
    assert stored_files(tmp_path) == []


def test_a_file_sent_over_the_limit_gets_413_and_is_not_kept(app, tmp_path):
    client = signed_in_client(app, ANN)
    started = start(client, "big.txt", 10).get_json()
    sent = send(client, started, b"x" * (25 * 1024 * 1024 + 1))
    assert sent.status_code == 413 and sent.get_json()["error"]["code"] == "too_large"
    assert stored_files(tmp_path) == []


def test_bad_input_gets_a_json_error_with_a_code(app):
    client = signed_in_client(app, ANN)
    for body in ({"name": "a.pdf"}, {"name": "", "size": 3}, {"name": "a.pdf", "size": -1}, ["a.pdf", 3]):
        answer = client.post("/uploads", json=body)
        assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "invalid"


def test_another_companys_contact_gets_404_on_done_and_on_download(app, tmp_path):
    ann = signed_in_client(app, ANN)
    started = start(ann, "screen.png", len(png_bytes())).get_json()
    send(ann, started, png_bytes())
    bob = signed_in_client(app, BOB)
    assert bob.post(f"/uploads/{started['upload_id']}/done").status_code == 404
    assert bob.post(f"/uploads/{started['upload_id']}/done").get_json()["error"]["code"] == "not_found"
    assert ann.post(f"/uploads/{started['upload_id']}/done").status_code == 200
    from portal.services.attachments import download_url
    from portal.web.session import SignedInContact

    key = next(k for k in stored_files(tmp_path) if k.startswith("uploads/"))
    owner = SignedInContact("x", key.split("/")[1], "", "", "en", ())
    link = download_url(app.extensions["portal"].files, owner, key)
    assert bob.get(link).status_code == 404
    download = ann.get(link)
    assert download.status_code == 200 and download.data == png_bytes()
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Type"] == "application/octet-stream"
    download.close()


def test_a_download_link_that_was_not_signed_by_the_portal_is_not_found(app, tmp_path):
    ann = signed_in_client(app, ANN)
    started = start(ann, "screen.png", len(png_bytes())).get_json()
    send(ann, started, png_bytes())
    key = next(k for k in stored_files(tmp_path) if k.startswith("uploads/"))
    assert ann.get(f"/files/{key}?name=screen.png&expires=9999999999&signature=00").status_code == 404
    assert ann.get(f"/files/{key}").status_code == 404


@pytest.mark.parametrize("expires", ["\u00b2", "\u0663" * 10, "9" * 5000, "-1", " 9999999999"])
def test_a_download_link_whose_expiry_is_not_a_plain_number_is_not_found(app, tmp_path, expires):
    ann = signed_in_client(app, ANN)
    started = start(ann, "screen.png", len(png_bytes())).get_json()
    send(ann, started, png_bytes())
    key = next(k for k in stored_files(tmp_path) if k.startswith("uploads/"))
    response = ann.get(f"/files/{key}", query_string={"name": "screen.png", "expires": expires, "signature": "0"})
    assert response.status_code == 404


def test_visitors_who_are_not_signed_in_cannot_upload(app, tmp_path):
    answer = app.test_client().post("/uploads", json={"name": "a.pdf", "size": 10})
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_csrf_stays_on_and_the_token_in_the_x_csrftoken_header_is_accepted(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    signed = client.post("/login", data={"email": ANN, "password": "demo-portal", "csrf_token": token})
    assert signed.status_code == 302
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    refused = client.post("/uploads", json={"name": "a.png", "size": 10})
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "csrf_failed"
    accepted = client.post("/uploads", json={"name": "a.png", "size": 10}, headers={"X-CSRFToken": token})
    assert accepted.status_code == 201


def test_s3_down_gets_a_503_json_that_says_to_retry(app):
    from portal.domain.errors import BackendUnavailable

    class DownFiles:
        def upload_form(self, *args, **kwargs):
            raise BackendUnavailable("files", "EndpointConnectionError")

    vars(app.extensions["portal"])["files"] = DownFiles()
    answer = start(signed_in_client(app, ANN), "a.png", 10)
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    assert answer.get_json()["error"]["code"] == "unavailable"


def test_a_discarded_upload_leaves_nothing(app, tmp_path):
    client = signed_in_client(app, ANN)
    started = start(client, "screen.png", len(png_bytes())).get_json()
    send(client, started, png_bytes())
    client.post(f"/uploads/{started['upload_id']}/done")
    assert client.delete(f"/uploads/{started['upload_id']}").status_code == 204
    assert stored_files(tmp_path) == []
