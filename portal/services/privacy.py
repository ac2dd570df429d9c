"""A contact's personal-data rights (GDPR art. 15, 17 and 20; Québec Law 25): their archive, and their erasure.

Erasure removes the profile, API tokens and login records, and pseudonymises the company's requests: the
contact's id becomes a random `former-contact-…` id (nothing links it back), their name becomes "former
contact", their address and phone numbers "[erased]", in every text of every request of the company. The
requests keep their technical content and whole history. Files the contact sent are deleted unless the company
keeps them (the admin says so when erasing). The audit trail records the erasure with the pseudonym only.

What else could hold the contact: problem records quoting them (rewritten the same way; one not linked to the
company's requests loses only the full name, address, phones and id, never a lone first name that may be
someone else's); the e-mail channel's markers (the answers sent to their address are deleted, a Message-ID
marker naming them is renamed); the laptop's outbox of sent mail (messages naming them deleted; SES keeps no
copy). The e-mail channel deletes each received message once handled (portal/services/ses_inbound.py), and the
knowledge base's search index holds the vendor's articles only: neither keeps anything to erase.
"""

from __future__ import annotations

import io
import json
import re
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from portal.domain.errors import NotFound
from portal.domain.uploads import company_of, safe_file_name

FORMER_CONTACT = "former contact"
ERASED = "[erased]"
PRIVATE_PROFILE_FIELDS = ("password_hash", "password_nonce", "pk", "sk")
PRIVATE_TOKEN_FIELDS = ("secret_hash",)


@dataclass(frozen=True)
class ErasureReport:
    pseudonym: str
    requests: int
    items_rewritten: int
    files_deleted: int
    files_kept: int
    tokens_deleted: int
    problems_rewritten: int = 0
    markers: int = 0
    mails_deleted: int = 0

    def as_json(self) -> dict:
        return dict(self.__dict__)


def phone_facts(charter) -> frozenset[str]:
    """The ids of the charter's facts that hold a phone number."""
    return frozenset(fact.id for fact in charter.facts if fact.kind == "phone")


def _digits_pattern(phone: str) -> str | None:
    """A phone number however it is written: its last nine digits, with any separators, after an optional
    country code or trunk zero (`+33 6 12…`, `06 12…`, `0612…`)."""
    digits = re.sub(r"\D", "", phone)[-9:]
    if len(digits) < 6:
        return None
    return r"(?<!\d)(?:\+\d{1,3}[\s.-]{0,3}|0)?" + r"[\s./()-]{0,3}".join(digits) + r"(?!\d)"


def scrubber(contact_id: str, pseudonym: str, email: str, name: str, phones=(), name_parts: bool = True
             ) -> Callable[[str], str]:
    """The rewrite of one text: the contact's id, address, name and phone numbers replaced, the rest kept (with
    `name_parts`, each capitalised part of the name on its own too)."""
    patterns: list[tuple[re.Pattern, str]] = [
        (re.compile(rf"(?<![\w-]){re.escape(contact_id)}(?![\w-])"), pseudonym),
        (re.compile(re.escape(email.strip()), re.IGNORECASE), ERASED),
    ]
    for phone in phones:
        digits = _digits_pattern(phone)
        if digits:
            patterns.append((re.compile(digits), ERASED))
        if phone.strip():
            patterns.append((re.compile(re.escape(phone.strip())), ERASED))
    if name.strip():
        patterns.append((re.compile(rf"\b{re.escape(name.strip())}\b", re.IGNORECASE), FORMER_CONTACT))
        for part in name.split() if name_parts else ():
            if len(part) >= 3 and part[:1].isupper():
                patterns.append((re.compile(rf"\b{re.escape(part)}\b"), FORMER_CONTACT))

    def scrub(text: str) -> str:
        for pattern, replacement in patterns:
            text = pattern.sub(replacement, text)
        return text

    return scrub


def _file_records(event: dict) -> list[dict]:
    raw = (event.get("data") or {}).get("files") or ""
    try:
        return [entry for entry in json.loads(raw) if isinstance(entry, dict) and entry.get("key")]
    except (ValueError, TypeError):
        return []


def files_sent_by(collections: list[list[dict]], contact_id: str) -> list[str]:
    """The keys of the files the contact's own events brought."""
    return list(dict.fromkeys(entry["key"] for items in collections for item in items
                              if item.get("item_type") == "event" and item.get("actor") == contact_id
                              for entry in _file_records(item)))


