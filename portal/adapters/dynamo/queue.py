"""The technicians' queue: open requests read from the sparse `queue` index, in charter order (T2, P5, S4)."""

from __future__ import annotations

from portal.adapters.dynamo.errors import dynamo_errors
from portal.adapters.dynamo.models import TicketItem, TicketModel
from portal.adapters.dynamo.tickets import _ticket
from portal.domain.tickets import Ticket

OPEN = "open"  # the one partition of the index: requests leave it when they leave the open states


class QueueRepository:
    @dynamo_errors
    def open_requests(self, limit: int | None = None) -> list[Ticket]:
        """Every open request, first to take first: one query on the sparse `queue` index, paged by DynamoDB
        (1 MB a page: about 1,000 requests), never a scan."""
        return [_ticket(item) for item in TicketItem.queue.query(OPEN, limit=limit) if isinstance(item, TicketModel)]
