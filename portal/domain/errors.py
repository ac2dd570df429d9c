"""Errors the services and entry points share; adapters translate their own into these."""


class PortalError(Exception):
    """Base of the portal's own errors."""


class BackendUnavailable(PortalError):
    """A backend (database, file store, mail) did not answer in time: the request may be retried."""

    def __init__(self, backend: str, detail: str = ""):
        super().__init__(f"{backend} unavailable{': ' + detail if detail else ''}")
        self.backend = backend


class ConcurrentUpdate(PortalError):
    """Someone changed the record meanwhile; the caller reloads and decides again."""


class NotFound(PortalError):
    """The record does not exist, or the caller may not know that it does."""


class DuplicateSubmission(PortalError):
    """The same idempotency key filed a request already; `number` is that request's."""

    def __init__(self, number: str):
        super().__init__(number)
        self.number = number
