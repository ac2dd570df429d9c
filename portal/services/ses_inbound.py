"""Production's e-mail channel: SES keeps each message in S3 and calls the function with its receipt event;
the message goes through `receive_mail` like one the laptop's SMTP server receives."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from portal.domain.errors import NotFound
from portal.services.mail_intake import MailDesk, MailOutcome, Verdicts, receive_mail

SET_ASIDE_PREFIX = "set-aside/"
KEPT_FOR_A_PERSON = ("set_aside", "rejected")


@dataclass(frozen=True)
class SesDelivery:
    """One message SES received: where it keeps it, for whom it arrived, and its verdicts."""

    bucket: str | None
    key: str
    recipients: tuple[str, ...]
    verdicts: Verdicts
    dmarc: str = "PASS"  # SES's DMARC verdict on the From: domain (GRAY when the domain publishes no policy)


def ses_deliveries(event: dict, default_bucket: str | None = None, default_prefix: str = "inbound/"):
    """The messages of an SES receipt event: its Lambda action's (Records[].ses.mail and .receipt, the object key
    made of the S3 action's prefix and the message id) or its S3 action's SNS notification (action.objectKey)."""
    deliveries = []
    for record in event.get("Records") or ():
        notification = record.get("ses") or json.loads((record.get("Sns") or {}).get("Message") or "{}")
        mail, receipt = notification.get("mail") or {}, notification.get("receipt") or {}
        action = receipt.get("action") or {}
        prefix = action.get("objectKeyPrefix") or event.get("inbound_prefix") or default_prefix
        key = action.get("objectKey") or f"{prefix}{mail.get('messageId', '')}"
        bucket = action.get("bucketName") or event.get("inbound_bucket") or default_bucket
        verdicts = Verdicts(*((receipt.get(f"{name}Verdict") or {}).get("status", "PASS")
                              for name in ("spam", "virus", "spf", "dkim")))
        dmarc = (receipt.get("dmarcVerdict") or {}).get("status", "PASS")
        deliveries.append(SesDelivery(bucket, key, tuple(receipt.get("recipients") or ()), verdicts, dmarc))
    return deliveries


def receive_ses_event(desk: MailDesk, store_for, event: dict, now: datetime, default_bucket: str | None = None):
    """Each message of an SES event through `receive_mail`; one set aside or rejected is also copied under
    set-aside/ for a person to look at. `store_for(bucket)` gives the file store of a bucket.

    Once handled, the received message is deleted: the request keeps its text and files, so no raw copy of a
    contact's mail outlives its handling (an erasure has none to find). A message that failed stays for the
    function's retry, and the bucket's lifecycle rule forgets it; a second delivery of a handled message finds
    it gone and changes nothing. A message whose From: domain fails DMARC is set aside unread (it would speak for
    a contact it does not come from); one whose handling raised is copied under set-aside/ before the retry."""
    outcomes = []
    for delivery in ses_deliveries(event, default_bucket):
        store = store_for(delivery.bucket)
        try:
            with store.open(delivery.key) as stream:
                raw = stream.read()
        except NotFound:
            outcomes.append({"key": delivery.key, "action": "duplicate", "reason": "handled", "number": None})
            continue
        kept = SET_ASIDE_PREFIX + delivery.key.rsplit("/", 1)[-1]
        if delivery.dmarc == "FAIL":  # the From: domain says this message is not its own: a spoof, not a contact
            outcome = MailOutcome("set_aside", "dmarc")
        else:
            try:
                outcome = receive_mail(desk, raw, now, delivery.recipients, delivery.verdicts)
            except Exception:
                store.put(kept, raw)  # whatever failed, a person sees the message; the retry may still handle it
                raise
        if outcome.action in KEPT_FOR_A_PERSON:
            store.put(kept, raw)
        store.delete(delivery.key)
        outcomes.append({"key": delivery.key, "action": outcome.action, "reason": outcome.reason,
                         "number": outcome.number})
    return {"messages": outcomes}
