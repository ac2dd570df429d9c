"""Personal API tokens: shown once, stored hashed, revocable by their owner only."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.adapters.dynamo.models import ApiTokenModel
from portal.services.api_tokens import MAX_TOKENS_PER_CONTACT, TooManyTokens, authenticate, create_token, revoke_token
from tests.builders import make_contact
from tests.call_counter import count_dynamodb_calls

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_a_new_token_authenticates_and_only_its_hash_is_stored(moto_storage):
    tokens = moto_storage.api_tokens
    clear, token = create_token(tokens, make_contact(), "CRM", NOW)
    assert clear.startswith("pt_")
    stored = ApiTokenModel.get(token.token_id)
    assert clear.split(".", 1)[1] not in stored.secret_hash
    assert authenticate(tokens, clear).contact_id == "acme-ann"


def test_an_altered_or_unknown_token_is_refused(moto_storage):
    tokens = moto_storage.api_tokens
    clear, _ = create_token(tokens, make_contact(), "CRM", NOW)
    for presented in (clear[:-1] + ("A" if clear[-1] != "A" else "B"), "pt_0000.x", "nonsense", "pt_.", ""):
        assert authenticate(tokens, presented) is None


def test_a_revoked_token_no_longer_authenticates(moto_storage):
    tokens = moto_storage.api_tokens
    clear, token = create_token(tokens, make_contact(), "CRM", NOW)
    assert revoke_token(tokens, make_contact(), token.token_id)
    assert authenticate(tokens, clear) is None


def test_another_contact_cannot_revoke_a_token(moto_storage):
    tokens = moto_storage.api_tokens
    clear, token = create_token(tokens, make_contact(), "CRM", NOW)
    assert not revoke_token(tokens, make_contact(contact_id="intruder"), token.token_id)
    assert authenticate(tokens, clear) is not None


def test_checking_a_token_costs_one_read_and_no_write(moto_storage):
    tokens = moto_storage.api_tokens
    clear, _ = create_token(tokens, make_contact(), "CRM", NOW)
    with count_dynamodb_calls() as calls:
        assert authenticate(tokens, clear) is not None
    assert calls == {"GetItem": 1}


def test_a_contact_holds_a_bounded_number_of_tokens(moto_storage):
    tokens = moto_storage.api_tokens
    for n in range(MAX_TOKENS_PER_CONTACT):
        create_token(tokens, make_contact(), f"t{n}", NOW + timedelta(seconds=n))
    with pytest.raises(TooManyTokens):
        create_token(tokens, make_contact(), "one more", NOW)
    assert [t.name for t in tokens.tokens_of("acme-ann")][:2] == ["t9", "t8"]
