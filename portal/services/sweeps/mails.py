"""The e-mails the sweeps send, in the reader's language (fr, nl, en)."""

from __future__ import annotations

import datetime

from babel.dates import format_date, format_time

from portal.domain.mail import OutgoingMail
from portal.i18n import LANGUAGES, mark, translate


def _lang(language: str | None) -> str:
    return language if language in LANGUAGES else "en"


def when(moment: datetime.datetime, zone, language: str) -> str:
    """A date and time as the reader says it, in the charter's time zone."""
    local = moment.astimezone(zone)
    return f"{format_date(local, 'full', locale=_lang(language))} {format_time(local, 'short', locale=_lang(language))}"


def day(value: datetime.date, language: str) -> str:
    return format_date(value, "long", locale=_lang(language))


def _mail(to: str, language: str, subject: str, lines: list[str], number: str | None = None) -> OutgoingMail:
    subject = f"[{number}] {subject}" if number else subject
    return OutgoingMail(to=to, subject=subject, text="\n".join(lines) + "\n", language=_lang(language))


def unreachable_closure_mail(contact, ticket, attempts: int, days: int, link: str) -> OutgoingMail:
    """Rule S11: closed as unreachable, why, and how to reopen."""
    lang = _lang(contact.language)
    lines = [translate(lang, mark("Hello %(name)s,"), name=contact.name), "",
             translate(lang, mark("We tried %(count)s times within %(days)s business days to reach you about your "
                                  "request %(number)s (%(subject)s), without success."),
                       count=attempts, days=days, number=ticket.number, subject=ticket.subject),
             translate(lang, mark("As our support charter provides, the request is now closed.")), "",
             translate(lang, mark("If you still need help, reopen it from its page: %(link)s"), link=link)]
    return _mail(contact.email, lang, translate(lang, mark("Request %(number)s closed: we could not reach you"),
                                                number=ticket.number), lines, ticket.number)


def no_reply_closure_mail(contact, ticket, days: int, link: str) -> OutgoingMail:
    """Rule S12: closed because the reply asked for did not come."""
    lang = _lang(contact.language)
    lines = [translate(lang, mark("Hello %(name)s,"), name=contact.name), "",
             translate(lang, mark("We asked you for information about your request %(number)s (%(subject)s) and "
                                  "have had no reply within %(days)s business days."),
                       number=ticket.number, subject=ticket.subject, days=days),
             translate(lang, mark("As our support charter provides, the request is now closed.")), "",
             translate(lang, mark("If you still need help, reopen it from its page: %(link)s"), link=link)]
    return _mail(contact.email, lang, translate(lang, mark("Request %(number)s closed: no reply"),
                                                number=ticket.number), lines, ticket.number)


def no_reply_reminder_mail(contact, ticket, closes_at: datetime.datetime, zone, link: str) -> OutgoingMail:
    """Rule S12's reminder: the request closes at `closes_at` unless the customer replies."""
    lang = _lang(contact.language)
    lines = [translate(lang, mark("Hello %(name)s,"), name=contact.name), "",
             translate(lang, mark("We are still waiting for the information we asked you for about your request "
                                  "%(number)s (%(subject)s)."), number=ticket.number, subject=ticket.subject),
             translate(lang, mark("Without your reply, the request will close on %(when)s."),
                       when=when(closes_at, zone, lang)), "",
             translate(lang, mark("Reply from its page: %(link)s"), link=link)]
    return _mail(contact.email, lang, translate(lang, mark("Request %(number)s: we are waiting for your reply"),
                                                number=ticket.number), lines, ticket.number)


