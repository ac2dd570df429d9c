"""An e-mail sent to the portal, as a value: parsed, told automatic or not, its request number found, its
quoted earlier replies folded away and its HTML reduced to text (issue 10, rules P5, P9).

Pure rules on bytes and text; the standard library only (`email`, `html.parser`).
"""

from __future__ import annotations

import email.parser
import email.policy
import email.utils
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from html.parser import HTMLParser

MEGABYTE = 1024 * 1024
MAX_MESSAGE_BYTES = 40 * MEGABYTE  # what SES accepts for a message kept in S3
MAX_ATTACHMENTS = 20
MAX_HEADER_BYTES = 256 * 1024  # far above any real message's headers; parsing more would outlast the function
MAX_TEXT = 20_000
TICKET_NUMBER = re.compile(r"(?<![\d-])(\d{4}-\d{6})(?![\d-])")
THREAD_ID = re.compile(r"^<?ticket\.(\d{4}-\d{6})\.[0-9a-f]+@", re.IGNORECASE)
MESSAGE_ID = re.compile(r"<[^<>\s]+>")


class RejectedMessage(Exception):
    """A message the portal cannot read: `reason` is logged (`too_large`, `malformed`, `no_sender`)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}{': ' + detail if detail else ''}")
        self.reason = reason


@dataclass(frozen=True)
class MailAttachment:
    name: str
    content_type: str
    data: bytes
    inline: bool = False  # shown inside the message (a pasted screenshot, a signature's logo), not attached


@dataclass(frozen=True)
class InboundMessage:
    """What the portal reads in a message; addresses are lower-case."""

    message_id: str
    sender: str
    sender_name: str
    return_path: str | None  # None: no Return-Path header; "": the empty path of a bounce
    recipients: tuple[str, ...]
    subject: str
    text: str  # the new text of the message, quoted earlier replies folded away
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    language: str | None = None  # the Content-Language the sender's client declared
    attachments: tuple[MailAttachment, ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)  # the headers that tell an automatic message
    html_only: bool = False
    dropped_attachments: int = 0  # past MAX_ATTACHMENTS


AUTOMATIC_HEADERS = ("auto-submitted", "precedence", "x-autoreply", "x-autorespond", "x-failed-recipients",
                     "content-type")
AUTOMATIC_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)@", re.IGNORECASE)


# --- parsing ---------------------------------------------------------------------------------------------

def parse_message(raw: bytes, envelope_recipients: Iterable[str] = (),
                  max_bytes: int = MAX_MESSAGE_BYTES) -> InboundMessage:
    """Read a raw RFC 5322 message; the envelope's recipients (SES, SMTP) come first among the recipients.

    :raise RejectedMessage: when it is over `max_bytes`, its headers over MAX_HEADER_BYTES, not a message (any
        MIME the email package cannot read), or has no sender address.
    """
    if len(raw) > max_bytes:
        raise RejectedMessage("too_large", f"{len(raw)} bytes over {max_bytes}")
    if not raw.strip() or b":" not in raw.split(b"\n", 1)[0]:
        raise RejectedMessage("malformed", "no header")
    if _header_bytes(raw) > MAX_HEADER_BYTES:  # the parser's time grows with the square of a header's length
        raise RejectedMessage("headers_too_large", f"headers over {MAX_HEADER_BYTES} bytes")
    try:
        return _read(raw, envelope_recipients)
    except RejectedMessage:
        raise
    except Exception as error:  # noqa: BLE001 - the email package raises assorted errors on hostile MIME
        raise RejectedMessage("malformed", type(error).__name__) from None


def _header_bytes(raw: bytes) -> int:
    """How long the header block is: up to the first empty line (all of it when there is none)."""
    ends = [index for index in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if index >= 0]
    return min(ends) if ends else len(raw)


def _read(raw: bytes, envelope_recipients: Iterable[str]) -> InboundMessage:
    message = email.parser.BytesParser(policy=email.policy.default).parsebytes(raw)
    sender_name, sender = email.utils.parseaddr(_header(message, "From"))
    if "@" not in sender:
        raise RejectedMessage("no_sender")
    text, html_only = _body_text(message)
    attachments = list(_attachments(message))
    return InboundMessage(
        message_id=_message_id(message, raw),
        sender=sender.lower(),
        sender_name=sender_name,
        return_path=_return_path(message),
        recipients=_recipients(message, envelope_recipients),
        subject=" ".join(_header(message, "Subject").split())[:500],
        text=fold_quotes(text)[:MAX_TEXT],
        in_reply_to=tuple(MESSAGE_ID.findall(_header(message, "In-Reply-To"))),
        references=tuple(MESSAGE_ID.findall(_header(message, "References"))),
        language=_declared_language(message),
        attachments=tuple(attachments[:MAX_ATTACHMENTS]),
        headers={name: _header(message, name) for name in AUTOMATIC_HEADERS if message.get(name) is not None},
        html_only=html_only,
        dropped_attachments=max(0, len(attachments) - MAX_ATTACHMENTS),
    )


def _header(message: EmailMessage, name: str) -> str:
    """A header as text; one whose encoded words cannot be decoded is read as it came."""
    try:
        value = message.get(name)
    except (ValueError, TypeError, IndexError, LookupError):
        value = None
    if value is None:
        return ""
    try:
        return str(value)
    except (ValueError, LookupError):
        return str(getattr(value, "_value", ""))


def _message_id(message: EmailMessage, raw: bytes) -> str:
    """The Message-ID, or one made of the message's bytes (the same message gets the same one)."""
    found = MESSAGE_ID.findall(_header(message, "Message-ID"))
    if found:
        return found[0][:250]
    return f"<sha256.{hashlib.sha256(raw).hexdigest()}@portal.invalid>"


