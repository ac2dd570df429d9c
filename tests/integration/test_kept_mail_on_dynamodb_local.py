"""Kept mails against Amazon's DynamoDB Local: read by their next try, moved whole when refused again."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.domain.mail import OutgoingMail

pytestmark = pytest.mark.integration
T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def mail(to: str) -> OutgoingMail:
    return OutgoingMail(to=to, subject="[2026-000001] Request received", text="Received.\n", language="en",
                        headers={"X-Portal-Ticket": "2026-000001"})


def test_only_the_mails_due_are_read_and_a_refused_one_moves_to_its_new_time(local_storage):
    pending = local_storage.pending_mail
    pending.keep(mail("later@customer.example"), T0, T0 + timedelta(hours=12))
    pending.keep(mail("soon@customer.example"), T0 + timedelta(minutes=1), T0 + timedelta(minutes=5))
    [due] = pending.due(T0 + timedelta(minutes=5))
    assert due.mail.to == "soon@customer.example"

    pending.failed_again(due, 2, T0 + timedelta(minutes=20))
    assert pending.due(T0 + timedelta(minutes=19)) == []
    [moved] = pending.due(T0 + timedelta(minutes=20))
    assert moved.mail == due.mail and moved.kept_at == due.kept_at and moved.failed_tries == 2
    assert [kept.mail.to for kept in pending.all_kept()] == ["soon@customer.example", "later@customer.example"]
