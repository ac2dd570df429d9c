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


def test_checking_a_token_without_a_day_costs_one_read_and_no_write(moto_storage):
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


def test_the_first_call_of_a_day_records_the_day_once_and_later_calls_that_day_write_nothing(moto_storage):
    """Its owner sees when a token was last used, so that an unused or unexpected one is revoked."""
    tokens = moto_storage.api_tokens
    clear, token = create_token(tokens, make_contact(), "CRM", NOW)
    assert tokens.tokens_of("acme-ann")[0].last_used is None
    with count_dynamodb_calls() as calls:
        assert authenticate(tokens, clear, NOW.date()) is not None
    assert calls == {"GetItem": 1, "UpdateItem": 1}
    with count_dynamodb_calls() as calls:
        assert authenticate(tokens, clear, NOW.date()) is not None
    assert calls == {"GetItem": 1}
    next_day = (NOW + timedelta(days=1)).date()
    authenticate(tokens, clear, next_day)
    assert tokens.tokens_of("acme-ann")[0].last_used == next_day


def test_a_late_record_of_an_earlier_day_never_moves_the_last_use_back(moto_storage):
    tokens = moto_storage.api_tokens
    _clear, token = create_token(tokens, make_contact(), "CRM", NOW)
    tokens.mark_used(token.token_id, (NOW + timedelta(days=2)).date())
    tokens.mark_used(token.token_id, NOW.date())  # a slower call of two days before
    assert tokens.tokens_of("acme-ann")[0].last_used == (NOW + timedelta(days=2)).date()


def test_a_day_of_use_that_cannot_be_written_never_fails_the_call(moto_storage, monkeypatch):
    from portal.domain.errors import BackendUnavailable

    tokens = moto_storage.api_tokens
    clear, _ = create_token(tokens, make_contact(), "CRM", NOW)

    def unavailable(*args):
        raise BackendUnavailable("dynamodb", "throttled")

    monkeypatch.setattr(tokens, "mark_used", unavailable)
    assert authenticate(tokens, clear, NOW.date()).contact_id == "acme-ann"


class NoReads:
    """A token repository that must not be asked anything."""

    def __getattr__(self, name):
        raise AssertionError(f"tokens.{name} was called")


@pytest.mark.parametrize("presented", ["pt_" + "a" * 2100 + ".x", "pt_" + "a" * 65 + ".x", "pt_ab-cd.x",
                                       "pt_\u00e9t\u00e9.x", "pt_abc\u00b2.x"])
def test_a_token_whose_id_no_token_can_have_is_refused_without_a_read(presented):
    """DynamoDB refuses a key over 2,048 bytes (a 500): such an id is refused as any malformed token."""
    assert authenticate(NoReads(), presented) is None


@pytest.mark.parametrize("presented", ["st_staff-" + "a" * 2100 + ".x", "st_staff-" + "a" * 59 + ".x",
                                       "st_staff-.x", "st_staff-ab-cd.x"])
def test_a_staff_token_whose_id_no_token_can_have_is_refused_without_a_read(presented):
    from portal.services.staff_tokens import authenticate_staff

    assert authenticate_staff(NoReads(), NoReads(), presented) is None


def test_the_repository_neither_reads_nor_revokes_an_id_no_token_can_have(moto_storage):
    tokens = moto_storage.api_tokens
    clear, token = create_token(tokens, make_contact(), "CRM", NOW)
    with count_dynamodb_calls() as calls:
        assert tokens.get("a" * 2100) is None
        assert not tokens.revoke("acme-ann", "a" * 2100)
        assert not revoke_token(tokens, make_contact(), "é" * 1100)
    assert calls == {}
    assert authenticate(tokens, clear) is not None and len(token.token_id) <= 64
