"""Personal API tokens in DynamoDB (only the hash of the secret is stored)."""

from __future__ import annotations

from datetime import date, datetime

from pynamodb.exceptions import UpdateError

from portal.adapters.dynamo.errors import dynamo_errors, is_condition_failure
from portal.adapters.dynamo.models import ApiTokenModel
from portal.services.api_tokens import ApiToken, may_be_token_id


def _token(item: ApiTokenModel) -> ApiToken:
    return ApiToken(item.token_id, item.contact_id, item.company_id, item.name,
                    datetime.fromisoformat(item.created_at), item.revoked,
                    date.fromisoformat(item.last_used) if item.last_used else None)


class ApiTokenRepository:
    @dynamo_errors
    def save(self, token: ApiToken, secret_hash: str) -> None:
        ApiTokenModel(token.token_id, secret_hash=secret_hash, contact_id=token.contact_id,
                      company_id=token.company_id, name=token.name, created_at=token.created_at.isoformat(),
                      revoked=False).save(condition=ApiTokenModel.token_id.does_not_exist())

    @dynamo_errors
    def get(self, token_id: str) -> tuple[ApiToken, str] | None:
        """A token and its secret's hash; None when there is none (an id no token can have is not looked up)."""
        if not may_be_token_id(token_id):
            return None
        try:
            item = ApiTokenModel.get(token_id)
        except ApiTokenModel.DoesNotExist:
            return None
        return _token(item), item.secret_hash

    @dynamo_errors
    def tokens_of(self, contact_id: str) -> list[ApiToken]:
        """A contact's tokens, newest first."""
        return [_token(item) for item in ApiTokenModel.by_contact.query(contact_id, scan_index_forward=False)]

    @dynamo_errors
    def mark_used(self, token_id: str, day: date) -> None:
        """Record the day of use, unless that day or a later one is recorded already (another call was first)."""
        try:
            ApiTokenModel(token_id).update(
                actions=[ApiTokenModel.last_used.set(day.isoformat())],
                condition=ApiTokenModel.token_id.exists() & (ApiTokenModel.last_used.does_not_exist()
                                                             | (ApiTokenModel.last_used < day.isoformat())))
        except UpdateError as error:
            if is_condition_failure(error):
                return
            raise

    @dynamo_errors
    def revoke(self, contact_id: str, token_id: str) -> bool:
        """Revoke a token if it belongs to this contact; False otherwise (an id no token can have is not looked up:
        DynamoDB would refuse an over-long key)."""
        if not may_be_token_id(token_id):
            return False
        try:
            ApiTokenModel(token_id).update(actions=[ApiTokenModel.revoked.set(True)],
                                           condition=ApiTokenModel.contact_id == contact_id)
        except UpdateError as error:
            if is_condition_failure(error):
                return False
            raise
        return True
