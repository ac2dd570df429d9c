"""The e-mail channel (issue 10): a message sent to a support address becomes a request, or is added to the one
it answers, under the rules of the web form (E4, E5, P2, P5, P9, S13); what it leaves undecided goes to the
technician in an internal note, never guessed silently.

Production hands each message over from S3 (functions/inbound_mail.py); a laptop from its SMTP server
(portal/local/smtp.py) or `portal mail ingest FILE.eml`. All three call `receive_mail`.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime

from portal.domain.charter import TEXT_LANGUAGES
from portal.domain.eligibility import Refusal, designated_contacts_ready, tier_in_force
from portal.domain.errors import ConcurrentUpdate, DuplicateSubmission, NotFound
from portal.domain.history import EventKind, TicketEvent
from portal.domain.inbound_mail import (
    MAX_ATTACHMENTS,
    InboundMessage,
    RejectedMessage,
    automatic_reason,
    guess_language,
    parse_message,
    referenced_ticket,
)
from portal.domain.mail import OutgoingMail
from portal.domain.queue import queue_key
from portal.domain.sla import response_due
from portal.domain.ticket_files import encode_files
from portal.domain.tickets import Ticket, queue_sort_key
from portal.domain.uploads import UploadRefusal
from portal.domain.workflow import AWAITING_FILES, CLOSED, NEW, next_state
from portal.i18n import mark, translate
from portal.services import attachments as attachment_service
from portal.services.followup import load_request
from portal.services.intake import MAX_DESCRIPTION, MAX_SUBJECT, Acknowledgement
from portal.services.mail_routing import NOTES, MailRequest, note_text, read_request
from portal.services.notifications import acknowledgement_mail, send_quietly
from portal.services.refusals import refusal_message

log = logging.getLogger("portal.mail_intake")

CHANNEL = "email"
ACTOR = "mail-intake"
ANSWERED_SCOPE = "mail-answered"  # markers of messages answered without a request
SET_ASIDE_VERDICTS = {"spam": ("FAIL",), "virus": ("FAIL", "PROCESSING_FAILED"), "spf": ("FAIL",),
                      "dkim": ("FAIL",)}
REPLIES = {
    "unknown_sender": mark("We could not register your message: the address %(address)s is not known to our "
                           "support."),
    "unknown_sender_help": mark("If your company has a support contract, ask its system owner to add you as a "
                                "contact. If you bought our products through a reseller, please contact your "
                                "reseller: they are your first point of contact."),
    "email_not_in_tier": mark("Your level of service (%(tier)s) does not include support by e-mail."),
    "no_contract_in_force": mark("No contract in force covers your company: support is reserved for customers "
                                 "under contract."),
}


@dataclass(frozen=True)
class MailDesk:
    """What the e-mail channel works with: the charter and its calendar, the repositories, the file store, the
    mailer, and the portal's public address for the links it sends."""

    charter: object
    calendar: object
    accounts: object
    catalog: object
    tickets: object
    files: object
    mailer: object
    portal_url: str = ""


def desk_of(portal, portal_url: str = "") -> MailDesk:
    """The desk of a running portal (its PortalContext)."""
    storage = portal.storage
    return MailDesk(portal.charter, portal.calendar, storage.accounts, storage.catalog, storage.tickets,
                    portal.files, portal.mailer, portal_url.rstrip("/"))


@dataclass(frozen=True)
class Verdicts:
    """What SES found when it received the message (PASS, FAIL, GRAY, PROCESSING_FAILED, DISABLED)."""

    spam: str = "PASS"
    virus: str = "PASS"
    spf: str = "PASS"
    dkim: str = "PASS"

    def failed(self) -> tuple[str, ...]:
        """The verdicts that set a message aside: spam, a virus, SPF or DKIM failed."""
        return tuple(name for name, bad in SET_ASIDE_VERDICTS.items() if getattr(self, name).upper() in bad)


@dataclass(frozen=True)
class MailOutcome:
    """What became of a message: opened | added | duplicate | answered | ignored | set_aside | rejected. A reply
    that brings nothing but refused files is answered (files_refused): the customer learns why, staff get a note."""

    action: str
    reason: str = ""
    number: str | None = None
    message_id: str = ""
    notes: tuple[str, ...] = field(default=())


