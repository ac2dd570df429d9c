"""E-mails to the customer at each step that concerns them, in their language (SES or the outbox folder)."""

from __future__ import annotations

import logging

from portal.domain.errors import BackendUnavailable
from portal.domain.mail import MailKept, OutgoingMail
from portal.domain.queue import AHEAD_COUNTED_UP_TO, position_is_exact
from portal.i18n import mark, translate
from portal.services.explanations import explain

TICKET_HEADER = "X-Portal-Ticket"  # the adapters give such a mail a Message-ID that names the request
log = logging.getLogger("portal.mail")


def acknowledgement_mail(charter, calendar, contact, ack, link: str | None = None, extra: tuple[str, ...] = (),
                         headers: dict[str, str] | None = None) -> OutgoingMail:
    """The acknowledgement: number, priority, due time with the charter's explanation (or that none is
    committed), the place in the queue, and the phone for urgent cases; optionally the link to the request,
    extra lines (e.g. what an e-mail left to the technician) and threading headers. Its Message-ID names the
    request, so that a reply by e-mail finds it (rule P9)."""
    lang, ticket = contact.language, ack.ticket
    lines = [translate(lang, mark("Hello %(name)s,"), name=contact.name), "",
             translate(lang, mark("We have received your request %(number)s: %(subject)s"), number=ticket.number,
                       subject=ticket.subject),
             _priority_and_place(lang, ack), ""]
    lines += [f"- {line}" for line in explain(ack.due.parts, lang, calendar)]
    urgent = [phone.number for phone in (charter.vendor.phones if charter.vendor else ()) if phone.urgent_only]
    if urgent:
        lines += ["", translate(lang, mark("Machines stopped? Call %(phone)s."), phone=", ".join(urgent))]
    if extra:
        lines += ["", *extra]
    if link:
        lines += ["", translate(lang, mark("Follow your request: %(link)s"), link=link)]
    subject = translate(lang, mark("Request %(number)s received"), number=ticket.number)
    return OutgoingMail(to=contact.email, subject=f"[{ticket.number}] {subject}", text="\n".join(lines) + "\n",
                        language=lang, headers={TICKET_HEADER: ticket.number, **(headers or {})})


def _priority_and_place(lang: str, ack) -> str:
    """Priority and place in the queue; past the places counted, that more requests than that are ahead (S4);
    the priority alone when the place could not be counted."""
    if ack.queue_position is None:
        return translate(lang, mark("Priority: %(priority)s."), priority=ack.priority)
    if position_is_exact(ack.queue_position):
        return translate(lang, mark("Priority: %(priority)s. Position in the queue: %(position)s."),
                         priority=ack.priority, position=ack.queue_position)
    beyond = mark("Priority: %(priority)s. More than %(count)s requests are ahead of yours in the queue.")
    return translate(lang, beyond, priority=ack.priority, count=AHEAD_COUNTED_UP_TO)


def send_quietly(mailer, mail: OutgoingMail) -> bool:
    """Send a mail; a mail service that does not answer is logged, never undoes what was saved (the mail is kept
    and sent again later where the mailer keeps refused mail: portal.services.mail_retry). True when sent now."""
    try:
        mailer.send(mail)
    except MailKept:
        log.warning("mail kept, sent again later", extra={"to_domain": mail.to.rpartition("@")[2]})
        return False
    except BackendUnavailable as error:
        log.warning("mail not sent", extra={"to_domain": mail.to.rpartition("@")[2], "error": str(error)})
        return False
    return True
