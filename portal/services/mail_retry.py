"""Nothing the portal promised to send is lost when the mail service fails after the request was saved: the mail
is kept, and a scheduled function sends it again (5 min, 15 min, 1 h, 3 h, 6 h, 12 h later), then gives up."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from portal.domain.errors import BackendUnavailable
from portal.domain.mail import MailKept, MailRejected, next_mail_attempt
from portal.services.notifications import TICKET_HEADER
from portal.services.sweeps.run import SweepRun

log = logging.getLogger("portal.mail")
RETRY_RUN_SECONDS = 20.0  # a run starts no send past this: the scheduled function's Lambda stops at 30 s
REFUSALS_BEFORE_PAUSE = 3  # refused this many times in a row, the service is still down: the rest wait their turn


class KeepingMailer:
    """A mailer that keeps what the mail service refuses, for `retry_kept_mail`; everything else is the mailer's."""

    def __init__(self, mailer, pending, clock=lambda: datetime.now(UTC)):
        self.mailer, self.pending, self.clock = mailer, pending, clock

    def __getattr__(self, name):  # the sender, the outbox's messages() and forget() (kept mails: erasure's own)
        return getattr(self.mailer, name)

    def send(self, mail) -> str:
        """Send; a refusal keeps the mail and raises MailKept (the refusal itself when it cannot be kept, when the
        mail carries a link its reader asks again for: a new one would void the kept one, or when the service
        rejected it for good: it is given up at once).

        :raise BackendUnavailable: the mail was not sent now.
        """
        try:
            return self.mailer.send(mail)
        except MailRejected as rejected:
            given_up(mail, "", rejected)
            raise
        except BackendUnavailable as refused:
            if not mail.kept_if_refused:
                raise
            now = self.clock()
            try:
                self.pending.keep(mail, now, next_mail_attempt(1, now))
            except BackendUnavailable:
                raise refused from None
            raise MailKept("mail", "kept, sent again later") from refused


def given_up(mail, kept_at: str, error: BackendUnavailable) -> None:
    """Log a mail the portal stops trying to send, naming its request and the address's domain, not the address."""
    log.error("mail given up", extra={"to_domain": mail.to.rpartition("@")[2], "kept_at": kept_at,
                                      "ticket": mail.headers.get(TICKET_HEADER, ""), "error": str(error)})


def retry_kept_mail(context, now: datetime, dry_run: bool = False, clock=time.monotonic) -> SweepRun:
    """Send again each kept mail whose time has come, soonest due first (only those are read); one refused again
    waits longer, and after the last try it is given up (logged, without the address) and its copy goes, as at once
    when the service rejects it for good (MailRejected: no later try could pass). A run stops sending after
    RETRY_RUN_SECONDS, or once the service refused REFUSALS_BEFORE_PAUSE mails in a row: the mails not tried keep
    their time and the next run (5 minutes later) goes on with them."""
    run = SweepRun("mail_retry", now, dry_run=dry_run)
    mailer = context.mailer
    if not isinstance(mailer, KeepingMailer):
        return run
    kept = mailer.pending.due(now)
    run.candidates = len(kept)
    stop_at, refused_in_a_row = clock() + RETRY_RUN_SECONDS, 0
    for entry in kept:
        if entry.next_try > now:  # a mail kept under the earlier key (its keeping time), not due yet
            continue
        number = entry.mail.headers.get(TICKET_HEADER, "")
        if refused_in_a_row >= REFUSALS_BEFORE_PAUSE or clock() > stop_at:
            run.skip(number, "mail-retry",
                     "service_still_down" if refused_in_a_row >= REFUSALS_BEFORE_PAUSE else "next_run")
            continue
        if dry_run:
            run.fire(number, "mail-retry", "send")
            continue
        try:
            mailer.mailer.send(entry.mail)
        except MailRejected as error:  # the service answered: it is up, and this mail will never go
            refused_in_a_row = 0
            mailer.pending.drop(entry.key)
            run.fire(number, "mail-retry", "given_up", reason="rejected")
            given_up(entry.mail, entry.kept_at.isoformat(), error)
            continue
        except BackendUnavailable as error:
            refused_in_a_row += 1
            later = next_mail_attempt(entry.failed_tries + 1, now)
            if later is None:
                mailer.pending.drop(entry.key)
                run.fire(number, "mail-retry", "given_up")
                given_up(entry.mail, entry.kept_at.isoformat(), error)
            else:
                mailer.pending.failed_again(entry, entry.failed_tries + 1, later)
                run.skip(number, "mail-retry", "refused_again")
            continue
        refused_in_a_row = 0
        mailer.pending.drop(entry.key)
        run.fire(number, "mail-retry", "sent")
        run.mails += 1
    return run