def receive_mail(desk: MailDesk, raw: bytes, now: datetime, envelope_recipients=(),
                 verdicts: Verdicts | None = None) -> MailOutcome:
    """One message, start to end: set aside on SES's verdicts, rejected when unreadable, ignored when automatic
    (no loops), answered politely without a request when the sender may not write (E4, E5, P2), else added to
    the request it answers (P9, S13) or opened as a new one (P5). The same message twice adds nothing."""
    failed = verdicts.failed() if verdicts else ()
    if failed:
        return _logged(MailOutcome("set_aside", ",".join(failed)))
    try:
        message = parse_message(raw, envelope_recipients)
    except RejectedMessage as rejected:
        return _logged(MailOutcome("rejected", rejected.reason), level=logging.WARNING)
    automatic = automatic_reason(message)
    if automatic:
        return _logged(MailOutcome("ignored", automatic, message_id=message.message_id))
    contact = desk.accounts.contact_by_email(message.sender)
    file = desk.accounts.company_file(contact.company_id) if contact else None
    if contact is None or file is None:
        language = guess_language(message, TEXT_LANGUAGES, desk.charter.default_language)
        return _answer(desk, message, language, "", Refusal("unknown_sender", {"address": message.sender}), None,
                       now)
    today = now.astimezone(desk.calendar.zone).date()
    number = referenced_ticket(message)
    previous = None
    if number:
        try:
            ticket, _events = load_request(desk.tickets, contact, number)
        except NotFound:
            previous = ("not_theirs", number)
        else:
            if ticket.status != CLOSED:
                refusal, tier = email_access(desk.charter, file, ticket.product_id, today)
                if refusal:
                    return _answer(desk, message, contact.language, contact.name, refusal, tier, now)
                return _add_reply(desk, contact, file, ticket, message, now, today)
            previous = ("closed", number)
    return _open_request(desk, contact, file, message, now, today, previous)


def _logged(outcome: MailOutcome, level: int = logging.INFO) -> MailOutcome:
    log.log(level, "mail", extra={"action": outcome.action, "reason": outcome.reason, "number": outcome.number,
                                  "message_id": outcome.message_id})
    return outcome


# --- who may write --------------------------------------------------------------------------------------------

def email_access(charter, file, product_id: str | None, today, product_name: str | None = None
                 ) -> tuple[Refusal | None, object]:
    """Rules E4, S1, E1, E5, P2, T2: an end customer only under a tier its reseller bought for end customers, a
    contract in force (for the product, when the message names one) or the charter's tier for customers without
    one, whose tier may open requests and includes e-mail, trained designated contacts. Returns the refusal (None
    when the sender may write) and the tier."""
    tier = tier_in_force(charter, file.contracts, product_id, today)  # rules T2, P3: the tier without contract
    if file.company.reseller_id is not None and (tier is None or not tier.end_customers_via_reseller):
        return Refusal("contact_your_reseller"), tier
    if tier is None:
        ended = [c.ends for c in file.contracts if c.ends < today and (not c.products or product_id in c.products)]
        if ended:
            return Refusal("contract_ended", {"ended": max(ended).isoformat()}), None
        if product_id:
            return Refusal("no_contract", {"product": product_name or product_id}), None
        return Refusal("no_contract_in_force"), None
    if not tier.may_open_requests:
        return Refusal("tier_may_not_open", {"tier": tier.id}), tier
    if CHANNEL not in tier.channels:
        return Refusal("email_not_in_tier", {"tier": tier.label}), tier
    if not designated_contacts_ready(charter, file):
        return Refusal("designated_contacts_untrained"), tier
    return None, tier


