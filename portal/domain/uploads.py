"""Attachment rules (intake issue, point 4): safe file names, kinds told by content, size limits, zip bombs.

Pure rules on names, sizes and bytes; the standard library only. Refusals carry a code and parameters;
the services word them in the reader's language.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

MAX_NAME_LENGTH = 120
MAX_EXTENSION_LENGTH = 16
FALLBACK_NAME = "file"
MEGABYTE = 1024 * 1024
SNIFF_BYTES = 8192  # how much of a file's start the kind is told from

WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10))}
WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')

# What a content kind may be called: the extensions a file of that content may carry.
KIND_EXTENSIONS: dict[str, frozenset[str]] = {
    "pdf": frozenset({"pdf"}),
    "png": frozenset({"png"}),
    "jpeg": frozenset({"jpg", "jpeg"}),
    "gif": frozenset({"gif"}),
    "zip": frozenset({"zip", "xlsx", "docx", "pptx", "odt", "ods", "odp"}),
    "7z": frozenset({"7z"}),
    "gzip": frozenset({"gz", "tgz"}),
    "rar": frozenset({"rar"}),
    "dwg": frozenset({"dwg"}),
    "dxf": frozenset({"dxf"}),
    "step": frozenset({"step", "stp", "ifc"}),
    "pcap": frozenset({"pcap", "pcapng", "cap"}),
    "ole": frozenset({"rvt", "doc", "xls", "ppt", "msg"}),
    "text": frozenset({"txt", "log", "csv", "conf", "cfg", "ini", "xml", "json", "igs", "iges", "md"}),
}
TEXT_KINDS = {"text", "dxf", "step"}  # a drawing or model in text form may also be sent as plain text
ARCHIVE_KINDS = {"zip", "7z", "gzip", "rar"}
EXTENSIONS_WITH_SIGNATURE = frozenset().union(*KIND_EXTENSIONS.values())

MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty archive
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!\x1a\x07", "rar"),
    (b"AutoCAD Binary DXF\r\n\x1a\x00", "dxf"),
    (b"\xd4\xc3\xb2\xa1", "pcap"),
    (b"\xa1\xb2\xc3\xd4", "pcap"),
    (b"\x0a\x0d\x0d\x0a", "pcap"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
)
EXECUTABLE_MAGIC = (
    b"MZ",  # Windows and DOS programs, DLLs
    b"\x7fELF",  # Linux and Unix programs
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal binaries (and Java classes)
    b"#!",  # scripts run by an interpreter
)
DWG_VERSION = re.compile(rb"^AC10\d\d")
DXF_START = re.compile(r"^\s*0\s*\r?\n\s*SECTION\s*\r?\n\s*2\s*\r?\n\s*"
                       r"(HEADER|CLASSES|TABLES|BLOCKS|ENTITIES|OBJECTS)\b", re.MULTILINE)
STEP_START = re.compile(r"^\s*ISO-10303-21;")
CONTROL_BYTES = set(range(0x00, 0x09)) | set(range(0x0E, 0x1B)) | set(range(0x1C, 0x20)) | {0x7F}


@dataclass(frozen=True)
class UploadRefusal:
    """Why a file is refused: a code (`too_large`, `type_not_allowed`, `empty`, `executable`, `mismatch`,
    `archive_too_large`, `archive_too_many_files`, `archive_too_deep`, `archive_damaged`) and its parameters."""

    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class UploadVerdict:
    """A file that passes: its safe name, extension and the kind its content was told to be (None before
    any byte is seen)."""

    name: str
    extension: str
    kind: str | None


def safe_file_name(name: str) -> str:
    """A file name safe on every system: no folders, traversal, control or direction characters, reserved
    Windows names or leading dots; readable Unicode with its extension, never empty, at most 120 characters."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(" " if char.isspace() else char for char in name
                   if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn") or char.isspace())
    name = WINDOWS_FORBIDDEN.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" ")
    had_leading_dot = name.startswith(".")
    name = name.strip(". ")
    if had_leading_dot and "." not in name and name:
        name = f"{FALLBACK_NAME}.{name}"
    stem, extension = _split_extension(name)
    if not stem:
        stem = FALLBACK_NAME
    if stem.split(".")[0].strip().upper() in WINDOWS_RESERVED:
        stem = f"_{stem}"
    suffix = f".{extension}" if extension else ""
    stem = stem[:MAX_NAME_LENGTH - len(suffix)].rstrip(" .") or FALLBACK_NAME
    return f"{stem}{suffix}"


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, extension = name.rpartition(".")
    if not dot or not extension or len(extension) > MAX_EXTENSION_LENGTH or " " in extension:
        return name, ""
    return stem.rstrip(" ."), extension


