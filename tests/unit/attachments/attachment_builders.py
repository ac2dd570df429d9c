"""Builders for the attachment tests: small real files of each kind, archives, policies, contacts, an app."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from types import SimpleNamespace

from portal.domain.charter import Attachments

EXAMPLE_TYPES = ("pdf", "png", "jpg", "jpeg", "txt", "log", "zip", "7z", "dxf", "dwg")


def make_policy(max_megabytes: int = 25, allowed_types=EXAMPLE_TYPES) -> Attachments:
    return Attachments(max_megabytes, tuple(allowed_types))


def make_contact(company_id: str = "acme", contact_id: str = "acme-ann"):
    return SimpleNamespace(company_id=company_id, contact_id=contact_id)


def png_bytes() -> bytes:
    """A real 1×1 white PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
            + chunk(b"IEND", b""))


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def seven_zip_bytes() -> bytes:
    """An empty 7z archive: signature, version 0.4, start header."""
    return b"7z\xbc\xaf\x27\x1c\x00\x04\x8d\x9b\xd5\x0f" + bytes(20)


def dxf_text() -> bytes:
    return b"  0\r\nSECTION\r\n  2\r\nHEADER\r\n  9\r\n$ACADVER\r\n  1\r\nAC1015\r\n  0\r\nENDSEC\r\n  0\r\nEOF\r\n"


def windows_program() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(64) + b"This program cannot be run in DOS mode."


def zip_of(files: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def nested_zip(levels: int) -> bytes:
    """A zip holding a zip ... `levels` archives in all, a text file at the bottom."""
    content = zip_of({"readme.txt": b"the innermost file\n"})
    for level in range(levels - 1):
        content = zip_of({f"level-{level}.zip": content})
    return content


def stored_upload(files, contact, name: str, content: bytes, policy=None, declared_size: int | None = None):
    """Start an upload (declaring the content's size unless told otherwise) and put its bytes where the browser
    would; the started upload."""
    from datetime import UTC, datetime

    from portal.services.attachments import start_upload

    size = declared_size if declared_size is not None else max(len(content), 1)
    started = start_upload(files, contact, name, size, policy or make_policy(),
                           datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    files.put(started.key, content)
    return started
