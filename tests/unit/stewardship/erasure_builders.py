"""What else than the requests may hold a contact: problem records quoting them, the e-mail channel's markers, the
outbox of sent mail (on top of `company_with_history`)."""

from __future__ import annotations

from datetime import timedelta

from portal.domain.history import EventKind, TicketEvent
from portal.domain.mail import OutgoingMail
from portal.domain.problems import DEFECT, ProblemRecord
from portal.services.mail_intake import ANSWERED_SCOPE, sender_marker
from tests.unit.stewardship.builders import ANNA, BOB, NOW, PHONE

# A Message-ID some mail programs build from the sender's address.
ANNA_MESSAGE_ID = "<20261120.anna.quist@acme.example>"


def traces_beyond_requests(storage, outbox):
    """Anna's reply by e-mail (its Message-ID marker names her), an answer the channel sent to her address, two
    problem records quoting her (one linked to her request, one of another company that also names another Anna),
    and the outbox holding a mail to her and one to Bob that does not name her."""
    from portal.adapters.dynamo.problems import ProblemsRepository

    ticket = storage.tickets.ticket_with_history("2026-000001")[0]
    storage.tickets.apply(ticket, [TicketEvent(EventKind.CUSTOMER_REPLIED, NOW - timedelta(hours=1), ANNA.contact_id,
                                               True, {"text": "Still failing", "channel": "email",
                                                      "message_id": ANNA_MESSAGE_ID})],
                          None, idempotency=ANNA_MESSAGE_ID)
    storage.tickets.mark_once(ANSWERED_SCOPE, sender_marker(ANNA.email), f"DAY#{NOW.date().isoformat()}")
    problems = ProblemsRepository()
    problems.create(ProblemRecord("PB-2026-0001", DEFECT, "Export crash seen by Anna Quist", NOW, "tech-tom",
                                  description=f"Anna (anna.quist@acme.example, {PHONE}) sees it daily"))
    problems.link("2026-000001", "PB-2026-0001", TicketEvent(EventKind.PROBLEM_LINKED, NOW, "tech-tom", False,
                                                             {"problem": "PB-2026-0001", "kind": DEFECT}))
    problems.create(ProblemRecord("PB-2026-0002", DEFECT, "Slow start", NOW, "tech-tom",
                                  description="Also hit by Anna Quist at Acme; Anna at Zeta sees it too"))
    outbox.send(OutgoingMail(to=ANNA.email, subject="[2026-000001] Received", text="Hello Anna Quist,\n",
                             language="en"))
    outbox.send(OutgoingMail(to=BOB.email, subject="[2026-000003] Received", text="Hello Bob Stone,\n",
                             language="en"))