def sender_marker(address: str) -> str:
    """Where the markers of the answers sent to one address live (one partition per sender, named by a digest of
    the address, never the address itself): an erasure deletes the partition."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]


def _answer(desk: MailDesk, message: InboundMessage, language: str, name: str, refusal: Refusal, tier,
            now: datetime) -> MailOutcome:
    """The polite answer when no request can be opened: why, and how to get access (E4, E5). Once per message,
    and once a day per sender: an auto-responder that ignores RFC 3834 cannot start a loop with us."""
    sender = sender_marker(message.sender)
    if not desk.tickets.mark_once(ANSWERED_SCOPE, sender, f"MESSAGE#{message.message_id}"):
        return _logged(MailOutcome("duplicate", refusal.code, message_id=message.message_id))
    if not desk.tickets.mark_once(ANSWERED_SCOPE, sender, f"DAY#{now.date().isoformat()}"):
        return _logged(MailOutcome("ignored", "answered_today", message_id=message.message_id))
    send_quietly(desk.mailer, refusal_reply(desk.charter, message, language, name, refusal, tier, desk.portal_url))
    return _logged(MailOutcome("answered", refusal.code, message_id=message.message_id))


def refusal_reply(charter, message: InboundMessage, language: str, name: str, refusal: Refusal, tier,
                  portal_url: str = "") -> OutgoingMail:
    """Why the message opened no request and how to reach support instead (E4: the reseller; E5: the portal or
    the phone the sender's tier includes), in the sender's language."""
    lines = [translate(language, mark("Hello %(name)s,"), name=name) if name else translate(language, mark("Hello,")),
             ""]
    params = {key: (value.get(language) if hasattr(value, "get") and not isinstance(value, str) else value)
              for key, value in refusal.params.items()}
    if refusal.code in REPLIES:
        lines.append(translate(language, REPLIES[refusal.code], **params))
        if refusal.code == "unknown_sender":
            lines.append(translate(language, REPLIES["unknown_sender_help"]))
    else:
        lines.append(refusal_message(Refusal(refusal.code, params), language))
    lines.append(translate(language, mark("No request was opened for this message.")))
    channels = tier.channels if tier is not None and refusal.code == "email_not_in_tier" else ()
    if "web" in channels and portal_url:
        lines += ["", translate(language, mark("You can file your request on the portal: %(url)s"), url=portal_url)]
    phones = [phone.number for phone in (charter.vendor.phones if charter.vendor else ())
              if tier is not None and (not phone.tiers or tier.id in phone.tiers)]
    if "phone" in channels and phones:
        lines += ["", translate(language, mark("You can call us: %(phone)s"), phone=", ".join(phones))]
    vendor = charter.vendor.name if charter.vendor else charter.name
    lines += ["", translate(language, mark("The support team of %(vendor)s"), vendor=vendor)]
    return OutgoingMail(to=message.sender, subject=_re(message.subject), text="\n".join(lines) + "\n",
                        language=language, headers=_reply_headers(message))


def _re(subject: str) -> str:
    return subject if subject.lower().startswith("re:") else f"Re: {subject}".strip()


def _reply_headers(message: InboundMessage) -> dict[str, str]:
    """Threading for the sender's client, and RFC 3834's mark so that no auto-responder answers us back."""
    references = " ".join(dict.fromkeys((*message.references, message.message_id)))
    return {"In-Reply-To": message.message_id, "References": references, "Auto-Submitted": "auto-replied"}


# --- files ---------------------------------------------------------------------------------------------------

def store_attachments(files, contact, message: InboundMessage, policy):
    """Intake rule 4 for a message's files: each is kept under the sender's company and checked by content and
    size like an upload. The upload ids come from the Message-ID, so the same message stores the same keys.
    Returns the accepted attachments, the refusals of attached files (the customer is told) and those of inline
    images (a signature's logo: only the technician's note names them)."""
    accepted, refused, refused_inline = [], [], []
    for index, attachment in enumerate(message.attachments):
        upload_id = hashlib.sha256(f"{message.message_id}#{index}".encode()).hexdigest()[:32]
        verdict = attachment_service.receive_upload(files, contact, upload_id, attachment.name,
                                                    io.BytesIO(attachment.data), policy)
        if not isinstance(verdict, UploadRefusal):
            verdict = attachment_service.accept_upload(files, contact, upload_id, policy)
        if not isinstance(verdict, UploadRefusal):
            accepted.append(verdict)
        else:
            (refused_inline if attachment.inline else refused).append(verdict)
    return accepted, refused, refused_inline


# --- a reply to a request (P9, S13) ----------------------------------------------------------------------------

def _add_reply(desk: MailDesk, contact, file, ticket: Ticket, message: InboundMessage, now: datetime,
               today) -> MailOutcome:
    """Rule P9: the reply joins the request's history; files a request awaits reopen it (S13). A reply that
    brings only files refused (or left out) adds a note for staff and tells the customer why, once per Message-ID
    like any reply. Closed meanwhile by a technician, the request is followed by a new one, as for a reply to a
    request closed before it came."""
    accepted, refused, refused_inline = store_attachments(desk.files, contact, message, desk.charter.attachments)
    brings = bool(message.text or accepted)
    if not brings and not (refused or message.dropped_attachments):
        return _logged(MailOutcome("ignored", "empty", ticket.number, message.message_id))
    for attempt in range(2):
        events = reply_events(contact, ticket, message, accepted, refused + refused_inline, now,
                              desk.charter.default_language)
        if not brings:
            action = "internal_note"  # nothing the request waits for came: its state stays
        elif accepted and ticket.status == AWAITING_FILES:
            action = "files_received"
        else:
            action = "customer_message"
        state = next_state(ticket.status, action)
        updated = replace(ticket, status=state, status_since=now if state != ticket.status else ticket.status_since)
        try:
            desk.tickets.apply(updated, events, _queue_key(desk.charter, updated), idempotency=message.message_id)
        except DuplicateSubmission:
            return _logged(MailOutcome("duplicate", "reply", ticket.number, message.message_id))
        except ConcurrentUpdate:
            if attempt:
                raise
            ticket, _events = load_request(desk.tickets, contact, ticket.number)
            if ticket.status == CLOSED:  # closed meanwhile: the reply follows it in a new request
                return _open_request(desk, contact, file, message, now, today, ("closed", ticket.number))
            continue
        break
    if not brings:
        send_quietly(desk.mailer, _files_refused_mail(contact, ticket.number, message, refused, added=False))
        return _logged(MailOutcome("answered", "files_refused", ticket.number, message.message_id))
    if refused or message.dropped_attachments:
        send_quietly(desk.mailer, _files_refused_mail(contact, ticket.number, message, refused))
    return _logged(MailOutcome("added", "S13" if action == "files_received" else "P9", ticket.number,
                               message.message_id))


def reply_events(contact, ticket: Ticket, message: InboundMessage, accepted, refused, now: datetime,
                 staff_language: str) -> list[TicketEvent]:
    """The events a reply adds: the customer's text, the files received (and the S13 reopening), and an
    internal note naming the files refused and counting those left out past MAX_ATTACHMENTS."""
    events = []
    if message.text:
        events.append(TicketEvent(EventKind.CUSTOMER_REPLIED, now, contact.contact_id, True,
                                  {"text": message.text[:MAX_DESCRIPTION], "channel": CHANNEL,
                                   "message_id": message.message_id}))
    if accepted:
        events.append(TicketEvent(EventKind.FILES_RECEIVED, now, contact.contact_id, True,
                                  {"files": encode_files(accepted), "channel": CHANNEL}))
        if ticket.status == AWAITING_FILES:
            events.append(TicketEvent(EventKind.REOPENED, now, contact.contact_id, True, {"rule": "S13"}))
    notes = [translate(staff_language, NOTES["file_refused"],
                       reason=attachment_service.refusal_message(refusal, staff_language)) for refusal in refused]
    if message.dropped_attachments:
        notes.append(translate(staff_language, NOTES["files_dropped"], count=message.dropped_attachments,
                               limit=MAX_ATTACHMENTS))
    if notes:
        events.append(TicketEvent(EventKind.MESSAGE, now, ACTOR, False, {"text": "\n".join(notes)}))
    return events


def _files_refused_mail(contact, number: str, message: InboundMessage, refused, added: bool = True
                        ) -> OutgoingMail:
    """What the customer learns of a reply's files: each refusal and why, and those left out past
    MAX_ATTACHMENTS; whether the message was added to the request, or nothing was."""
    language = contact.language
    if added:
        opening = translate(language, mark("Your message was added to request %(number)s."), number=number)
    else:
        opening = translate(language, mark("Nothing was added to request %(number)s: the files of your message "
                                           "could not be accepted."), number=number)
    lines = [translate(language, mark("Hello %(name)s,"), name=contact.name), "", opening, "",
             *(attachment_service.refusal_message(refusal, language) for refusal in refused),
             *_dropped_lines(language, message)]
    return OutgoingMail(to=contact.email, subject=f"[{number}] {_re(message.subject)}",
                        text="\n".join(lines) + "\n", language=language,
                        headers={"X-Portal-Ticket": number, **_reply_headers(message)})


def _queue_key(charter, ticket: Ticket) -> str | None:
    if not ticket.is_open:
        return None
    order = queue_key(charter, ticket.tier, ticket.channel, ticket.created_at)
    return queue_sort_key(order[0], order[1], ticket.created_at, ticket.number)


# --- a new request (P5) --------------------------------------------------------------------------------------

def _open_request(desk: MailDesk, contact, file, message: InboundMessage, now: datetime, today,
                  previous) -> MailOutcome:
    """Rule P5: a new request from an e-mail, checked like the web form; the acknowledgement goes back with the
    number, the due time and its explanation, and the request's link."""
    charter = desk.charter
    catalog = desk.catalog.catalog()
    read = read_request(charter, catalog, file, message, today)
    names = {product.id: product.name for product in catalog.products}
    refusal, tier = email_access(charter, file, read.product_id, today, names.get(read.product_id or ""))
    if refusal:
        return _answer(desk, message, contact.language, contact.name, refusal, tier, now)
    accepted, refused, refused_inline = store_attachments(desk.files, contact, message, charter.attachments)
    if previous and previous[0] == "closed" and not (message.text or accepted):
        return _nothing_to_follow(desk, contact, previous[1], message, refused)
    notes = list(read.notes)
    if previous:
        notes.insert(0, (previous[0], {"number": previous[1]}))
    staff = charter.default_language
    note_lines = [note_text(notes, staff)] if notes else []
    note_lines += [translate(staff, NOTES["file_refused"], reason=attachment_service.refusal_message(r, staff))
                   for r in refused + refused_inline]
    if message.dropped_attachments:
        note_lines.append(translate(staff, NOTES["files_dropped"], count=message.dropped_attachments,
                                    limit=MAX_ATTACHMENTS))
    due = response_due(charter, tier.id, read.severity, now)
    number = desk.tickets.next_number(now.year)
    subject = (message.subject or message.text.split("\n", 1)[0] or "—").strip()[:MAX_SUBJECT]
    ticket = Ticket(number, contact.company_id, contact.contact_id, now, NEW, now, read.category, read.severity,
                    tier.id, CHANNEL, subject, read.product_id, read.version, {"description": message.text[:4000]},
                    None, due.due)
    order = queue_key(charter, tier.id, CHANNEL, now)
    position_key = queue_sort_key(order[0], order[1], now, number)
    first = TicketEvent(EventKind.RECEIVED, now, contact.contact_id, True, {
        "description": message.text[:MAX_DESCRIPTION], "channel": CHANNEL,
        "files": encode_files(accepted) if accepted else "", "message_id": message.message_id})
    more = [TicketEvent(EventKind.MESSAGE, now, ACTOR, False, {"text": "\n".join(note_lines)})] if note_lines else []
    try:
        position = desk.tickets.file(ticket, first, position_key, message.message_id, more_events=more)
    except DuplicateSubmission as duplicate:
        return _logged(MailOutcome("duplicate", "request", duplicate.number, message.message_id))
    ack = Acknowledgement(ticket, tier.priority, due, position)
    send_quietly(desk.mailer, acknowledgement_mail(
        charter, desk.calendar, contact, ack, link=f"{desk.portal_url}/requests/{number}",
        extra=_acknowledgement_extra(charter, contact.language, read, refused, message),
        headers=_reply_headers(message)))
    return _logged(MailOutcome("opened", "P5", number, message.message_id, tuple(k for k, _ in notes)))


def _nothing_to_follow(desk: MailDesk, contact, number: str, message: InboundMessage, refused) -> MailOutcome:
    """A reply to a closed request that brings no text and no accepted file opens no empty request (P9): one
    that brought only refused files (or files left out) tells the customer why, once per message."""
    if not (refused or message.dropped_attachments):
        return _logged(MailOutcome("ignored", "empty", number, message.message_id))
    if not desk.tickets.mark_once(ANSWERED_SCOPE, sender_marker(message.sender), f"MESSAGE#{message.message_id}"):
        return _logged(MailOutcome("duplicate", "files_refused", number, message.message_id))
    send_quietly(desk.mailer, _files_refused_mail(contact, number, message, refused, added=False))
    return _logged(MailOutcome("answered", "files_refused", number, message.message_id))


def _acknowledgement_extra(charter, language: str, read: MailRequest, refused, message: InboundMessage
                           ) -> tuple[str, ...]:
    """What the customer learns beyond the web form's acknowledgement: a severity left to the technician, and
    the files that could not be accepted or were left out."""
    lines = []
    if not read.severity_stated:
        label = next((s.label.get(language) for s in charter.severities if s.level == read.severity), "")
        lines.append(translate(language, mark("You did not state a severity: a technician will set it. Until then "
                                              "the due time is the one of severity %(severity)s (%(label)s)."),
                               severity=read.severity, label=label))
    lines += [attachment_service.refusal_message(refusal, language) for refusal in refused]
    lines += _dropped_lines(language, message)
    return tuple(lines)


def _dropped_lines(language: str, message: InboundMessage) -> list[str]:
    """The customer's line on the attachments left out past MAX_ATTACHMENTS (none when none were)."""
    if not message.dropped_attachments:
        return []
    return [translate(language, mark("Only the first %(limit)s attachments of your message were kept, the most a "
                                     "message may bring: please send the others (%(count)s) in another message."),
                      limit=MAX_ATTACHMENTS, count=message.dropped_attachments)]
