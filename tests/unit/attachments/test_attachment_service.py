"""Uploads are started, accepted by content or deleted, and stay within their company."""

from datetime import UTC, datetime

import pytest

from portal.adapters.files import LocalFileStore
from portal.domain.errors import NotFound
from portal.domain.uploads import UploadRefusal
from portal.services import attachments
from tests.unit.attachments.attachment_builders import (
    make_contact,
    make_policy,
    png_bytes,
    stored_upload,
    windows_program,
    zip_of,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def stored_files(root):
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def test_an_upload_is_started_for_a_key_of_the_contacts_company_before_any_byte_is_sent(tmp_path):
    files = LocalFileStore(tmp_path)
    started = attachments.start_upload(files, make_contact(), "../Écran 1.png", 2048, make_policy(), NOW)
    assert started.key == f"uploads/acme/{started.upload_id}/Écran 1.png"
    assert len(started.upload_id) >= 16 and started.name == "Écran 1.png"
    assert started.form.url == f"/uploads/{started.upload_id}/file"
    assert started.max_bytes == 25 * 1024 * 1024 and started.expires_at == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    assert stored_files(tmp_path) == []


def test_each_upload_gets_its_own_random_id(tmp_path):
    files = LocalFileStore(tmp_path)
    ids = {attachments.start_upload(files, make_contact(), "a.png", 10, make_policy(), NOW).upload_id
           for _ in range(20)}
    assert len(ids) == 20


def test_a_declared_size_over_the_limit_is_refused_before_any_byte_is_sent(tmp_path):
    refusal = attachments.start_upload(LocalFileStore(tmp_path), make_contact(), "video.zip", 30 * 1024 * 1024,
                                       make_policy(max_megabytes=25), NOW)
    assert isinstance(refusal, UploadRefusal) and refusal.code == "too_large"


def test_an_accepted_upload_has_its_name_size_kind_and_sha256(tmp_path):
    import hashlib

    files = LocalFileStore(tmp_path)
    started = stored_upload(files, make_contact(), "screen.png", png_bytes())
    attachment = attachments.accept_upload(files, make_contact(), started.upload_id, make_policy())
    assert attachment == attachments.Attachment(started.upload_id, started.key, "screen.png", len(png_bytes()),
                                                "png", hashlib.sha256(png_bytes()).hexdigest())
    assert attachments.accepted_attachment(files, make_contact(), started.upload_id) == attachment


@pytest.mark.parametrize(("name", "content", "code"), [
    ("notes.txt", windows_program(), "executable"),
    ("report.pdf", zip_of({"a.txt": b"a"}), "mismatch"),
    ("logs.zip", zip_of({"zeros.bin": bytes(5 * 1024 * 1024)}), "archive_too_large"),
])
def test_a_refused_upload_leaves_nothing_in_the_store(tmp_path, name, content, code):
    files = LocalFileStore(tmp_path)
    started = stored_upload(files, make_contact(), name, content)
    refusal = attachments.accept_upload(files, make_contact(), started.upload_id, make_policy())
    assert refusal.code == code
    assert stored_files(tmp_path) == []
    with pytest.raises(NotFound):
        attachments.accepted_attachment(files, make_contact(), started.upload_id)


def test_a_file_bigger_than_declared_and_over_the_limit_is_deleted(tmp_path):
    files = LocalFileStore(tmp_path)
    started = stored_upload(files, make_contact(), "big.txt", b"x" * (1024 * 1024 + 1), make_policy(max_megabytes=1),
                            declared_size=1000)
    refusal = attachments.accept_upload(files, make_contact(), started.upload_id, make_policy(max_megabytes=1))
    assert refusal.code == "too_large" and stored_files(tmp_path) == []


def test_another_companys_contact_cannot_accept_read_or_download_an_upload(tmp_path):
    files = LocalFileStore(tmp_path)
    started = stored_upload(files, make_contact(), "screen.png", png_bytes())
    attachments.accept_upload(files, make_contact(), started.upload_id, make_policy())
    stranger = make_contact(company_id="globex", contact_id="globex-bob")
    with pytest.raises(NotFound):
        attachments.accept_upload(files, stranger, started.upload_id, make_policy())
    with pytest.raises(NotFound):
        attachments.accepted_attachment(files, stranger, started.upload_id)
    with pytest.raises(NotFound):
        attachments.download_url(files, stranger, started.key)
    assert attachments.download_url(files, make_contact(), started.key).startswith("/files/uploads/acme/")


def test_an_upload_id_that_could_not_be_one_is_not_found(tmp_path):
    with pytest.raises(NotFound):
        attachments.accept_upload(LocalFileStore(tmp_path), make_contact(), "../../x", make_policy())


def test_a_laptop_upload_replaces_an_earlier_try_and_refuses_an_empty_file(tmp_path):
    import io

    files = LocalFileStore(tmp_path)
    started = attachments.start_upload(files, make_contact(), "a.png", 10, make_policy(), NOW)
    attachments.receive_upload(files, make_contact(), started.upload_id, "a.png", io.BytesIO(b"1"), make_policy())
    key = attachments.receive_upload(files, make_contact(), started.upload_id, "b.png", io.BytesIO(png_bytes()),
                                     make_policy())
    assert stored_files(tmp_path) == [key]
    refusal = attachments.receive_upload(files, make_contact(), started.upload_id, "b.png", io.BytesIO(b""),
                                         make_policy())
    assert refusal.code == "empty" and stored_files(tmp_path) == []


def test_a_discarded_upload_leaves_nothing(tmp_path):
    files = LocalFileStore(tmp_path)
    started = stored_upload(files, make_contact(), "screen.png", png_bytes())
    attachments.accept_upload(files, make_contact(), started.upload_id, make_policy())
    attachments.discard_upload(files, make_contact(), started.upload_id)
    assert stored_files(tmp_path) == []