def _return_path(message: EmailMessage) -> str | None:
    if message.get("Return-Path") is None:
        return None
    return email.utils.parseaddr(_header(message, "Return-Path"))[1].lower()


def _recipients(message: EmailMessage, envelope: Iterable[str]) -> tuple[str, ...]:
    listed = [address for address in envelope]
    for name in ("Delivered-To", "X-Original-To", "To", "Cc"):
        listed += [address for _name, address in email.utils.getaddresses([_header(message, name)])]
    return tuple(dict.fromkeys(address.strip().lower() for address in listed if "@" in address))


def _declared_language(message: EmailMessage) -> str | None:
    value = _header(message, "Content-Language") or _header(message, "Accept-Language")
    first = value.split(",")[0].strip().lower()
    return first.split("-")[0].split(";")[0] or None


def _decoded(part: EmailMessage) -> str:
    """A text part's content; an unknown or wrong charset is read as Latin-1 rather than refused."""
    try:
        content = part.get_content()
        return content if isinstance(content, str) else content.decode("utf-8", "replace")
    except (LookupError, UnicodeError, AssertionError, ValueError):
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or "utf-8"
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeError):
            return payload.decode("latin-1")


def _body_text(message: EmailMessage) -> tuple[str, bool]:
    """The plain-text body, else the HTML body reduced to text; and whether the message had HTML only."""
    plain = message.get_body(preferencelist=("plain",))
    if plain is not None and _decoded(plain).strip():
        return normalise_text(_decoded(plain)), False
    html = message.get_body(preferencelist=("html",))
    if html is not None:
        return html_to_text(_decoded(html)), True
    return "", False


def _attachments(message: EmailMessage) -> Iterable[MailAttachment]:
    """Every part that is a file: named parts and any non-text content, never the body itself."""
    bodies = {id(message.get_body(preferencelist=(kind,))) for kind in ("plain", "html")}
    for index, part in enumerate(message.walk()):
        if part.is_multipart() or id(part) in bodies:
            continue
        name = part.get_filename()
        content_type = part.get_content_type()
        if not name and (content_type.startswith("text/") or content_type.startswith("message/")):
            continue
        data = part.get_payload(decode=True) or b""
        inline = part.get_content_disposition() != "attachment" and part.get("Content-ID") is not None
        yield MailAttachment(name or f"attachment-{index}.{content_type.rsplit('/', 1)[-1]}", content_type, data,
                             inline)


# --- automatic messages -------------------------------------------------------------------------------------

def automatic_reason(message: InboundMessage) -> str | None:
    """Why a message is an auto-reply or a bounce (RFC 3834, RFC 3464), or None for one a person wrote.

    Such a message never opens a request nor adds to one, and is never answered: no mail loop.
    """
    headers = {name: value.strip().lower() for name, value in message.headers.items()}
    if headers.get("auto-submitted", "no") not in ("", "no"):
        return "auto_submitted"
    if headers.get("precedence") in ("bulk", "junk", "list", "auto_reply"):
        return "precedence"
    if any(name in headers for name in ("x-autoreply", "x-autorespond", "x-failed-recipients")):
        return "auto_reply_header"
    if message.return_path == "":
        return "empty_return_path"
    if headers.get("content-type", "").startswith("multipart/report"):
        return "delivery_report"
    if AUTOMATIC_SENDERS.match(message.sender):
        return "automatic_sender"
    return None


# --- threads -------------------------------------------------------------------------------------------------

def thread_message_id(number: str, token: str, domain: str) -> str:
    """The Message-ID of a mail the portal sends about a request: a reply's In-Reply-To leads back to it."""
    return f"<ticket.{number}.{token}@{domain}>"