def _accepted_record(key: str) -> str | None:
    parts = key.split("/")
    return f"accepted/{parts[1]}/{parts[2]}.json" if len(parts) >= 4 and parts[0] == "uploads" else None


def _delete_file(files, key: str) -> None:
    files.delete(key)
    record = _accepted_record(key)
    if record:
        files.delete(record)


def _file_renamer(files, scrub, renamed: list[str], delete_theirs: bool):
    """The key a file record keeps in an erasure: an uploaded file whose name names the contact is copied under
    the scrubbed name (the old one is deleted once the records name the new one); a file of theirs about to be
    deleted, or one already gone, keeps its key."""

    def file_key(key: str, theirs: bool) -> str:
        folder, _, name = key.rpartition("/")
        if company_of(key) is None or scrub(name) == name or (theirs and delete_theirs):
            return key
        new = f"{folder}/{safe_file_name(scrub(name))}"
        if files.head(new) is None:
            try:
                with files.open(key) as stream:
                    files.put(new, stream)
            except NotFound:
                return key
        if key not in renamed:
            renamed.append(key)
        return new

    return file_key


def _phones_in(collections: list[list[dict]], fact_ids: frozenset[str]) -> set[str]:
    return {str(value) for items in collections for item in items if item.get("item_type") == "ticket"
            for fact, value in (item.get("facts") or {}).items() if fact in fact_ids and value}


def login_throttle_keys(email: str) -> tuple[str, ...]:
    """The login-failure records an address may have: the customers' login and the staff console's."""
    from portal.services.auth import throttle_keys
    from portal.services.staff_auth import staff_throttle_keys

    return (throttle_keys(email, "")[0], staff_throttle_keys(email, "")[0]) if email.strip() else ()


def _erase_mail_markers(personal, company_id: str, email: str, message_ids, scrub) -> int:
    """The e-mail channel's markers: the answers sent to the address go, Message-ID markers naming it are renamed."""
    from portal.services.mail_intake import ANSWERED_SCOPE, sender_marker

    markers = personal.rename_markers(company_id, message_ids, scrub)
    return markers + (personal.delete_markers(ANSWERED_SCOPE, sender_marker(email)) if email.strip() else 0)


def erase_contact(personal, files, charter, company_id: str, contact_id: str, *, keep_files: bool,
                  throttle_key: str = "", audit=None, actor: str = "", now: datetime | None = None,
                  sent_mail=None) -> ErasureReport:
    """Erase a contact on request (GDPR art. 17, Law 25): profile gone, requests and problem records
    pseudonymised, their files deleted unless the company keeps them, the e-mail channel's markers, the mails to
    them waiting to be sent again and the mail kept by `sent_mail` (the laptop's outbox) that name them gone;
    recorded in the audit trail without the erased data.

    :raise NotFound: when the company has no such contact (erased already, or never there).
    """
    contact = personal.contact(company_id, contact_id)
    if contact is None:
        raise NotFound(contact_id)
    email, name = contact.get("email") or "", contact.get("name") or ""
    collections = personal.requests_of(company_id, contact_id)
    keys = files_sent_by(collections, contact_id)
    pseudonym = f"former-contact-{secrets.token_hex(8)}"
    phones = sorted(_phones_in(collections, phone_facts(charter)))
    scrub = scrubber(contact_id, pseudonym, email, name, phones)
    if not keep_files:
        for key in keys:
            _delete_file(files, key)
    renamed: list[str] = []
    count = personal.scrub_company_requests(company_id, scrub, sent_by=contact_id, file_key=_file_renamer(
        files, scrub, renamed, delete_theirs=not keep_files))
    for old in renamed:  # the new key holds the object and the records name it: the old name goes
        _delete_file(files, old)
    if not keep_files:  # what they sent on colleagues' requests too
        for key in count.file_keys:
            if key not in keys:
                _delete_file(files, key)
    keys = list(dict.fromkeys((*keys, *count.file_keys)))
    deleted = 0 if keep_files else len(keys)
    numbers, strict = set(count.numbers), scrubber(contact_id, pseudonym, email, name, phones, name_parts=False)
    problems = personal.scrub_problem_records(
        lambda record: scrub if numbers & set(record.get("tickets") or ()) else strict)
    markers = _erase_mail_markers(personal, company_id, email, count.message_ids, scrub)
    throttles = tuple(dict.fromkeys((*login_throttle_keys(email), *([throttle_key] if throttle_key else []))))
    tokens = personal.delete_contact(company_id, contact_id, throttles)
    named = [email, name if len(name.strip()) >= 5 else ""]
    mails = personal.delete_mails_naming(named)  # the mails waiting to be sent again, whatever the mailer
    mails += sent_mail.forget(named) if sent_mail is not None else 0
    report = ErasureReport(pseudonym, count.requests, count.items_rewritten, deleted,
                           len(keys) if keep_files else 0, tokens, problems, markers, mails)
    if audit is not None:
        audit.record(actor, "contact_erased", pseudonym, now, company_id=company_id,
                     details={key: str(value) for key, value in report.as_json().items() if key != "pseudonym"})
    return report


