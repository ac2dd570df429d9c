"""The laptop's file store: files under one folder that no key can leave; signed download links."""

import pytest

from portal.adapters.files import LocalFileStore
from portal.domain.errors import NotFound


def test_a_stored_file_can_be_sized_read_from_its_start_opened_and_deleted(tmp_path):
    files = LocalFileStore(tmp_path / "files")
    key = "uploads/acme/abcdefghijklmnop/report.pdf"
    assert files.put(key, b"%PDF-1.4 hello") == 14
    assert files.head(key) == 14
    assert files.read_start(key, 4) == b"%PDF"
    with files.open(key) as stream:
        assert stream.read() == b"%PDF-1.4 hello"
    files.delete(key)
    assert files.head(key) is None
    assert not any((tmp_path / "files").rglob("*")), "empty upload folders go with their file"


@pytest.mark.parametrize("key", ["../outside.txt", "uploads/../../outside.txt", "/etc/passwd", "uploads//x",
                                 "uploads\\..\\x", "uploads/./x", "", "a\x00b"])
def test_no_key_escapes_the_stores_folder(tmp_path, key):
    files = LocalFileStore(tmp_path / "files")
    with pytest.raises(NotFound):
        files.put(key, b"x")
    assert files.head(key) is None
    assert not (tmp_path / "outside.txt").exists()


def test_a_symbolic_link_out_of_the_folder_names_no_file(tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "files" / "link").symlink_to(tmp_path)
    with pytest.raises(NotFound):
        LocalFileStore(tmp_path / "files").open("link/secret.txt")


def test_a_missing_file_is_not_found(tmp_path):
    with pytest.raises(NotFound):
        LocalFileStore(tmp_path).open("uploads/acme/abcdefghijklmnop/none.txt")


def test_an_upload_form_points_to_the_portals_own_endpoint_with_no_fields(tmp_path):
    form = LocalFileStore(tmp_path).upload_form("uploads/acme/abcdefghijklmnop/a.pdf", 1024)
    assert form.url == "/uploads/abcdefghijklmnop/file" and form.fields == {}


def test_a_download_link_is_signed_for_its_key_and_name_and_expires(tmp_path):
    now = [1_000_000.0]
    files = LocalFileStore(tmp_path, "secret", clock=lambda: now[0])
    key = "uploads/acme/abcdefghijklmnop/a.pdf"
    files.put(key, b"%PDF")
    url = files.download_url(key, "a.pdf", expires=300)
    assert url.startswith("/files/uploads/acme/abcdefghijklmnop/a.pdf?name=a.pdf&expires=1000300&signature=")
    signature = url.rsplit("=", 1)[1]
    assert files.link_is_valid(key, "a.pdf", "1000300", signature)
    assert not files.link_is_valid(key, "b.pdf", "1000300", signature)
    assert not files.link_is_valid("uploads/acme/abcdefghijklmnop/b.pdf", "a.pdf", "1000300", signature)
    now[0] = 1_000_301.0
    assert not files.link_is_valid(key, "a.pdf", "1000300", signature)


def test_a_download_links_expiry_counts_only_in_ascii_digits(tmp_path):
    files = LocalFileStore(tmp_path, "secret", clock=lambda: 1_000_000.0)
    key = "uploads/acme/abcdefghijklmnop/a.pdf"
    files.put(key, b"%PDF")
    signature = files.download_url(key, "a.pdf", expires=300).rsplit("=", 1)[1]
    assert files.link_is_valid(key, "a.pdf", "1000300", signature)
    for until in ("\u00b2", "\u00b9\u00b2", "\u0661\u0660\u0660\u0660\u0663\u0660\u0660", "9" * 5000, ""):
        assert not files.link_is_valid(key, "a.pdf", until, signature)


def test_keys_under_a_prefix_are_listed_and_half_written_files_are_not(tmp_path):
    files = LocalFileStore(tmp_path)
    files.put("uploads/acme/abcdefghijklmnop/a.pdf", b"1")
    (tmp_path / "uploads/acme/abcdefghijklmnop/.part-x").write_bytes(b"2")
    assert files.keys_under("uploads/acme/abcdefghijklmnop/") == ["uploads/acme/abcdefghijklmnop/a.pdf"]
    assert files.keys_under("uploads/other/abcdefghijklmnop/") == []