def extension_of(name: str) -> str:
    """The lower-case extension of a file name, without the dot ('' when it has none)."""
    return _split_extension(name)[1].lower()


def detect_kind(first_bytes: bytes, name: str = "") -> str:
    """The kind of a file told by its first bytes, never by its name: 'executable' for any program or script,
    a kind of KIND_EXTENSIONS, or 'unknown'; the name only tells a text drawing from plain text."""
    if first_bytes.startswith(EXECUTABLE_MAGIC):
        return "executable"
    for magic, kind in MAGIC_NUMBERS:
        if first_bytes.startswith(magic):
            return kind
    if DWG_VERSION.match(first_bytes):
        return "dwg"
    text = _as_text(first_bytes)
    if text is None:
        return "unknown"
    if text.lstrip("\ufeff").startswith("#!"):
        return "executable"
    if DXF_START.search(text[:SNIFF_BYTES]):
        return "dxf"
    if STEP_START.match(text.lstrip("\ufeff")):
        return "step"
    return "text"


def _as_text(data: bytes) -> str | None:
    """The bytes as text when they are UTF-8 (or UTF-16 with its mark) or Latin-1 without NUL or control bytes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data[:len(data) - len(data) % 2].decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.start >= len(data) - 3:
            return data[:error.start].decode("utf-8")  # the sniffed start cut a character in two
    controls = sum(1 for byte in data if byte in CONTROL_BYTES)
    if controls > len(data) // 100:
        return None
    return data.decode("latin-1")


def content_fits_extension(kind: str, extension: str) -> bool:
    """Whether a content kind may carry this extension (a text drawing may also be plain .txt; an extension
    the portal knows no signature for fits content of no known kind)."""
    if extension in KIND_EXTENSIONS.get(kind, ()):
        return True
    if kind in TEXT_KINDS and extension in KIND_EXTENSIONS["text"]:
        return True
    return kind == "unknown" and extension not in EXTENSIONS_WITH_SIGNATURE


def check_upload(name: str, size: int, first_bytes: bytes | None, policy) -> UploadVerdict | UploadRefusal:
    """Intake rule 4: a file is not empty, within the charter's size limit, of a type the charter allows, no
    program, and its content is what its name says. Before any byte is sent, `first_bytes` is None."""
    safe = safe_file_name(name)
    extension = extension_of(safe)
    limit = policy.max_megabytes * MEGABYTE
    if size <= 0 or first_bytes == b"":
        return UploadRefusal("empty", {"name": safe})
    if size > limit:
        return UploadRefusal("too_large", {"name": safe, "size": _megabytes(size), "limit": policy.max_megabytes})
    allowed = tuple(dict.fromkeys(kind.lower() for kind in policy.allowed_types))
    if extension not in allowed:
        return UploadRefusal("type_not_allowed", {"name": safe, "allowed": ", ".join(allowed)})
    if first_bytes is None:
        return UploadVerdict(safe, extension, None)
    kind = detect_kind(first_bytes, safe)
    if kind == "executable":
        return UploadRefusal("executable", {"name": safe})
    if not content_fits_extension(kind, extension):
        return UploadRefusal("mismatch", {"name": safe, "extension": extension})
    return UploadVerdict(safe, extension, kind)


def _megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.1f}"


# --- where uploads are kept ------------------------------------------------------------------------------

UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
COMPANY_ID = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")


def upload_prefix(company_id: str, upload_id: str) -> str:
    """The folder of one upload, inside its company's: `uploads/<company>/<upload id>/`.

    :raise ValueError: when the company or upload id could not be one (a key never escapes its company).
    """
    if not COMPANY_ID.match(company_id or "") or company_id in (".", ".."):
        raise ValueError(f"not a company id: {company_id!r}")
    if not UPLOAD_ID.match(upload_id or ""):
        raise ValueError(f"not an upload id: {upload_id!r}")
    return f"uploads/{company_id}/{upload_id}/"


def upload_key(company_id: str, upload_id: str, file_name: str) -> str:
    """The key of an uploaded file: `uploads/<company>/<upload id>/<safe name>`."""
    return upload_prefix(company_id, upload_id) + safe_file_name(file_name)


def company_of(key: str) -> str | None:
    """The company an upload key belongs to (None for a key that is no upload)."""
    parts = key.split("/")
    return parts[1] if len(parts) == 4 and parts[0] == "uploads" and all(parts) else None


def upload_id_of(key: str) -> str | None:
    """The upload id in an upload key (None for a key that is no upload)."""
    return key.split("/")[2] if company_of(key) else None


# --- archives --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ArchiveLimits:
    """How far an archive may expand: a zip bomb goes past one of these."""

    max_ratio: int = 100
    ratio_from_bytes: int = MEGABYTE  # small archives of repetitive logs may compress better than the ratio
    max_total_bytes: int = 1024 * MEGABYTE
    max_entries: int = 10_000
    max_depth: int = 2  # an archive inside an archive is depth 2; one more level is refused


@dataclass(frozen=True)
class ArchiveEntry:
    name: str
    compressed_size: int
    size: int


NESTED_ARCHIVE_EXTENSIONS = {"zip", "7z", "gz", "tgz", "rar", "tar", "bz2", "xz", "jar"}


def zip_bomb(entries: Iterable[ArchiveEntry], archive_size: int, depth: int = 1,
             limits: ArchiveLimits = ArchiveLimits()) -> UploadRefusal | None:
    """An archive is refused when it holds too many entries, expands past the total or the ratio to its own
    size, or nests archives deeper than allowed."""
    entries = list(entries)
    if len(entries) > limits.max_entries:
        return UploadRefusal("archive_too_many_files", {"count": len(entries), "limit": limits.max_entries})
    total = sum(entry.size for entry in entries)
    too_dense = total > limits.ratio_from_bytes and total > limits.max_ratio * max(archive_size, 1)
    if total > limits.max_total_bytes or too_dense:
        return UploadRefusal("archive_too_large", {"size": _megabytes(total),
                                                   "limit": _megabytes(limits.max_total_bytes)})
    if depth > limits.max_depth:
        return UploadRefusal("archive_too_deep", {"limit": limits.max_depth})
    return None


def check_archive(stream: BinaryIO, limits: ArchiveLimits = ArchiveLimits(), depth: int = 1) -> UploadRefusal | None:
    """A zip archive (read from its central directory, then nested zips one level at a time) passes the
    zip-bomb limits; a damaged archive is refused."""
    try:
        archive_size = stream.seek(0, 2)
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
            entries = [ArchiveEntry(info.filename, info.compress_size, info.file_size) for info in infos]
            refusal = zip_bomb(entries, archive_size, depth, limits)
            if refusal:
                return refusal
            for info in infos:
                readable = not info.flag_bits & 0x1  # an encrypted entry cannot be looked into
                is_zip = readable and _starts_as_zip(archive, info)
                if not is_zip and extension_of(info.filename) not in NESTED_ARCHIVE_EXTENSIONS:
                    continue
                if depth + 1 > limits.max_depth:
                    return UploadRefusal("archive_too_deep", {"limit": limits.max_depth})
                if not is_zip:
                    continue  # a 7z, gzip or rar inside counts for depth; its content cannot be read here
                with archive.open(info) as inner:
                    refusal = check_archive(inner, limits, depth + 1)
                if refusal:
                    return refusal
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError,
            RuntimeError):
        return UploadRefusal("archive_damaged", {})
    return None


def _starts_as_zip(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    if info.file_size < 4:
        return False
    with archive.open(info) as inner:
        return inner.read(4) in (b"PK\x03\x04", b"PK\x05\x06")
