"""The daily obsolescence check: end-of-support notices (T9, G6), phase changes (T9, T11), automatic renewals and
renewal notices (P1)."""

from __future__ import annotations

import datetime
import logging

from portal.domain.contracts import renewal, renewed
from portal.domain.lifecycle import add_months, lifecycle, versions_to_move_to
from portal.services.notifications import send_quietly
from portal.services.sweeps import mails
from portal.services.sweeps.run import SweepContext, SweepRun

log = logging.getLogger("portal.sweeps")
THRESHOLDS = (30, 7)  # days before the end of support when customers who have the release are told (T9, G6)
NOTICE_AHEAD_MONTHS = 1  # rule P1: the renewal notice goes a month before the last day to cancel
RENEWAL_LOOKBACK_DAYS = 400  # rule P1: contracts ended this far back are still renewed (daily runs missed)
RECIPIENT_ROLES = ("system_owner", "deputy")  # rule P2: the designated contacts, when the company named them


def run_obsolescence_check(context: SweepContext, now: datetime.datetime, dry_run: bool = False) -> SweepRun:
    """Rules T9, G6, T11 and P1, once a day: end-of-support notices 30 and 7 days ahead, phase changes
    recorded (and the public lifecycle page rebuilt), renewal notices a month before the last day to cancel."""
    run = SweepRun("obsolescence", now, dry_run)
    today = now.astimezone(context.calendar.zone).date()
    catalog = context.catalog.catalog()
    notify_end_of_support(context, run, catalog, today)
    if record_phase_changes(context, run, catalog, today) and context.rebuild_lifecycle and not dry_run:
        rebuild_lifecycle_page(context, run)
    renew_contracts(context, run, today)
    notify_renewals(context, run, today)
    return run


def rebuild_lifecycle_page(context: SweepContext, run: SweepRun) -> None:
    """Rebuild the public lifecycle page; a page that does not render or upload is logged and reported, and
    never undoes the notices and the phases recorded."""
    try:
        context.rebuild_lifecycle()
    except Exception:  # noqa: BLE001 - whatever the page builder raises, the check goes on
        log.exception("lifecycle page not rebuilt")
        run.skip("lifecycle", "T9", "page_not_rebuilt")


def threshold(days_left: int) -> int | None:
    """The notice due with `days_left` days of support left: the smallest threshold reached, if any."""
    reached = [days for days in THRESHOLDS if 0 < days_left <= days]
    return min(reached) if reached else None


def notify_end_of_support(context: SweepContext, run: SweepRun, catalog, today: datetime.date) -> None:
    """Rules T9, G6: each company with a release whose support ends within 30 days, then within 7, is told once
    per threshold, in its contacts' languages, with the versions to move to."""
    policy = context.charter.version_policy
    for product in catalog.products:
        for status in lifecycle(policy, product, today):
            if not status.supported or status.support_ends is None:
                continue
            days_left = (status.support_ends - today).days
            notice = threshold(days_left)
            if notice is None:
                continue
            key = f"{status.support_ends.isoformat()}#{notice}"
            targets = versions_to_move_to(policy, product, today, status.version)
            for installation, sent in context.accounts.installations_of_release(product.id, status.version):
                run.candidates += 1
                if key in sent or (not run.dry_run and not context.accounts.mark_end_notice(installation, key)):
                    continue
                run.fire(installation.company_id, "T9" if policy.kind == "previous_for_months" else "G6",
                         f"end_of_support_{notice}", product=product.id, version=status.version,
                         support_ends=status.support_ends.isoformat())
                if run.dry_run:
                    continue
                company, contacts = recipients(context, installation.company_id)
                for contact in contacts:
                    mail = mails.end_of_support_mail(contact, company, product.name, status.version,
                                                     status.support_ends, days_left, targets)
                    run.mails += send_quietly(context.mailer, mail)


def recipients(context: SweepContext, company_id: str):
    """The company's name and whom to tell: its designated contacts (P2) if it named any, else all of them."""
    found = context.accounts.company_file(company_id)
    if found is None:
        return company_id, ()
    designated = [c for c in found.contacts if set(c.roles) & set(RECIPIENT_ROLES)]
    return found.company.name, tuple(c for c in (designated or found.contacts) if c.email)


