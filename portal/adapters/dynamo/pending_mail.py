"""The mails the mail service refused, kept in one partition of the tickets table until they are sent again."""

from __future__ import annotations

import secrets
from datetime import datetime

from pynamodb.constants import COUNT

from portal.adapters.dynamo.errors import dynamo_errors
from portal.adapters.dynamo.models import PendingMailModel, iso_utc, plain_map
from portal.domain.mail import KeptMail, OutgoingMail

PENDING = "MAIL#PENDING"


def _kept(item: PendingMailModel) -> KeptMail:
    mail = OutgoingMail(item.to, item.subject, item.text, item.html, item.language,
                        {str(name): str(value) for name, value in plain_map(item.headers).items()})
    return KeptMail(item.sk, mail, datetime.fromisoformat(item.kept_at), int(item.failed_tries),
                    datetime.fromisoformat(item.next_try))


class PendingMailRepository:
    """Reads by key only: the one partition, oldest first (it holds what a mail outage left, not history)."""

    @dynamo_errors
    def keep(self, mail: OutgoingMail, now: datetime, next_try: datetime) -> str:
        """Keep a refused mail until `next_try`; returns its key."""
        key = f"MAIL#{iso_utc(now)}#{secrets.token_hex(4)}"
        PendingMailModel(PENDING, key, to=mail.to, subject=mail.subject, text=mail.text, html=mail.html,
                         language=mail.language, headers=dict(mail.headers), kept_at=iso_utc(now), failed_tries=1,
                         next_try=iso_utc(next_try)).save()
        return key

    @dynamo_errors
    def all_kept(self, limit: int = 1000) -> list[KeptMail]:
        """The kept mails, oldest first (one paged query on the partition)."""
        return [_kept(item) for item in PendingMailModel.query(PENDING, limit=limit)
                if isinstance(item, PendingMailModel)]

    @dynamo_errors
    def count(self, up_to: int = 1000) -> int:
        """How many mails wait to be sent again (counted up to `up_to`: one page of one query)."""
        page = PendingMailModel._get_connection().query(PENDING, limit=up_to, select=COUNT)
        return int(page["Count"])

    @dynamo_errors
    def failed_again(self, key: str, failed_tries: int, next_try: datetime) -> None:
        PendingMailModel(PENDING, key).update(actions=[PendingMailModel.failed_tries.set(failed_tries),
                                                       PendingMailModel.next_try.set(iso_utc(next_try))])

    @dynamo_errors
    def drop(self, key: str) -> None:
        """Sent, or given up: the kept copy goes."""
        PendingMailModel(PENDING, key).delete()
