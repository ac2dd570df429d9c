"""The mails the mail service refused, kept in one partition of the tickets table until they are sent again, in the
order of their next try (the sort key begins with it), so that a run reads the mails due and only those."""

from __future__ import annotations

import secrets
from datetime import datetime

from pynamodb.constants import COUNT
from pynamodb.transactions import TransactWrite

from portal.adapters.dynamo.errors import dynamo_errors
from portal.adapters.dynamo.models import PendingMailModel, plain_map
from portal.domain.instants import iso_utc
from portal.domain.mail import KeptMail, OutgoingMail

PENDING = "MAIL#PENDING"


def _kept(item: PendingMailModel) -> KeptMail:
    mail = OutgoingMail(item.to, item.subject, item.text, item.html, item.language,
                        {str(name): str(value) for name, value in plain_map(item.headers).items()})
    return KeptMail(item.sk, mail, datetime.fromisoformat(item.kept_at), int(item.failed_tries),
                    datetime.fromisoformat(item.next_try))


def _key(next_try: datetime) -> str:
    return f"MAIL#{iso_utc(next_try)}#{secrets.token_hex(4)}"


def _item(key: str, mail: OutgoingMail, kept_at: str, failed_tries: int, next_try: datetime) -> PendingMailModel:
    return PendingMailModel(PENDING, key, to=mail.to, subject=mail.subject, text=mail.text, html=mail.html,
                            language=mail.language, headers=dict(mail.headers), kept_at=kept_at,
                            failed_tries=failed_tries, next_try=iso_utc(next_try))


class PendingMailRepository:
    """Reads by key only: the one partition, soonest try first (it holds what a mail outage left, not history)."""

    @dynamo_errors
    def keep(self, mail: OutgoingMail, now: datetime, next_try: datetime) -> str:
        """Keep a refused mail until `next_try`; returns its key."""
        key = _key(next_try)
        _item(key, mail, iso_utc(now), 1, next_try).save()
        return key

    @dynamo_errors
    def due(self, now: datetime, limit: int = 1000) -> list[KeptMail]:
        """The kept mails whose try has come by `now`, soonest first (one query, up to `limit`): the mails still
        waiting are not read, however many they are."""
        due_by = PendingMailModel.sk <= f"MAIL#{iso_utc(now)}#~"  # "~" sorts after every id
        return [_kept(item) for item in PendingMailModel.query(PENDING, due_by, limit=limit)
                if isinstance(item, PendingMailModel)]

    @dynamo_errors
    def all_kept(self, limit: int = 1000) -> list[KeptMail]:
        """The kept mails, soonest try first (one paged query on the partition)."""
        return [_kept(item) for item in PendingMailModel.query(PENDING, limit=limit)
                if isinstance(item, PendingMailModel)]

    @dynamo_errors
    def count(self, up_to: int = 1000) -> int:
        """How many mails wait to be sent again (counted up to `up_to`: one page of one query)."""
        page = PendingMailModel._get_connection().query(PENDING, limit=up_to, select=COUNT)
        return int(page["Count"])

    @dynamo_errors
    def failed_again(self, kept: KeptMail, failed_tries: int, next_try: datetime) -> str:
        """Refused again: the mail moves to its new time (its copy under the new key, the old one gone, together or
        not at all); returns its new key."""
        key = _key(next_try)
        with TransactWrite(connection=PendingMailModel._get_connection().connection) as transaction:
            transaction.delete(PendingMailModel(PENDING, kept.key), condition=PendingMailModel.sk.exists())
            transaction.save(_item(key, kept.mail, iso_utc(kept.kept_at), failed_tries, next_try))
        return key

    @dynamo_errors
    def drop(self, key: str) -> None:
        """Sent, or given up: the kept copy goes."""
        PendingMailModel(PENDING, key).delete()