def referenced_ticket(message: InboundMessage) -> str | None:
    """Rule P9: the request a message answers: one of our Message-IDs in In-Reply-To or References (the
    latest first), else a request number in the subject."""
    for message_id in (*message.in_reply_to, *reversed(message.references)):
        found = THREAD_ID.match(message_id)
        if found:
            return found.group(1)
    found = TICKET_NUMBER.search(message.subject)
    return found.group(1) if found else None


# --- text ----------------------------------------------------------------------------------------------------

ATTRIBUTION = re.compile(
    r"^\s*(On\s.+\swrote:|Le\s.+\sa\s+écrit\s*:|Op\s.+\sschreef\s.*:|Am\s.+\sschrieb\s.*:"
    r"|-{2,}\s*(Original Message|Message d'origine|Oorspronkelijk bericht|Message original)\s*-{2,}"
    r"|_{20,})\s*$", re.IGNORECASE)
OUTLOOK_HEADER = re.compile(r"^\s*\**(From|De|Van|Von)\s*\**\s*:\s*.+$", re.IGNORECASE)
OUTLOOK_NEXT = re.compile(r"^\s*\**(Sent|Date|Envoyé|Verzonden|Gesendet|To|À|Aan|An)\s*\**\s*:", re.IGNORECASE)


def fold_quotes(text: str) -> str:
    """The new text of a reply: quoted lines ("> ...") and everything from an earlier message's attribution
    ("On ... wrote:", "Le ... a écrit :", "Op ... schreef ...:", an Outlook From:/Sent: block) are folded away."""
    lines = text.split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if ATTRIBUTION.match(line) or _joined_attribution(lines, index):
            break
        if OUTLOOK_HEADER.match(line) and index + 1 < len(lines) and OUTLOOK_NEXT.match(lines[index + 1]):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return normalise_text("\n".join(kept))


def _joined_attribution(lines: list[str], index: int) -> bool:
    """Clients wrap a long "On ... wrote:" over two lines."""
    if index + 1 >= len(lines) or not re.match(r"^\s*(On|Le|Op|Am)\s", lines[index], re.IGNORECASE):
        return False
    return bool(ATTRIBUTION.match(f"{lines[index].rstrip()} {lines[index + 1].strip()}"))


def normalise_text(text: str) -> str:
    """Line ends made \\n, trailing spaces and runs of blank lines removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre",
              "blockquote", "hr", "section", "article", "header", "footer"}
    SKIPPED = {"script", "style", "head", "title", "template", "noscript", "svg", "object", "iframe"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.quoting = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag == "blockquote" or (tag == "div" and "gmail_quote" in (dict(attrs).get("class") or "")):
            self.quoting += 1
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "blockquote":
            self.quoting = max(0, self.quoting - 1)
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_data(self, data):
        if self.skipping:
            return
        data = re.sub(r"[ \t\r\n\f]+", " ", data)
        if self.quoting:
            data = data.strip()
            if data:
                self.parts.append(f"\n> {data}\n")
            return
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """HTML mail reduced to safe plain text: no tags, scripts, styles or hidden markup survive; block
    elements become line breaks; blockquotes become "> " lines, so that quoted replies fold away."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    text = "".join(extractor.parts)
    return normalise_text("\n".join(line.strip() for line in text.split("\n")))


# --- language ------------------------------------------------------------------------------------------------

LANGUAGE_WORDS = {
    "fr": {"le", "la", "les", "des", "est", "une", "je", "nous", "vous", "pas", "avec", "pour", "bonjour", "merci",
           "et", "du", "sur", "dans", "ne"},
    "nl": {"de", "het", "een", "is", "ik", "wij", "we", "u", "niet", "met", "voor", "goedendag", "bedankt", "dank",
           "en", "van", "op", "bij", "graag"},
    "en": {"the", "a", "is", "are", "i", "we", "you", "not", "with", "for", "hello", "thanks", "and", "of", "on",
           "in", "please"},
}


def guess_language(message: InboundMessage, languages: Iterable[str], default: str) -> str:
    """The sender's language: the declared Content-Language when it is one of `languages`, else the one whose
    common words the subject and text use most, else `default`."""
    languages = tuple(languages)
    if message.language in languages:
        return message.language
    words = re.findall(r"[a-zà-ÿ]+", f"{message.subject} {message.text}".lower())[:400]
    scores = {language: sum(word in LANGUAGE_WORDS.get(language, ()) for word in words) for language in languages}
    best = max(scores, key=lambda language: scores[language], default=None)
    return best if best and scores[best] >= 2 else default
