"""Attachments (intake issue, point 4): a contact starts an upload, the browser sends the bytes (straight to S3
in production, to the portal on a laptop), then the portal accepts the file by its content or deletes it.

Keys always hold the contact's company (`uploads/<company>/<upload id>/<safe name>`): a contact never reaches
another company's upload, and is told it does not exist.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import BinaryIO

from babel.numbers import format_decimal

from portal.domain.errors import NotFound
from portal.domain.uploads import (
    MEGABYTE,
    SNIFF_BYTES,
    UploadRefusal,
    check_archive,
    check_upload,
    company_of,
    upload_key,
    upload_prefix,
)
from portal.i18n import mark, translate

UPLOAD_WINDOW = timedelta(minutes=15)
SPOOL_IN_MEMORY_BYTES = 8 * MEGABYTE
ZIP_CONTAINERS = {"zip"}  # archives whose content the portal reads (zipfile); others are checked by kind only

MESSAGES = {
    "empty": mark("%(name)s is empty: choose the file again."),
    "too_large": mark("%(name)s is %(size)s MB, over the limit of %(limit)s MB. Please compress it (zip or 7z) "
                      "or split it, then send it again."),
    "type_not_allowed": mark("%(name)s is not a type of file we accept. Accepted types: %(allowed)s."),
    "executable": mark("%(name)s is a program or a script: programs are never accepted. Send a screenshot, "
                       "a log or the program's name and version instead."),
    "mismatch": mark("The content of %(name)s is not a .%(extension)s file. Save it in its real format and "
                     "send it again."),
    "archive_too_large": mark("This archive expands to far more than its own size (%(size)s MB unpacked): it "
                              "cannot be accepted. Send smaller archives."),
    "archive_too_many_files": mark("This archive holds %(count)s files, more than %(limit)s. Send fewer files "
                                   "per archive."),
    "archive_too_deep": mark("This archive holds archives inside archives, more than %(limit)s levels deep. "
                             "Unpack the inner archives and send them separately."),
    "archive_damaged": mark("This archive cannot be read: it may be damaged or protected by a password. "
                            "Create it again and send it."),
}


@dataclass(frozen=True)
class StartedUpload:
    """An upload the browser may now send: where to (form), under which key, until when."""

    upload_id: str
    key: str
    name: str
    form: object  # portal.adapters.files.UploadForm
    max_bytes: int
    expires_at: datetime


@dataclass(frozen=True)
class Attachment:
    """A file accepted by its content: safe name, size, kind and SHA-256."""

    upload_id: str
    key: str
    name: str
    size: int
    kind: str
    sha256: str


def refusal_message(refusal: UploadRefusal, language: str) -> str:
    """The customer-facing sentence for an upload refusal, in `language` (sizes and counts written as its readers
    write numbers: "26,0" in French and Dutch)."""
    params = {key: _number(value, language) if key in NUMBERS else value for key, value in refusal.params.items()}
    return translate(language, MESSAGES[refusal.code], **params)


NUMBERS = ("size", "limit", "count")


def _number(value, language: str) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return format_decimal(number, "#,##0.0" if isinstance(value, str) and "." in value else "#,##0", locale=language)


def max_bytes(policy) -> int:
    """The charter's size limit in bytes (a megabyte is 1024 × 1024 bytes)."""
    return policy.max_megabytes * MEGABYTE


def _prefix(contact, upload_id: str) -> str:
    try:
        return upload_prefix(contact.company_id, upload_id)
    except ValueError:
        raise NotFound(upload_id) from None


def _accepted_key(contact, upload_id: str) -> str:
    return "accepted/" + _prefix(contact, upload_id).removeprefix("uploads/").rstrip("/") + ".json"


def start_upload(files, contact, name: str, size: int, policy, now: datetime) -> StartedUpload | UploadRefusal:
    """Intake rule 4, before any byte is sent: the name's type and the declared size pass the charter, then
    the browser gets a form for one key of the contact's company, valid 15 minutes."""
    verdict = check_upload(name, size, None, policy)
    if isinstance(verdict, UploadRefusal):
        return verdict
    upload_id = secrets.token_urlsafe(18)
    key = upload_key(contact.company_id, upload_id, verdict.name)
    form = files.upload_form(key, max_bytes(policy))
    return StartedUpload(upload_id, key, verdict.name, form, max_bytes(policy), now + UPLOAD_WINDOW)


