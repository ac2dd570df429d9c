"""Files are told by their content, never by their name; size and type limits come from the charter."""

from portal.domain.uploads import UploadRefusal, UploadVerdict, check_upload, detect_kind
from portal.services.attachments import refusal_message
from tests.unit.attachments.attachment_builders import (
    dxf_text,
    make_policy,
    pdf_bytes,
    png_bytes,
    seven_zip_bytes,
    windows_program,
    zip_of,
)


def test_real_small_files_are_told_by_their_first_bytes():
    assert detect_kind(png_bytes(), "x.png") == "png"
    assert detect_kind(pdf_bytes(), "x.pdf") == "pdf"
    assert detect_kind(zip_of({"a.txt": b"a"}), "x.zip") == "zip"
    assert detect_kind(seven_zip_bytes(), "x.7z") == "7z"
    assert detect_kind(dxf_text(), "x.dxf") == "dxf"
    assert detect_kind(b"AC1032\x00\x00\x00", "x.dwg") == "dwg"
    assert detect_kind(b"\xff\xd8\xff\xe0\x00\x10JFIF", "x.jpg") == "jpeg"
    assert detect_kind("2026-03-02 erreur de connexion à la base\n".encode(), "x.log") == "text"
    assert detect_kind("caf\xe9 cr\xe8me\r\n".encode("latin-1"), "x.txt") == "text"


def test_a_pdf_that_is_really_a_zip_is_refused_as_a_mismatch():
    verdict = check_upload("report.pdf", 200, zip_of({"a.txt": b"a"}), make_policy())
    assert verdict == UploadRefusal("mismatch", {"name": "report.pdf", "extension": "pdf"})


def test_a_program_renamed_txt_is_refused_as_an_executable():
    verdict = check_upload("notes.txt", 200, windows_program(), make_policy())
    assert isinstance(verdict, UploadRefusal) and verdict.code == "executable"


def test_linux_programs_mac_programs_and_scripts_are_executables_whatever_their_name():
    for content in (b"\x7fELF\x02\x01\x01", b"\xcf\xfa\xed\xfe\x07\x00", b"#!/bin/sh\nrm -rf /\n"):
        assert detect_kind(content, "harmless.log") == "executable"


def test_a_text_drawing_may_also_be_sent_as_plain_text():
    assert isinstance(check_upload("drawing.txt", 100, dxf_text(), make_policy()), UploadVerdict)


def test_binary_content_named_txt_is_a_mismatch():
    verdict = check_upload("data.txt", 100, bytes(range(256)), make_policy())
    assert verdict.code == "mismatch"


def test_a_file_of_an_allowed_kind_passes_with_its_kind():
    assert check_upload("screen.png", 100, png_bytes(), make_policy()) == UploadVerdict("screen.png", "png", "png")


def test_a_type_the_charter_does_not_list_is_refused_with_the_allowed_kinds():
    verdict = check_upload("model.step", 100, None, make_policy(allowed_types=("pdf", "zip")))
    assert verdict == UploadRefusal("type_not_allowed", {"name": "model.step", "allowed": "pdf, zip"})
    assert "pdf, zip" in refusal_message(verdict, "en")


def test_an_empty_file_is_refused():
    assert check_upload("empty.txt", 0, None, make_policy()).code == "empty"
    assert check_upload("empty.txt", 10, b"", make_policy()).code == "empty"


def test_a_file_over_the_charters_limit_is_refused_with_the_advice_to_compress_it():
    verdict = check_upload("scan.pdf", 26 * 1024 * 1024, None, make_policy(max_megabytes=25))
    assert verdict == UploadRefusal("too_large", {"name": "scan.pdf", "size": "26.0", "limit": 25})
    assert "compress" in refusal_message(verdict, "en")
    assert "compress" in refusal_message(verdict, "fr").lower() and "25" in refusal_message(verdict, "nl")


def test_the_size_of_a_refused_file_is_written_with_the_readers_decimal_sign():
    verdict = check_upload("scan.pdf", 26 * 1024 * 1024 + 300_000, None, make_policy(max_megabytes=25))
    assert "26,3 Mo" in refusal_message(verdict, "fr")
    assert "26,3 MB" in refusal_message(verdict, "nl")
    assert "26.3 MB" in refusal_message(verdict, "en")


def test_a_file_at_the_limit_passes():
    assert isinstance(check_upload("scan.pdf", 25 * 1024 * 1024, None, make_policy(max_megabytes=25)),
                      UploadVerdict)


def test_an_extension_the_portal_knows_no_signature_for_passes_when_the_content_is_no_known_kind():
    policy = make_policy(allowed_types=("ard",))
    assert check_upload("program.ard", 10, b"\x01\x02ARD\x00\x00\x10", policy).kind == "unknown"
    assert check_upload("program.ard", 10, pdf_bytes(), policy).code == "mismatch"
