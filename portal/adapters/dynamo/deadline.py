"""A request's deadline for the database: once a page or an API call has run `request_deadline_seconds` (20 s,
PORTAL_REQUEST_DEADLINE), it starts no further DynamoDB call and answers the portal's translated 503.

Each call has its own time-outs (a database that does not answer gives a 503 within a few seconds); the deadline
bounds the pages that make many calls (the meeting list reads each open request's history) against a database
that answers slowly: they end before API Gateway's 29 s and the Lambda's 30 s, which would answer a bare 504.
Scheduled functions run without one."""

from __future__ import annotations

import contextvars
import time

from portal.domain.errors import BackendUnavailable

clock = time.monotonic  # what the deadline is measured with (tests move it)
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("dynamodb_deadline", default=None)


class PastDeadline(BackendUnavailable):
    """The request has used its time: no further database call is started."""

    def __init__(self):
        super().__init__("dynamodb", "request deadline passed")


def start_deadline(seconds: float) -> contextvars.Token:
    """From now, DynamoDB calls may start for `seconds`; returns what `end_deadline` needs."""
    return _deadline.set(clock() + seconds)


def end_deadline(token: contextvars.Token) -> None:
    _deadline.reset(token)


def refuse_past_deadline(**_) -> None:
    """botocore's `before-call` for DynamoDB: refuse to start a call once the request's deadline has passed.

    :raise PastDeadline:
    """
    limit = _deadline.get()
    if limit is not None and clock() > limit:
        raise PastDeadline()