def receive_upload(files, contact, upload_id: str, name: str, stream: BinaryIO, policy) -> str | UploadRefusal:
    """The laptop's upload: the bytes go under the upload's key (replacing an earlier try); a file over the
    limit or empty is deleted at once. Returns the key.

    :raise NotFound: when the upload id could not be one.
    """
    prefix = _prefix(contact, upload_id)
    verdict = check_upload(name, 1, None, policy)
    if isinstance(verdict, UploadRefusal):
        return verdict
    for earlier in files.keys_under(prefix):
        files.delete(earlier)
    key = prefix + verdict.name
    size = files.put(key, stream)
    refusal = check_upload(verdict.name, size, None, policy)
    if isinstance(refusal, UploadRefusal):
        files.delete(key)
        return refusal
    return key


def find_upload(files, contact, upload_id: str) -> str:
    """The key of the contact's company's upload with this id.

    :raise NotFound: when no such upload has arrived for the contact's company.
    """
    keys = files.keys_under(_prefix(contact, upload_id))
    if len(keys) != 1:
        raise NotFound(upload_id)
    return keys[0]


def accept_upload(files, contact, upload_id: str, policy) -> Attachment | UploadRefusal:
    """Intake rule 4, once the bytes are there: the kind is told by content, archives pass the zip-bomb limits,
    and the SHA-256 is computed; a refused file is deleted, an accepted one recorded.

    :raise NotFound: when the upload is not the contact's company's or never arrived.
    """
    key = find_upload(files, contact, upload_id)
    size = files.head(key)
    if size is None:
        raise NotFound(upload_id)
    name = key.rsplit("/", 1)[1]
    verdict = check_upload(name, size, files.read_start(key, SNIFF_BYTES), policy)
    if isinstance(verdict, UploadRefusal):
        files.delete(key)
        return verdict
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES) as copy:
        digest, copied = _copy_with_digest(files.open(key), copy, max_bytes(policy))
        refusal = check_upload(name, copied, None, policy)
        if not isinstance(refusal, UploadRefusal) and verdict.kind in ZIP_CONTAINERS:
            refusal = check_archive(copy)
    if isinstance(refusal, UploadRefusal):
        files.delete(key)
        return refusal
    attachment = Attachment(upload_id, key, name, copied, verdict.kind, digest)
    files.put(_accepted_key(contact, upload_id), json.dumps(asdict(attachment)).encode())
    return attachment


def _copy_with_digest(source: BinaryIO, target: BinaryIO, limit: int) -> tuple[str, int]:
    """Copy up to one byte past `limit`, hashing as it goes; the SHA-256 and the bytes copied."""
    digest = hashlib.sha256()
    copied = 0
    with source:
        while copied <= limit:
            chunk = source.read(min(MEGABYTE, limit + 1 - copied))
            if not chunk:
                break
            digest.update(chunk)
            target.write(chunk)
            copied += len(chunk)
    target.flush()
    return digest.hexdigest(), copied


def accepted_attachment(files, contact, upload_id: str) -> Attachment:
    """An upload the portal accepted for the contact's company (what a request may carry).

    :raise NotFound: when the upload was never accepted, or belongs to another company.
    """
    key = _accepted_key(contact, upload_id)
    try:
        with files.open(key) as stream:
            record = json.loads(stream.read())
    except (ValueError, TypeError):
        raise NotFound(upload_id) from None
    attachment = Attachment(**record)
    if company_of(attachment.key) != contact.company_id:
        raise NotFound(upload_id)
    return attachment


def discard_upload(files, contact, upload_id: str) -> None:
    """The contact removes an upload before sending the request: its file and its acceptance go."""
    for key in files.keys_under(_prefix(contact, upload_id)):
        files.delete(key)
    files.delete(_accepted_key(contact, upload_id))


def download_url(files, contact, key: str, expires: int = 300) -> str:
    """A short-lived link that saves one of the contact's company's files under its safe name.

    :raise NotFound: when the key is another company's, or names no file.
    """
    if company_of(key) != contact.company_id or files.head(key) is None:
        raise NotFound(key)
    return files.download_url(key, key.rsplit("/", 1)[1], expires)



class UnknownUploads(Exception):
    """Upload ids that name no accepted upload of the contact's company (the same answer for each reason)."""

    def __init__(self, upload_ids: list[str]):
        super().__init__(", ".join(upload_ids))
        self.upload_ids = upload_ids


def accepted_attachments(files, contact, upload_ids) -> tuple[Attachment, ...]:
    """The accepted uploads behind these ids, in order, each once: what a request or a message may carry.

    :raise UnknownUploads: an id unknown, not accepted, or another company's.
    """
    found, unknown = [], []
    for upload_id in dict.fromkeys(upload_ids):
        try:
            found.append(accepted_attachment(files, contact, upload_id))
        except NotFound:
            unknown.append(upload_id)
    if unknown:
        raise UnknownUploads(unknown)
    return tuple(found)