def contact_archive(personal, files, company_id: str, contact_id: str, now: datetime) -> bytes:
    """Everything the portal holds about a contact, as one zip of JSON and files (GDPR art. 15 and 20, Law 25):
    profile, requests they filed with their public history, the files on them, survey answers, API tokens, and
    the mails to them that wait to be sent again after a refusal of the mail service.

    :raise NotFound: when the company has no such contact.
    """
    contact = personal.contact(company_id, contact_id)
    if contact is None:
        raise NotFound(contact_id)
    profile = {key: value for key, value in contact.items() if key not in PRIVATE_PROFILE_FIELDS}
    collections = personal.requests_of(company_id, contact_id)
    tokens = [{key: value for key, value in token.items() if key not in PRIVATE_TOKEN_FIELDS}
              for token in personal.tokens_of(contact_id)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        def put_json(name: str, value) -> None:
            archive.writestr(name, json.dumps(value, indent=2, ensure_ascii=False, default=str))

        put_json("profile.json", profile)
        surveys = []
        for items in collections:
            ticket = next((item for item in items if item.get("item_type") == "ticket"), None)
            if ticket is None:
                continue
            number = ticket["number"]
            events = [_public_event(item) for item in items if item.get("item_type") == "event" and item.get("public")]
            surveys += [{"request": number, **event} for event in events if event["kind"] == "survey_answered"]
            put_json(f"requests/{number}.json", {"request": _public_ticket(ticket), "history": events})
            for item in items:
                if item.get("item_type") == "event" and item.get("public"):
                    for entry in _file_records(item):
                        _add_file(archive, files, f"files/{number}/", entry)
        put_json("survey_answers.json", surveys)
        put_json("api_tokens.json", tokens)
        put_json("mails_waiting.json", [{key: mail.get(key) for key in WAITING_MAIL_FIELDS}
                                        for mail in personal.mails_waiting_for(contact.get("email") or "")])
        put_json("consents.json", [])
        put_json("about.json", {"created_at": now.isoformat(), "contact_id": contact_id, "company_id": company_id,
                                "contents": ["profile.json", "requests/<number>.json", "files/<number>/<name>",
                                             "survey_answers.json", "api_tokens.json", "mails_waiting.json",
                                             "consents.json"],
                                "consents": "the portal records no consent beyond the contract of the company"})
    return buffer.getvalue()


WAITING_MAIL_FIELDS = ("to", "subject", "text", "kept_at", "next_try")
TICKET_FIELDS = ("number", "subject", "status", "category", "severity", "tier", "channel", "product_id", "version",
                 "created_at", "status_since", "answered_at", "response_due", "facts")


def _public_ticket(item: dict) -> dict:
    return {key: item.get(key) for key in TICKET_FIELDS if item.get(key) is not None}


def _public_event(item: dict) -> dict:
    return {"kind": item.get("kind"), "at": item.get("at"), "actor": item.get("actor"),
            "data": item.get("data") or {}}


def _add_file(archive: zipfile.ZipFile, files, folder: str, entry: dict) -> None:
    name = str(entry.get("name") or entry["key"].rsplit("/", 1)[-1]).replace("/", "_")
    try:
        with files.open(entry["key"]) as stream:
            archive.writestr(folder + name, stream.read())
    except NotFound:
        archive.writestr(folder + name + ".missing.txt", "This file is no longer kept.")
