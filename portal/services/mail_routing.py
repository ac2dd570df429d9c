"""Reading an e-mail against the charter (issue 10): the address it was sent to picks the product line (P5), the
text names the product, version, category (P8) and severity (E10) where it can; out-of-scope words (S3, G8, E8,
P10) and missing facts (P4, G5, E6) are pointed out. Whatever is left open goes to the technician as a note."""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.domain.inbound_mail import InboundMessage
from portal.domain.lifecycle import UnknownVersion, release_status
from portal.i18n import mark, translate
from portal.services.intake import check_facts

PROVISIONAL_SEVERITY = 3  # "minor problem" on the common scale, until the technician reads the request
URGENT_WORDS = ("urgent", "urgence", "dringend", "bloquant", "blocking", "production stopped",
                "production est arrêtée", "production arrêtée", "arrêt de production", "productie ligt stil",
                "productie staat stil", "machines stopped", "machines à l'arrêt", "machines liggen stil")
STATED_SEVERITY = re.compile(r"\b(?:severity|sévérité|severite|ernst|niveau|priority|priorité|prioriteit)"
                             r"\s*[:=]?\s*([1-4])\b", re.IGNORECASE)

NOTES = {
    "severity": mark("Severity not stated in the e-mail: provisionally %(severity)s; set it after reading."),
    "product": mark("Product to be determined: the e-mail does not say which one."),
    "version": mark("Version to be determined: the e-mail does not say which one."),
    "version_installed": mark("Version %(version)s taken from the company's installations: check it."),
    "version_unsupported": mark("Version %(version)s is no longer supported: check what may still be done "
                                "for it."),
    "category": mark("Category not stated: filed as %(category)s; change it if needed."),
    "scope": mark("May be out of scope: %(topic)s (the e-mail mentions \"%(keyword)s\")."),
    "facts": mark("Facts the charter asks for that the e-mail does not give: %(facts)s."),
    "file_refused": mark("File refused: %(reason)s"),
    "files_dropped": mark("%(count)s more attachments were left out (at most %(limit)s per message)."),
    "closed": mark("The e-mail answers request %(number)s, which is closed: this new request follows it."),
    "not_theirs": mark("The e-mail names request %(number)s, which its sender may not see: filed as a new "
                       "request."),
}


@dataclass(frozen=True)
class MailRequest:
    """What a message says, read against the charter: decided values, and notes on what was not decided."""

    product_id: str | None
    version: str | None
    category: str
    severity: int
    severity_stated: bool
    notes: tuple[tuple[str, dict], ...]  # (NOTES key, parameters) for the technician


def read_request(charter, catalog, file, message: InboundMessage, today) -> MailRequest:
    """Rules P5, P8, E10 and the scope rules (S3, G8, E8, P10) applied to a message: the support address picks the
    product line, the text names the product, version, category and severity; each one it leaves open is noted
    for the technician, and out-of-scope words are pointed out, not decided on."""
    notes: list[tuple[str, dict]] = []
    words = f"{message.subject}\n{message.text}".lower()
    product = _product(charter, catalog, file, message, words)
    version = None
    if product is None:
        notes.append(("product", {}))
    else:
        stated = [r.version for r in product.releases if _mentions(words, r.version.lower())]
        installed = sorted({i.version for i in file.installations if i.product_id == product.id})
        if len(stated) == 1:
            version = stated[0]
        elif len(installed) == 1:
            version = installed[0]
            notes.append(("version_installed", {"version": version}))
        else:
            notes.append(("version", {}))
        if version:
            try:
                if not release_status(charter.version_policy, product, version, today).supported:
                    notes.append(("version_unsupported", {"version": version}))
            except UnknownVersion:
                notes.append(("version", {}))
                version = None
    category = _category(charter, message.subject.lower())
    if category is None:
        category = charter.categories[0].id
        notes.append(("category", {"category": charter.category(category).label}))
    severity = _severity(charter, words)
    if severity is None:
        notes.append(("severity", {"severity": PROVISIONAL_SEVERITY}))
    for topic in charter.out_of_scope:
        keyword = next((k for keywords in topic.keywords.values() for k in keywords if _mentions(words, k.lower())),
                       None)
        if keyword:
            notes.append(("scope", {"topic": topic.label, "keyword": keyword}))
    missing = check_facts(charter, category, {"description": message.text}, version or "")
    if missing:
        labels = [fact.label for fact in charter.facts_for(category) if fact.id in missing]
        notes.append(("facts", {"facts": labels}))
    return MailRequest(product.id if product else None, version, category, severity or PROVISIONAL_SEVERITY,
                       severity is not None, tuple(notes))


def _mentions(words: str, phrase: str) -> bool:
    return bool(phrase) and re.search(rf"(?<![\w.-]){re.escape(phrase)}(?![\w-]|\.\w)", words) is not None


def product_line(charter, recipients) -> str | None:
    """Rule P5: the product line whose support address the message was sent to (None: the general address)."""
    lines = {address.lower(): line for line, address in (charter.vendor.line_emails.items() if charter.vendor
                                                          else ())}
    return next((lines[address] for address in recipients if address in lines), None)


def _product(charter, catalog, file, message: InboundMessage, words: str):
    line = product_line(charter, message.recipients)
    candidates = [p for p in catalog.products if line is None or p.line == line]
    named = [p for p in candidates if _mentions(words, p.name.lower()) or _mentions(words, p.id)]
    installed = {i.product_id for i in file.installations}
    for choice in (named, [p for p in candidates if p.id in installed], candidates if line else []):
        if len(choice) == 1:
            return choice[0]
    return None


def _category(charter, subject: str) -> str | None:
    found = [category.id for category in charter.categories
             if any(_mentions(subject, text.lower()) for text in (category.id, *category.label.values()))]
    return found[0] if len(found) == 1 else None


def _severity(charter, words: str) -> int | None:
    stated = STATED_SEVERITY.search(words)
    if stated:
        return int(stated.group(1))
    for severity in sorted(charter.severities, key=lambda s: s.level):
        if any(_mentions(words, label.lower()) for label in severity.label.values()):
            return severity.level
    return 1 if any(_mentions(words, word) for word in URGENT_WORDS) else None


def note_text(notes, language: str) -> str:
    """The internal note for the technician, in the staff's language (the charter's)."""
    def word(value):
        if isinstance(value, list):
            return ", ".join(word(item) for item in value)
        return value.get(language) if hasattr(value, "get") and not isinstance(value, str) else value

    return "\n".join(translate(language, NOTES[key], **{name: word(value) for name, value in params.items()})
                     for key, params in notes)
