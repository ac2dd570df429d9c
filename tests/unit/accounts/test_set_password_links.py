"""Set-password links: signed, of one purpose, valid 72 h (invitation) or 1 h (reset)."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.services.links import LinkInvalid, LinkSigner

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_an_invitation_link_works_for_72_hours():
    signer = LinkSigner("secret")
    token = signer.sign("acme", "c1", "nonce", "invitation", NOW)
    assert signer.read(token, NOW + timedelta(hours=72)).contact_id == "c1"
    with pytest.raises(LinkInvalid):
        signer.read(token, NOW + timedelta(hours=72, seconds=1))


def test_a_reset_link_works_for_one_hour():
    signer = LinkSigner("secret")
    token = signer.sign("acme", "c1", "nonce", "reset", NOW)
    assert signer.read(token, NOW + timedelta(minutes=59)).nonce == "nonce"
    with pytest.raises(LinkInvalid):
        signer.read(token, NOW + timedelta(minutes=61))


def test_a_link_signed_with_another_key_or_altered_is_refused():
    token = LinkSigner("other").sign("acme", "c1", "nonce", "reset", NOW)
    with pytest.raises(LinkInvalid):
        LinkSigner("secret").read(token, NOW)
    with pytest.raises(LinkInvalid):
        LinkSigner("other").read(token[:-2] + "xx", NOW)
