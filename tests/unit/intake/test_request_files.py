"""Files on the request pages (intake rule 4, P9, S13): only uploads accepted for the contact's company travel
with a request, and the history lists them with a download only its readers can follow."""

import io

import pytest

from tests.builders import seeded_app, signed_in_client
from tests.unit.attachments.attachment_builders import png_bytes
from tests.unit.intake.test_request_pages import PREMIUM, form

OTHER_COMPANY = "owner@customer2.example"


@pytest.fixture
def app(moto_storage, tmp_path):
    return seeded_app(moto_storage, tmp_path, data_dir=tmp_path)


def accepted_upload(client, name="screen.png", content=None):
    """The three steps the upload script takes; the accepted upload's id."""
    content = png_bytes() if content is None else content
    started = client.post("/uploads", json={"name": name, "size": len(content)}).get_json()
    sent = client.post(started["url"], data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")
    assert sent.status_code == 201
    done = client.post(f"/uploads/{started['upload_id']}/done")
    assert done.status_code == 200, done.get_json()
    return started["upload_id"]


def filed_number(app, company="demo-1"):
    [summary] = app.extensions["portal"].storage.tickets.of_company(company)
    return summary.number


def test_a_request_filed_with_an_accepted_file_lists_it_and_its_reader_downloads_it(app):
    client = signed_in_client(app, PREMIUM)
    upload_id = accepted_upload(client)
    response = client.post("/requests/new?lang=en", data={**form(), "attachments": [upload_id]})
    assert response.status_code == 302
    number = filed_number(app)
    page = client.get(f"/requests/{number}?lang=en").get_data(as_text=True)
    assert "screen.png" in page
    link = next(line for line in page.splitlines() if f"/requests/{number}/files/" in line)
    href = link.split('href="')[1].split('"')[0]
    signed = client.get(href)
    assert signed.status_code == 302
    download = client.get(signed.headers["Location"])
    assert download.status_code == 200 and download.data == png_bytes()
    download.close()
    stranger = signed_in_client(app, OTHER_COMPANY)
    assert stranger.get(href).status_code == 404
    assert stranger.get(signed.headers["Location"]).status_code == 404


def test_an_upload_id_that_is_not_an_accepted_file_of_the_company_files_nothing(app):
    stranger = signed_in_client(app, OTHER_COMPANY)
    foreign_id = accepted_upload(stranger)
    client = signed_in_client(app, PREMIUM)
    for upload_id in ("made-up", foreign_id):
        response = client.post("/requests/new?lang=en", data={**form(idempotency_key=upload_id),
                                                              "attachments": [upload_id]})
        assert response.status_code == 200
        assert "no longer available" in response.get_data(as_text=True)
    assert app.extensions["portal"].storage.tickets.of_company("demo-1") == []


def test_a_form_sent_back_with_an_error_keeps_the_files_already_accepted(app):
    client = signed_in_client(app, PREMIUM)
    upload_id = accepted_upload(client)
    page = client.post("/requests/new?lang=en", data={**form(fact_steps=""), "attachments": [upload_id]})
    assert page.status_code == 200
    assert f'name="attachments" value="{upload_id}"' in page.get_data(as_text=True)


def test_a_file_sent_with_a_message_appears_in_the_history(app):
    """Rule P9: the customer adds files to a request."""
    client = signed_in_client(app, PREMIUM)
    client.post("/requests/new?lang=en", data=form())
    number = filed_number(app)
    upload_id = accepted_upload(client, "log.txt", b"line one\nline two\n")
    assert client.post(f"/requests/{number}/messages", data={"text": "", "attachments": [upload_id]}).status_code == 302
    page = client.get(f"/requests/{number}?lang=en").get_data(as_text=True)
    assert "log.txt" in page


def test_the_upload_field_carries_its_start_address_and_messages_in_the_customers_language(app):
    page = signed_in_client(app, PREMIUM).get("/requests/new?lang=fr").get_data(as_text=True)
    assert 'data-start-url="/uploads"' in page and "Envoi en cours" in page and "js/uploads.js" in page
