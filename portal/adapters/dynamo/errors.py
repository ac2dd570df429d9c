"""Turn PynamoDB and botocore failures into the portal's domain errors."""

from __future__ import annotations

import functools

import botocore.exceptions
from pynamodb.exceptions import PynamoDBException

from portal.domain.errors import BackendUnavailable, ConcurrentUpdate

_UNAVAILABLE_CODES = {
    "ResourceNotFoundException",
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "UnrecognizedClientException",
}


def _root_cause(error: BaseException) -> BaseException:
    while getattr(error, "cause", None) is not None or error.__cause__ is not None:
        error = getattr(error, "cause", None) or error.__cause__
    return error


def is_condition_failure(error: PynamoDBException) -> bool:
    """Whether a write was refused because its condition did not hold."""
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


def translate(error: PynamoDBException) -> Exception:
    """The domain error for a PynamoDB failure, or the error itself when it is not one we map."""
    code = getattr(error, "cause_response_code", None)
    if code in ("ConditionalCheckFailedException", "TransactionConflictException"):
        return ConcurrentUpdate(str(error))
    root = _root_cause(error)
    if code in _UNAVAILABLE_CODES or isinstance(
        root, botocore.exceptions.EndpointConnectionError | botocore.exceptions.ConnectionError
        | botocore.exceptions.ReadTimeoutError | botocore.exceptions.ConnectTimeoutError
    ):
        return BackendUnavailable("dynamodb", code or type(root).__name__)
    return error


def dynamo_errors(function):
    """Decorate a repository function so that callers see only domain errors."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except PynamoDBException as error:
            translated = translate(error)
            if translated is error:
                raise
            raise translated from error
        except (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectionError,
                botocore.exceptions.ReadTimeoutError, botocore.exceptions.ConnectTimeoutError) as error:
            raise BackendUnavailable("dynamodb", type(error).__name__) from error

    return wrapper
