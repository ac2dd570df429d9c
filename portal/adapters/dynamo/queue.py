"""The technicians' queue: open requests read from the sparse `queue-cards` index (only what the queue page
shows of each request), in charter order (T2, P5, S4)."""

from __future__ import annotations

from datetime import datetime

from portal.adapters.dynamo.errors import dynamo_errors
from portal.adapters.dynamo.models import TicketItem, TicketModel
from portal.domain.tickets import Ticket

OPEN = "open"  # the one partition of the index: requests leave it when they leave the open states


def _card(item: TicketModel) -> Ticket:
    """A request as the queue-cards index holds it (its facts are not projected: empty here)."""
    return Ticket(item.number, item.company_id, item.contact_id, datetime.fromisoformat(item.created_at),
                  item.status, datetime.fromisoformat(item.status_since or item.created_at), item.category,
                  int(item.severity), item.tier, item.channel, item.subject, item.product_id, item.version, {},
                  item.owner_id, item.response_due, int(item.revision or 0),
                  datetime.fromisoformat(item.answered_at) if item.answered_at else None)


def open_cards(limit: int | None = None) -> list[Ticket]:
    """Every open request, first to take first: one query on the sparse `queue-cards` index, paged by DynamoDB
    (1 MB a page: some 2,000 cards, whatever the requests' facts weigh), never a scan. Facts are left out."""
    return [_card(item) for item in TicketItem.queue_cards.query(OPEN, limit=limit) if isinstance(item, TicketModel)]


class QueueRepository:
    @dynamo_errors
    def open_requests(self, limit: int | None = None) -> list[Ticket]:
        """The technicians' queue (T2, P5, S4): the open requests' cards, in charter order."""
        return open_cards(limit)
