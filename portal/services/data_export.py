"""Moving a portal's data: every table (and the attachments) to a folder of JSON lines with a manifest, and back.

This is how a vendor moves from the laptop (DynamoDB Local) to AWS, or between AWS accounts. The folder:

    manifest.json              format, schema version, time, per table: key attributes, item count, sha256
    tables/<table>.jsonl       one item a line, DynamoDB's low-level format, sorted (the same data, the same bytes)
    files/<key>                each attachment under its own key (with --files), its size and sha256 in the manifest

An import checks the whole manifest before writing anything, writes only items and files that differ from the
export (an interrupted import run again ends in the same state; a second import writes nothing), and refuses a
target that holds anything the export does not.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from portal.domain.errors import NotFound
from portal.domain.instants import iso_utc

FORMAT = "portal-data-export"
SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class ExportRefused(ValueError):
    """The export cannot be written (e.g. the folder already holds files); the message says why."""


class ImportRefused(ValueError):
    """The import cannot start or did not verify; the message says why. Nothing was written when it could not
    start."""


@dataclass
class ExportReport:
    tables: dict[str, int] = field(default_factory=dict)
    files: int = 0


@dataclass
class ImportReport:
    written: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    files_written: int = 0
    files_unchanged: int = 0
    created_tables: list[str] = field(default_factory=list)

    @property
    def changed_nothing(self) -> bool:
        return not any(self.written.values()) and not self.files_written and not self.created_tables


def canonical(item: dict) -> str:
    """One item as one line of text: the same item always gives the same line."""
    return json.dumps(item, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _digest(lines: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def _file_path(folder: Path, key: str) -> Path:
    """Where a file store key sits in the export folder; a key that would leave it names none."""
    parts = key.split("/")
    if not key or key.startswith("/") or "\\" in key or any(part in ("", ".", "..") for part in parts):
        raise ImportRefused(f"unsafe file key in the export: {key!r}")
    return folder.joinpath("files", *parts)


def _file_digest(stream) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def export_data(raw, folder: Path, now: datetime, files=None, every_key: Callable | None = None) -> ExportReport:
    """Write every table (and, given a file store, every file) to an empty or new folder, with its manifest.

    :raise ExportRefused: when the folder already holds something.
    """
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ExportRefused(f"{folder} is not empty: export into a new folder")
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    report, tables = ExportReport(), []
    for shape in raw.shapes():
        lines = sorted(canonical(item) for item in raw.items(shape.name)) if raw.exists(shape.name) else []
        relative = f"tables/{shape.base_name}.jsonl"
        (folder / relative).write_bytes("".join(line + "\n" for line in lines).encode("utf-8"))
        tables.append({"name": shape.base_name, "keys": list(shape.keys), "file": relative, "count": len(lines),
                       "sha256": _digest(lines)})
        report.tables[shape.base_name] = len(lines)
    manifest = {"format": FORMAT, "schema_version": SCHEMA_VERSION,
                "created_at": iso_utc(now), "tables": tables, "files": None}
    if files is not None:
        manifest["files"] = [_export_file(files, folder, key) for key in every_key(files)]
        report.files = len(manifest["files"])
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return report


def _export_file(files, folder: Path, key: str) -> dict:
    path = _file_path(folder, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with files.open(key) as source, path.open("wb") as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
    return {"key": key, "size": path.stat().st_size, "sha256": digest.hexdigest()}


def read_manifest(folder: Path) -> dict:
    """The manifest of an export folder, checked against the folder's content (counts and checksums).

    :raise ImportRefused: when the manifest is missing, of another format or version, or a file disagrees.
    """
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportRefused(f"{folder} holds no {MANIFEST}: not a portal export") from None
    except ValueError:
        raise ImportRefused(f"{MANIFEST} cannot be read") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ImportRefused(f"{MANIFEST} is not a portal export manifest")
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise ImportRefused(f"export schema version {manifest.get('schema_version')!r} is not "
                            f"{SCHEMA_VERSION}, the one this portal reads")
    for table in manifest.get("tables") or ():
        lines = _table_lines(folder, table)
        if len(lines) != table["count"] or _digest(lines) != table["sha256"]:
            raise ImportRefused(f"table {table['name']}: its file does not match the manifest "
                                f"(count or checksum)")
    for entry in manifest.get("files") or ():
        path = _file_path(folder, entry["key"])
        if not path.is_file():
            raise ImportRefused(f"file {entry['key']} is listed in the manifest but missing")
        with path.open("rb") as stream:
            if _file_digest(stream) != (entry["sha256"], entry["size"]):
                raise ImportRefused(f"file {entry['key']} does not match its checksum")
    return manifest


def _table_lines(folder: Path, table: dict) -> list[str]:
    path = folder / table["file"]
    if path.parent.name != "tables" or not path.is_file():
        raise ImportRefused(f"table {table.get('name')}: its file is missing")
    # One item a line, cut on "\n" only: an item's text may hold U+2028, U+2029 or U+0085, which
    # str.splitlines() would also cut on (JSON escapes "\n" and "\r" inside strings, never these).
    text = path.read_bytes().decode("utf-8")
    return text.split("\n")[:-1] if text else []


def _key_of(item: dict, keys: list[str]) -> dict:
    return {name: item[name] for name in keys}


def import_data(raw, folder: Path, create_missing_tables: Callable[[], list[str]] | None = None,
                files=None) -> ImportReport:
    """Load a verified export into a target that is empty or holds only part of this same export.

    Every table of the export must be one the portal knows, with the same keys. Items and files equal to the
    export's are left alone; the others are written. Afterwards each table is read back and compared.

    :raise ImportRefused: before any write, when the manifest does not verify or the target is not empty.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    shapes = {shape.base_name: shape for shape in raw.shapes()}
    for table in manifest["tables"]:
        shape = shapes.get(table["name"])
        if shape is None:
            raise ImportRefused(f"table {table['name']} of the export is unknown to this portal")
        if list(shape.keys) != list(table["keys"]):
            raise ImportRefused(f"table {table['name']}: keys {table['keys']} differ from this portal's "
                                f"{list(shape.keys)}")
    if manifest.get("files") and files is None:
        raise ImportRefused("the export holds files but no file store was given")
    report = ImportReport()
    report.created_tables = list(create_missing_tables() if create_missing_tables else ())
    exported = {table["name"]: set(_table_lines(folder, table)) for table in manifest["tables"]}
    for name, lines in exported.items():
        shape = shapes[name]
        if raw.holds_any(shape.name):
            foreign = sum(1 for item in raw.items(shape.name) if canonical(item) not in lines)
            if foreign:
                raise ImportRefused(f"table {shape.name} holds {foreign} item(s) that are not in the export: "
                                    f"import into an empty target")
    for table in manifest["tables"]:
        shape = shapes[table["name"]]
        written = unchanged = 0
        for line in _table_lines(folder, table):
            item = json.loads(line)
            current = raw.get(shape.name, _key_of(item, shape.keys))
            if current is not None and canonical(current) == line:
                unchanged += 1
                continue
            raw.put(shape.name, item)
            written += 1
        report.written[shape.base_name], report.unchanged[shape.base_name] = written, unchanged
    for entry in manifest.get("files") or ():
        if _same_file(files, entry):
            report.files_unchanged += 1
            continue
        with _file_path(folder, entry["key"]).open("rb") as stream:
            files.put(entry["key"], stream)
        report.files_written += 1
    verify_target(raw, manifest, files)
    return report


def _same_file(files, entry: dict) -> bool:
    if files.head(entry["key"]) != entry["size"]:
        return False
    try:
        with files.open(entry["key"]) as stream:
            return _file_digest(stream) == (entry["sha256"], entry["size"])
    except NotFound:
        return False


def verify_target(raw, manifest: dict, files=None) -> None:
    """Read every imported table back: the same count and checksum as the manifest, and every file.

    :raise ImportRefused: naming the first table or file that differs.
    """
    shapes = {shape.base_name: shape for shape in raw.shapes()}
    for table in manifest["tables"]:
        lines = sorted(canonical(item) for item in raw.items(shapes[table["name"]].name))
        if len(lines) != table["count"] or _digest(lines) != table["sha256"]:
            raise ImportRefused(f"table {table['name']} differs from the export after the import")
    for entry in manifest.get("files") or ():
        if not _same_file(files, entry):
            raise ImportRefused(f"file {entry['key']} differs from the export after the import")


def remove_export(folder: Path) -> None:
    """Delete an export folder (it holds personal data: keep it no longer than the move needs)."""
    shutil.rmtree(folder, ignore_errors=True)