def record_phase_changes(context: SweepContext, run: SweepRun, catalog, today: datetime.date) -> int:
    """Rules T9, T11: a release moving from current to previous to ended, or withdrawn from sale, is recorded
    once (a conditional update of the release); returns how many changed."""
    recorded = context.catalog.recorded_phases()
    changed = 0
    for product in catalog.products:
        for status in lifecycle(context.charter.version_policy, product, today):
            phase, withdrawn = recorded.get((product.id, status.version), (None, False))
            if phase == status.phase and withdrawn == status.withdrawn_from_sale:
                continue
            if not run.dry_run and not context.catalog.record_phase(
                    product.id, status.released, status.version, phase, status.phase, status.withdrawn_from_sale,
                    today):
                continue
            changed += 1
            rule = "T11" if withdrawn != status.withdrawn_from_sale and phase == status.phase else "T9"
            run.fire(f"{product.id} {status.version}", rule, "phase_change", previous=phase, phase=status.phase,
                     withdrawn_from_sale=status.withdrawn_from_sale)
    return changed


def renew_contracts(context: SweepContext, run: SweepRun, today: datetime.date) -> None:
    """Rule P1: a contract whose period has ended and that renews by itself is carried to its renewed last day,
    once (eligibility counts the renewal from its first day, recorded or not), and its contacts get the proof of
    renewal where the charter sends one each period."""
    first = today - datetime.timedelta(days=RENEWAL_LOOKBACK_DAYS)
    for contract, _sent in context.accounts.contracts_ending_between(first, today - datetime.timedelta(days=1)):
        run.candidates += 1
        carried = renewed(context.charter, contract, today)
        if carried is None or (not run.dry_run and not context.accounts.renew_contract(contract, carried.ends)):
            continue
        run.fire(contract.company_id, "P1", "renewed", contract=contract.contract_id, ends=carried.ends.isoformat())
        if run.dry_run or not context.charter.contract.proof_each_period:
            continue
        _company, contacts = recipients(context, contract.company_id)
        starts = contract.ends + datetime.timedelta(days=1)
        for contact in contacts:
            run.mails += send_quietly(context.mailer, mails.renewal_proof_mail(contact, contract.contract_id, starts,
                                                                              carried.ends))


def notify_renewals(context: SweepContext, run: SweepRun, today: datetime.date) -> None:
    """Rule P1: a contract that renews by itself is notified once, a month before its last day to cancel."""
    terms = context.charter.contract
    if not terms.notice_months:
        return
    # The contracts whose last day to cancel can fall within the coming month (a few days' margin for short
    # months); the exact date is the domain's.
    first = add_months(today, terms.notice_months) - datetime.timedelta(days=4)
    last = add_months(today, terms.notice_months + NOTICE_AHEAD_MONTHS) + datetime.timedelta(days=4)
    for contract, sent in context.accounts.contracts_ending_between(first, last):
        run.candidates += 1
        terms_now = renewal(context.charter, contract, today)
        last_day = terms_now.last_day_to_cancel
        if not terms_now.renews_automatically or last_day is None:
            continue
        if not add_months(last_day, -NOTICE_AHEAD_MONTHS) <= today <= last_day:
            continue
        if contract.ends.isoformat() in sent or (not run.dry_run and not context.accounts.mark_renewal_notice(
                contract)):
            continue
        run.fire(contract.company_id, "P1", "renewal_notice", contract=contract.contract_id,
                 last_day_to_cancel=last_day.isoformat())
        if run.dry_run:
            continue
        _company, contacts = recipients(context, contract.company_id)
        write_to = context.charter.vendor.info_email if context.charter.vendor else None
        for contact in contacts:
            mail = mails.renewal_notice_mail(contact, contract.contract_id, terms_now.next_period_starts, last_day,
                                             write_to)
            run.mails += send_quietly(context.mailer, mail)