def resolved_closure_mail(contact, ticket, link: str, survey_link: str | None) -> OutgoingMail:
    """Rules S14 and G3: the resolved request is closed; the satisfaction survey, where the charter has one."""
    lang = _lang(contact.language)
    lines = [translate(lang, mark("Hello %(name)s,"), name=contact.name), "",
             translate(lang, mark("Your request %(number)s (%(subject)s) was resolved and is now closed."),
                       number=ticket.number, subject=ticket.subject)]
    if survey_link:
        lines += ["", translate(lang, mark("Tell us how it went, it takes a minute: %(link)s"), link=survey_link)]
    lines += ["", translate(lang, mark("If the problem comes back, reopen it from its page: %(link)s"), link=link)]
    return _mail(contact.email, lang, translate(lang, mark("Request %(number)s closed"), number=ticket.number),
                 lines, ticket.number)


def response_at_risk_mail(member, ticket, due: datetime.datetime, zone, link: str) -> OutgoingMail:
    """The response committed for a request is about to be missed: its owner is warned."""
    lang = _lang(member.language)
    lines = [translate(lang, mark("Hello %(name)s,"), name=member.name), "",
             translate(lang, mark("The response committed for request %(number)s (%(subject)s) is due on %(when)s "
                                  "and the customer has had no answer yet."),
                       number=ticket.number, subject=ticket.subject, when=when(due, zone, lang)), "",
             translate(lang, mark("Open the request: %(link)s"), link=link)]
    return _mail(member.email, lang, translate(lang, mark("Request %(number)s: response due on %(when)s"),
                                               number=ticket.number, when=when(due, zone, lang)),
                 lines, ticket.number)


def end_of_support_mail(contact, company_name: str, product_name: str, version: str, ends: datetime.date,
                        days_left: int, versions: tuple[str, ...]) -> OutgoingMail:
    """Rules T9, G6: support for an installed release ends soon; the versions to move to."""
    lang = _lang(contact.language)
    lines = [translate(lang, mark("Hello %(name)s,"), name=contact.name), "",
             translate(lang, mark("Support for %(product)s %(version)s, installed at %(company)s, ends on %(date)s, "
                                  "in %(days)s days."), product=product_name, version=version, company=company_name,
                       date=day(ends, lang), days=days_left)]
    if versions:
        lines.append(translate(lang, mark("Versions you can move to: %(versions)s."), versions=", ".join(versions)))
    else:
        lines.append(translate(lang, mark("No supported version is available to move to yet; contact support.")))
    subject = translate(lang, mark("%(product)s %(version)s: support ends on %(date)s"), product=product_name,
                        version=version, date=day(ends, lang))
    return _mail(contact.email, lang, subject, lines)


def renewal_notice_mail(contact, contract_id: str, renews_on: datetime.date, last_day: datetime.date,
                        write_to: str | None) -> OutgoingMail:
    """Rule P1: the contract renews by itself; the last day to cancel is a month away."""
    lang = _lang(contact.language)
    lines = [translate(lang, mark("Hello %(name)s,"), name=contact.name), "",
             translate(lang, mark("Your support contract %(contract)s renews automatically on %(date)s."),
                       contract=contract_id, date=day(renews_on, lang)),
             translate(lang, mark("If you do not want it renewed, the last day to cancel is %(date)s."),
                       date=day(last_day, lang))]
    if write_to:
        lines.append(translate(lang, mark("To cancel, write to %(email)s."), email=write_to))
    subject = translate(lang, mark("Your support contract renews on %(date)s"), date=day(renews_on, lang))
    return _mail(contact.email, lang, subject, lines)


def renewal_proof_mail(contact, contract_id: str, starts: datetime.date, ends: datetime.date) -> OutgoingMail:
    """Rule P1: the proof of renewal each period: the contract renewed by itself, and until when it now runs."""
    lang = _lang(contact.language)
    lines = [translate(lang, mark("Hello %(name)s,"), name=contact.name), "",
             translate(lang, mark("Your support contract %(contract)s renewed automatically on %(start)s; it is now "
                                  "in force until %(end)s."),
                       contract=contract_id, start=day(starts, lang), end=day(ends, lang)),
             translate(lang, mark("This message is your proof of renewal for the new period."))]
    subject = translate(lang, mark("Your support contract is renewed until %(date)s"), date=day(ends, lang))
    return _mail(contact.email, lang, subject, lines)
