"""XSS payloads in every text a customer controls (subject, facts, messages, file names) render inert on the
customer's pages, the support team's pages and in the e-mails (proof issue)."""

import io

import pytest

from tests.builders import seeded_app, signed_in_client
from tests.unit.attachments.attachment_builders import png_bytes
from tests.unit.intake.test_request_pages import PREMIUM, form
from tests.unit.staff.staff_builders import make_staff, staff_client

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FILE_NAME = '"><svg onload=alert(1)>.png'


@pytest.fixture
def app(moto_storage, tmp_path):
    app = seeded_app(moto_storage, tmp_path, data_dir=tmp_path)
    moto_storage.staff.save(make_staff(role="manager"))
    return app


def upload(client, name, content):
    started = client.post("/uploads", json={"name": name, "size": len(content)}).get_json()
    # the upload script sends the file under the name the portal made safe (as S3 keys it in production)
    sent = client.post(started["url"], data={"file": (io.BytesIO(content), started["name"])},
                       content_type="multipart/form-data")
    assert sent.status_code == 201, sent.get_json()
    done = client.post(f"/uploads/{started['upload_id']}/done")
    assert done.status_code == 200, done.get_json()
    return started["upload_id"]


def assert_inert(text, where):
    assert "<script>" not in text and "onerror=alert" not in text.replace("onerror=alert(1)&gt;", ""), where
    assert "<svg onload" not in text, where


def test_payloads_in_every_customer_text_stay_text_on_every_page_and_in_the_mails(app):
    client = signed_in_client(app, PREMIUM)
    upload_id = upload(client, FILE_NAME, png_bytes())
    filed = client.post("/requests/new?lang=en", data={
        **form(subject=PAYLOAD, fact_description=PAYLOAD, fact_steps=PAYLOAD, fact_operating_system=PAYLOAD),
        "attachments": [upload_id]})
    assert filed.status_code == 302
    [summary] = app.extensions["portal"].storage.tickets.of_company("demo-1")
    number = summary.number
    client.post(f"/requests/{number}/messages", data={"text": PAYLOAD})
    pages = {
        "my requests": client.get("/requests?lang=en"),
        "request": client.get(f"/requests/{number}?lang=en"),
    }
    staff = staff_client(app)
    for url in ("/staff/queue?lang=en", f"/staff/requests/{number}?lang=en", "/staff/meeting?lang=en"):
        pages[url] = staff.get(url)
    for where, response in pages.items():
        text = response.get_data(as_text=True)
        assert response.status_code == 200, where
        assert "&lt;script&gt;" in text or where == "/staff/meeting?lang=en", where
        assert_inert(text, where)
    for mail in app.extensions["portal"].mailer.messages():
        assert mail.get_body(("html",)) is None or "<script>" not in mail.get_body(("html",)).get_content()
        assert "\n" not in mail["Subject"]
